"""SVG charts: valid XML, proportional bars, printed values, escaping, gaps, ids, contrast, PDF."""

from __future__ import annotations

import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fpdf import FPDF
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from PIL import Image

from portal import charts
from portal.charts import Bar, Series, bar_chart, line_chart, svg_for_pdf
from portal.config import SETTINGS

NS = {"svg": charts.SVG_NS}
TEMPLATES = Path(__file__).resolve().parents[2] / "site" / "templates"
FONT = next(setting.default for setting in SETTINGS if setting.name == "PDF_FONT")
FONT_INDEX = next(setting.default for setting in SETTINGS if setting.name == "PDF_FONT_INDEX")

SATISFACTION = [
    Bar("台北服務所（中正區）自來水繳費及用水申請綜合櫃台", 87.5, "n=40"),
    Bar("板橋服務所", 62),
    Bar("Zero office", 0),
]
MONTHS = ["1月", "2月", "3月", "4月", "5月", "6月"]
WAITING = [
    Series("臺北", [5, 6, None, 7, 8, 6]),
    Series("高雄 Kaohsiung", [3, None, 4, None, 4, 3]),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iterfind(".//svg:text", NS)]


def luminance(colour: str) -> float:
    """Relative luminance by the WCAG 2.1 definition."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(colour: str, background: str = "#ffffff") -> float:
    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_gives_the_known_ratios() -> None:
    assert contrast("#000000") == pytest.approx(21)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)


def test_a_bar_chart_is_an_image_with_a_title_and_description_it_names() -> None:
    root = parse(bar_chart("各據點滿意度", SATISFACTION, unit="%", maximum=100, id_prefix="sat"))
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 640 \d+", root.get("viewBox", ""))
    assert root.get("aria-labelledby") == "sat-title sat-desc"
    assert root.find("svg:title", NS).get("id") == "sat-title"
    assert root.find("svg:title", NS).text == "各據點滿意度"
    desc = root.find("svg:desc", NS)
    assert desc.get("id") == "sat-desc"
    assert "板橋服務所: 62%" in desc.text
    assert "Noto Sans CJK TC" in root.get("font-family", "")
    assert root.get("font-family", "").endswith("sans-serif")


def test_bar_lengths_are_proportional_to_the_values_from_zero() -> None:
    bars = [Bar("a", 25), Bar("b", 50), Bar("c", 100), Bar("d", 0)]
    root = parse(bar_chart("t", bars, maximum=100))
    rects = root.findall(".//svg:rect[@class='bar']", NS)
    widths = [float(rect.get("width")) for rect in rects]
    assert widths[3] == 0
    assert widths[1] == pytest.approx(2 * widths[0], rel=1e-3)
    assert widths[2] == pytest.approx(4 * widths[0], rel=1e-3)
    assert len({rect.get("x") for rect in rects}) == 1  # every bar starts on the same axis


def test_the_maximum_sets_the_axis_so_half_fills_half() -> None:
    root = parse(bar_chart("t", [Bar("a", 50), Bar("b", 40)], unit="%", maximum=100))
    first = root.find(".//svg:rect[@class='bar']", NS)
    (end,) = [node for node in root.iterfind(".//svg:text", NS) if node.text == "100%"]
    axis_end = float(first.get("x")) + 2 * float(first.get("width"))
    assert float(end.get("x")) == pytest.approx(axis_end, abs=0.2)


def test_each_value_and_note_is_printed_at_its_bar() -> None:
    root = parse(bar_chart("t", SATISFACTION, unit="%", maximum=100))
    values = ["".join(node.itertext()) for node in root.iterfind(".//svg:text[@class='value']", NS)]
    assert values == ["87.5%  n=40", "62%", "0%"]
    assert all(re.fullmatch(r"\d[\d.]* ?%.*", value) for value in values)


def test_a_custom_format_is_used_for_values_and_axis() -> None:
    root = parse(bar_chart("t", [Bar("a", 1234.5)], value_format=lambda v: f"{v:.2f}", unit=" 元"))
    assert "1234.50 元" in texts(root)


def test_long_labels_wrap_to_two_lines_and_end_with_an_ellipsis_when_cut() -> None:
    long = "自來水" * 30
    root = parse(bar_chart("t", [Bar(long, 1)]))
    label_lines = [node.text or "" for node in root.iterfind(".//svg:text[@text-anchor='end']", NS)]
    assert len(label_lines) == 2
    assert label_lines[1].endswith("…")
    assert long.startswith("".join(label_lines).removesuffix("…"))


def test_staff_typed_text_comes_out_as_text_not_markup() -> None:
    evil = "<script>alert('x')</script>&amp;"
    svg = bar_chart(evil, [Bar(evil, 1, note=evil)], unit=evil, id_prefix="e")
    assert "<script" not in svg
    root = parse(svg)
    assert not list(root.iter("script"))
    assert not root.findall(".//svg:script", NS)
    assert root.find("svg:title", NS).text == evil
    assert evil in texts(root)
    line = line_chart(evil, [evil], [Series(evil, [1])])
    assert "<script" not in line
    assert evil in texts(parse(line))


def test_characters_xml_cannot_hold_are_dropped_so_the_chart_still_parses() -> None:
    root = parse(bar_chart("a\x00b\x1bc", [Bar("x\x0by", 1)]))
    assert root.find("svg:title", NS).text == "abc"
    assert "xy" in texts(root)


def test_ids_are_unique_unless_given_and_must_be_valid() -> None:
    first = parse(bar_chart("t", SATISFACTION)).get("aria-labelledby")
    second = parse(bar_chart("t", SATISFACTION)).get("aria-labelledby")
    third = parse(line_chart("t", MONTHS, WAITING)).get("aria-labelledby")
    assert len({first, second, third}) == 3
    given = parse(line_chart("t", MONTHS, WAITING, id_prefix="wait-1"))
    assert given.find("svg:title", NS).get("id") == "wait-1-title"
    with pytest.raises(ValueError, match="id prefix"):
        bar_chart("t", SATISFACTION, id_prefix='x" onload="alert(1)')


def test_the_palette_meets_wcag_contrast_against_white() -> None:
    assert all(contrast(colour) >= 3 for colour in charts.PALETTE)
    assert contrast(charts.AXIS_COLOUR) >= 3
    assert contrast(charts.TEXT_COLOUR) >= 4.5
    assert contrast(charts.MUTED_COLOUR) >= 4.5


@pytest.mark.parametrize(
    "svg",
    [
        bar_chart("t", SATISFACTION, unit="%"),
        line_chart("t", MONTHS, [Series(str(i), [i, i + 1, None, 2, 1, 0]) for i in range(8)]),
    ],
)
def test_every_colour_drawn_meets_its_contrast(svg: Markup) -> None:
    for node in parse(svg).iter():
        for attribute in ("fill", "stroke"):
            colour = node.get(attribute)
            if colour in (None, "none") or (node.tag.endswith("line") and colour == charts.GRID_COLOUR):
                continue
            minimum = 4.5 if node.tag.endswith("text") else 3
            assert contrast(colour) >= minimum, (node.tag, colour)


def test_none_points_are_gaps_not_zeros() -> None:
    root = parse(line_chart("t", ["a", "b", "c", "d"], [Series("s", [1, None, 3, 4])], id_prefix="g"))
    (series,) = root.findall(".//svg:g[@class='series']", NS)
    polylines = series.findall("svg:polyline", NS)
    assert len(polylines) == 1  # 1 stands alone; only 3 and 4 are joined
    assert len(polylines[0].get("points").split()) == 2
    markers = [child for child in series if not child.tag.endswith("polyline")]
    assert len(markers) == 3
    assert "b –" in root.find("svg:desc", NS).text


def test_series_differ_by_dash_and_marker_as_well_as_colour() -> None:
    root = parse(line_chart("t", MONTHS, [Series("a", [1] * 6), Series("b", [2] * 6), Series("c", [3] * 6)]))
    groups = root.findall(".//svg:g[@class='series']", NS)
    dashes = [group.find("svg:polyline", NS).get("stroke-dasharray") for group in groups]
    shapes = [(group[-1].tag, group[-1].get("d", "")[:1], len(group[-1].get("d", ""))) for group in groups]
    colours = [group.find("svg:polyline", NS).get("stroke") for group in groups]
    assert len(set(dashes)) == 3
    assert len(set(shapes)) == 3
    assert len(set(colours)) == 3
    legend = root.findall(".//svg:g[@class='legend-item']", NS)
    assert ["".join(item.itertext()) for item in legend] == ["a", "b", "c"]


def test_the_line_axis_follows_the_given_range() -> None:
    root = parse(line_chart("t", ["a", "b"], [Series("s", [40, 60])], unit="%", minimum=0, maximum=100))
    assert {"0%", "100%"} <= set(texts(root))
    low = parse(line_chart("t", ["a", "b"], [Series("s", [-5, 5])]))
    numbers = [float(text) for text in texts(low) if re.fullmatch(r"-?\d+", text)]
    assert min(numbers) <= -5  # below zero, the axis reaches the lowest value on a round tick
    assert max(numbers) >= 5
    assert min(numbers) % 2 == 0


def test_points_must_match_the_periods() -> None:
    with pytest.raises(ValueError, match="one point per x label"):
        line_chart("t", ["a", "b"], [Series("s", [1])])


def test_no_data_renders_the_empty_text_instead_of_failing() -> None:
    for svg in (
        bar_chart("t", [], empty_text="尚無資料"),
        line_chart("t", MONTHS, [Series("s", [None] * 6)], empty_text="尚無資料"),
        line_chart("t", [], [], empty_text="尚無資料"),
    ):
        root = parse(svg)
        assert "尚無資料" in texts(root)
        assert not root.findall(".//svg:rect[@class='bar']", NS)
        assert not root.findall(".//svg:polyline", NS)
        assert root.get("role") == "img"


def test_the_chart_for_pdf_has_a_fixed_size_and_the_pdf_font() -> None:
    root = parse(svg_for_pdf(bar_chart("t", SATISFACTION), font_family="body").decode())
    _, _, width, height = root.get("viewBox").split()
    assert (root.get("width"), root.get("height")) == (width, height)
    assert root.get("font-family") == "body"
    assert root.find("svg:title", NS) is None
    assert all(node.get("font-weight") is None for node in root.iter())


def test_charts_drawn_in_a_pdf_carry_their_text_and_ink(tmp_path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.add_font("body", fname=FONT, collection_font_number=FONT_INDEX)
    pdf.add_page()
    bar = bar_chart("各據點滿意度", SATISFACTION, unit="%", maximum=100)
    pdf.image(io.BytesIO(svg_for_pdf(bar)), x=10, y=10, w=190)
    pdf.image(
        io.BytesIO(svg_for_pdf(line_chart("等候時間", MONTHS, WAITING, unit=" 分"))), x=10, y=110, w=190
    )
    path = tmp_path / "charts.pdf"
    path.write_bytes(bytes(pdf.output()))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace("\n", "")
    for expected in (
        "各據點滿意度",
        "台北服務所",
        "板橋服務所",
        "87.5%",
        "n=40",
        "等候時間",
        "高雄 Kaohsiung",
        "6月",
    ):
        assert expected in flat, expected
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    dark = sum(1 for value in image.get_flattened_data() if value < 128)
    coloured_top = sum(
        1 for value in image.crop((0, 0, image.width, image.height // 3)).get_flattened_data() if value < 128
    )
    assert dark > 0.01 * image.width * image.height
    assert coloured_top > 0.003 * image.width * image.height  # the bars are there, not only text


def render_macro(**arguments: object) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, extensions=["jinja2.ext.do"])
    macro = env.get_template("macros/charts.html").module.chart_figure  # type: ignore[attr-defined]
    return str(macro(**arguments))


def test_the_figure_macro_puts_the_chart_beside_an_accessible_table() -> None:
    svg = bar_chart("滿意度", SATISFACTION, unit="%", id_prefix="fig")
    html = render_macro(
        svg=svg,
        caption="各據點滿意度 <b>",
        headers=["服務據點", "滿意度"],
        rows=[["板橋 <i>", "62%"], ["台北", "87.5%"]],
    )
    assert "<figure" in html
    assert "<figcaption>各據點滿意度 &lt;b&gt;</figcaption>" in html
    assert str(svg) in html  # the chart's markup is kept as it is
    assert "<caption>各據點滿意度 &lt;b&gt;</caption>" in html
    assert html.count('<th scope="col">') == 2
    assert '<th scope="row">板橋 &lt;i&gt;</th>' in html
    assert '<td class="numeric">87.5%</td>' in html
