"""Server-rendered SVG charts: horizontal bar charts and line charts, as pure functions.

Public results pages and staff dashboards show a chart beside an HTML table of the same
figures (`site/templates/macros/charts.html`), so the chart is a picture with a title and
a short description (`role="img"`, `<title>` and `<desc>` named by `aria-labelledby`).
Every string is escaped by ElementTree, so staff-typed labels stay text. Colours are the
site's: bars and lines at least 3:1 against white, text at least 4.5:1, and series differ
by marker shape and dash pattern as well as colour. `svg_for_pdf` turns a chart into SVG
bytes that fpdf2 draws with `pdf.image()`, its text set in the PDF's embedded font.

Text widths are estimated (a wide CJK character is one em, others about 0.6 em), not
measured, so long labels are wrapped and cut with room to spare.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "'Noto Sans TC', 'Noto Sans CJK TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif"
# Series colours, each at least 4.5:1 against white so that lines, markers and bars stay clear.
PALETTE = ("#0b4f8a", "#b3480b", "#1e6b35", "#7b3f98", "#a11d4a", "#00666e")
TEXT_COLOUR = "#1b1f23"
MUTED_COLOUR = "#4a5560"
AXIS_COLOUR = "#6b7580"
GRID_COLOUR = "#dde3e8"  # decoration only: every value is printed or in the table beside
DASHES = ("", "8 4", "2 3", "10 3 2 3", "5 5", "1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "cross")

_WIDTH = 640
_PAD = 12
_FONT = 14
_SMALL = 12
_TITLE = 17
_LINE = 18
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and an optional note printed after the value (e.g. n=12)."""

    label: str
    value: float
    note: str = ""


@dataclass(frozen=True)
class Series:
    """One line: its name and one point per period, None where that period has no data."""

    name: str
    points: Sequence[float | None]


def default_format(value: float) -> str:
    """1,234 for whole numbers, 12.3 otherwise."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


ValueFormat = Callable[[float], str]


def text_width(text: str, size: float) -> float:
    """An estimate of how wide `text` is at font size `size`, in the same units."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def _clean(text: str) -> str:
    """Text without the characters XML cannot hold (escaping does not make them legal)."""
    return _NOT_XML.sub("", str(text))


def _wrap(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """`text` broken into lines no wider than `width`; the last line ends with … when cut."""
    lines: list[str] = []
    current = ""
    for ch in _clean(text).replace("\n", " "):
        if current and text_width(current + ch, size) > width:
            lines.append(current.rstrip())
            current = ch.lstrip()
        else:
            current += ch
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines or [""]


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (1 for 0 or less)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10 * power


def ticks(low: float, high: float, step: float | None = None) -> list[float]:
    """Round values from `low` to `high` for an axis, `step` (default: about a fifth) apart."""
    step = step or nice_ceiling((high - low) / 5)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]


def _axis(
    low: float, high: float, minimum: float | None, maximum: float | None
) -> tuple[float, float, list[float]]:
    """The axis from the data's range: ends the caller fixed stay, others round out to a tick."""
    low = minimum if minimum is not None else low
    high = maximum if maximum is not None else high
    high = high if high > low else low + 1
    step = nice_ceiling((high - low) / 5)
    low = low if minimum is not None else math.floor(low / step + 1e-9) * step
    high = high if maximum is not None else math.ceil(high / step - 1e-9) * step
    return low, high, ticks(low, high, step)


def _el(parent: ET.Element, tag: str, **attrs: object) -> ET.Element:
    return ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: object) -> ET.Element:
    attrs.setdefault("fill", TEXT_COLOUR)
    node = _el(parent, "text", x=f"{x:.1f}", y=f"{y:.1f}", **attrs)
    node.text = _clean(text)
    return node


def _start(title: str, description: str, id_prefix: str | None) -> ET.Element:
    """The <svg> with its title and description, under ids unique to the page unless given."""
    prefix = id_prefix or f"chart-{uuid.uuid4().hex[:12]}"
    if not _ID.match(prefix):
        raise ValueError(f"not a usable id prefix: {prefix!r}")
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "role": "img",
            "aria-labelledby": f"{prefix}-title {prefix}-desc",
            "width": "100%",
            "font-family": FONT_FAMILY,
            "font-size": str(_FONT),
            "class": "chart-svg",
        },
    )
    _el(root, "title", id=f"{prefix}-title").text = _clean(title)
    _el(root, "desc", id=f"{prefix}-desc").text = _clean(description)
    return root


def _heading(root: ET.Element, title: str, show_title: bool) -> float:
    """Draw the title (up to two lines) and return where the chart below it starts."""
    if not show_title:
        return _PAD
    y = _PAD
    for line in _wrap(title, _WIDTH - 2 * _PAD, _TITLE, 2):
        y += _TITLE + 4
        _text(root, _PAD, y, line, font_size=_TITLE, font_weight="bold")
    return y + 12


def _finish(root: ET.Element, height: float) -> Markup:
    root.set("viewBox", f"0 0 {_WIDTH} {math.ceil(height)}")
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704 - ElementTree escaped every text


def _empty(root: ET.Element, top: float, empty_text: str) -> Markup:
    _rect(root, _PAD, top, _WIDTH - 2 * _PAD, 80, fill="none", stroke=GRID_COLOUR)
    _text(root, _WIDTH / 2, top + 45, empty_text, text_anchor="middle", fill=MUTED_COLOUR)
    return _finish(root, top + 80 + _PAD)


def _rect(parent: ET.Element, x: float, y: float, w: float, h: float, **attrs: object) -> ET.Element:
    return _el(parent, "rect", x=f"{x:.2f}", y=f"{y:.2f}", width=f"{w:.2f}", height=f"{h:.2f}", **attrs)


def _line(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, colour: str) -> None:
    _el(parent, "line", x1=f"{x1:.1f}", y1=f"{y1:.1f}", x2=f"{x2:.1f}", y2=f"{y2:.1f}", stroke=colour)


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    unit: str = "",
    maximum: float | None = None,
    value_format: ValueFormat = default_format,
    description: str | None = None,
    empty_text: str = "無資料 No data",
    id_prefix: str | None = None,
    show_title: bool = True,
) -> Markup:
    """Horizontal bars from 0, labels on the left, each value (and note) at its bar's end.

    `maximum` fixes the end of the axis (100 for percentages); values above it are drawn
    full length, values below 0 as no bar. `description` defaults to every label and value.
    """
    if any(not math.isfinite(bar.value) for bar in bars):
        raise ValueError("bar values must be finite numbers")
    values = [value_format(bar.value) + unit + (f"  {bar.note}" if bar.note else "") for bar in bars]
    summary = "; ".join(f"{bar.label}: {text}" for bar, text in zip(bars, values, strict=True))
    root = _start(title, description if description is not None else summary, id_prefix)
    top = _heading(root, title, show_title)
    if not bars:
        return _empty(root, top, empty_text)
    label_width = min(max(text_width(_clean(bar.label), _FONT) for bar in bars), _WIDTH * 0.36)
    value_width = min(max(text_width(_clean(text), _FONT) for text in values), _WIDTH * 0.24) + 8
    x0 = _PAD + label_width + 10
    plot = _WIDTH - _PAD - value_width - x0
    _, high, axis = _axis(0, max(bar.value for bar in bars), 0, maximum)
    wrapped = [_wrap(bar.label, label_width, _FONT, 2) for bar in bars]
    rows = [max(30, len(lines) * _LINE + 12) for lines in wrapped]
    for tick in axis:
        x = x0 + plot * tick / high
        _line(root, x, top, x, top + sum(rows), GRID_COLOUR)
    y = top
    for bar, text, lines, row in zip(bars, values, wrapped, rows, strict=True):
        middle = y + row / 2
        for number, line in enumerate(lines):
            baseline = middle + 5 + (number - (len(lines) - 1) / 2) * _LINE
            _text(root, x0 - 10, baseline, line, text_anchor="end")
        length = plot * min(max(bar.value, 0), high) / high
        _rect(root, x0, middle - 10, length, 20, fill=PALETTE[0], class_="bar")
        _text(root, x0 + length + 6, middle + 5, text, class_="value")
        y += row
    _line(root, x0, top, x0, y, AXIS_COLOUR)
    for tick in axis:
        x = x0 + plot * tick / high
        _line(root, x, y, x, y + 4, AXIS_COLOUR)
        label = value_format(tick) + unit
        _text(root, x, y + 4 + _SMALL + 2, label, text_anchor="middle", font_size=_SMALL, fill=MUTED_COLOUR)
    return _finish(root, y + _SMALL + 10 + _PAD)


def _marker(parent: ET.Element, shape: str, x: float, y: float, colour: str) -> None:
    """A point's marker: each series has its own shape, so colour is never the only cue."""
    r = 4.5
    if shape == "circle":
        _el(parent, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=r, fill=colour)
        return
    if shape == "square":
        _rect(parent, x - r, y - r, 2 * r, 2 * r, fill=colour)
        return
    if shape == "cross":
        d = f"M{x - r:.1f} {y - r:.1f}L{x + r:.1f} {y + r:.1f}M{x - r:.1f} {y + r:.1f}L{x + r:.1f} {y - r:.1f}"
        _el(parent, "path", d=d, stroke=colour, stroke_width=2.5, fill="none")
        return
    points = {
        "triangle": [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)],
        "triangle-down": [(0, 1.2), (1.1, -0.8), (-1.1, -0.8)],
        "diamond": [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)],
    }[shape]
    d = "M" + "L".join(f"{x + dx * r:.1f} {y + dy * r:.1f}" for dx, dy in points) + "Z"
    _el(parent, "path", d=d, fill=colour)


def _style(number: int) -> tuple[str, str, str]:
    return PALETTE[number % len(PALETTE)], DASHES[number % len(DASHES)], MARKERS[number % len(MARKERS)]


def _legend(root: ET.Element, series: Sequence[Series], top: float) -> float:
    """One sample line, marker and name per series, wrapped into rows; returns the y below it."""
    x: float = _PAD
    y = top + _LINE
    for number, one in enumerate(series):
        colour, dash, shape = _style(number)
        name = _wrap(one.name, _WIDTH * 0.5, _FONT, 1)[0]
        width = 36 + text_width(name, _FONT) + 20
        if x > _PAD and x + width > _WIDTH - _PAD:
            x, y = float(_PAD), y + _LINE + 6
        group = _el(root, "g", class_="legend-item")
        dash_attrs = {"stroke_dasharray": dash} if dash else {}
        _el(group, "path", d=f"M{x:.1f} {y - 5:.1f}h28", stroke=colour, stroke_width=2.5, **dash_attrs)
        _marker(group, shape, x + 14, y - 5, colour)
        _text(group, x + 36, y, name)
        x += width
    return y + 14


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    minimum: float | None = None,
    maximum: float | None = None,
    value_format: ValueFormat = default_format,
    description: str | None = None,
    empty_text: str = "無資料 No data",
    id_prefix: str | None = None,
    show_title: bool = True,
) -> Markup:
    """Lines over periods, with a legend; None points are gaps, not zeros.

    The axis runs from `minimum` (default: 0, or the lowest value if below 0) to `maximum`
    (default: a round number at or above the highest value).
    """
    if any(len(one.points) != len(x_labels) for one in series):
        raise ValueError("every series needs one point per x label")
    known = [p for one in series for p in one.points if p is not None]
    if any(not math.isfinite(p) for p in known):
        raise ValueError("points must be finite numbers or None")
    summary = "; ".join(
        one.name
        + ": "
        + ", ".join(
            f"{x} {'–' if p is None else value_format(p) + unit}"
            for x, p in zip(x_labels, one.points, strict=True)
        )
        for one in series
    )
    root = _start(title, description if description is not None else summary, id_prefix)
    top = _heading(root, title, show_title)
    if not known:
        return _empty(root, top, empty_text)
    top = _legend(root, series, top) + 8
    low, high, axis = _axis(min(0.0, min(known)), max(known), minimum, maximum)
    x0 = _PAD + max(text_width(value_format(t) + unit, _SMALL) for t in axis) + 8
    x1, bottom = _WIDTH - _PAD - 16, top + 240
    place_y = lambda value: bottom - (bottom - top) * (value - low) / (high - low)  # noqa: E731
    for tick in axis:
        _line(root, x0, place_y(tick), x1, place_y(tick), GRID_COLOUR)
        _text(root, x0 - 6, place_y(tick) + 4, value_format(tick) + unit, text_anchor="end", font_size=_SMALL)
    _line(root, x0, top, x0, bottom, AXIS_COLOUR)
    _line(root, x0, bottom, x1, bottom, AXIS_COLOUR)
    count = len(x_labels)
    step = (x1 - x0 - 32) / (count - 1) if count > 1 else 0
    xs = [x0 + 16 + i * step if count > 1 else (x0 + x1) / 2 for i in range(count)]
    widest = max(text_width(_clean(label), _SMALL) for label in x_labels) + 8
    every = max(1, math.ceil(widest / step)) if step else 1
    for i, label in enumerate(x_labels):
        if i % every == 0:
            _line(root, xs[i], bottom, xs[i], bottom + 4, AXIS_COLOUR)
            _text(root, xs[i], bottom + 18, label, text_anchor="middle", font_size=_SMALL)
    for number, one in enumerate(series):
        _draw_series(
            root, number, [(xs[i], None if p is None else place_y(p)) for i, p in enumerate(one.points)]
        )
    return _finish(root, bottom + 24 + _PAD)


def _draw_series(root: ET.Element, number: int, points: list[tuple[float, float | None]]) -> None:
    """One series: a polyline per run of known points (gaps stay open) and a marker on each."""
    colour, dash, shape = _style(number)
    group = _el(root, "g", class_="series")
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            runs.append([])
        else:
            runs[-1].append((x, y))
    dash_attrs = {"stroke_dasharray": dash} if dash else {}
    for run in runs:
        if len(run) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            _el(group, "polyline", points=coords, fill="none", stroke=colour, stroke_width=2.5, **dash_attrs)
    for run in runs:
        for x, y in run:
            _marker(group, shape, x, y, colour)


def svg_for_pdf(chart: str, *, font_family: str = "body") -> bytes:
    """The chart as SVG bytes for fpdf2's `pdf.image(io.BytesIO(...), x=, y=, w=)`.

    fpdf2 draws SVG text with a font the document registered, so every family becomes
    `font_family` (regular weight: a bold face may not be registered); the size becomes
    that of the viewBox, and `<title>`/`<desc>`, which fpdf2 does not draw, are dropped.
    """
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(str(chart))  # noqa: S314 - parses only this module's own output
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}title", f"{{{SVG_NS}}}desc"):
                parent.remove(child)
    for node in root.iter():
        node.attrib.pop("font-weight", None)
    _, _, width, height = root.get("viewBox", "0 0 640 400").split()
    root.set("width", width)
    root.set("height", height)
    root.set("font-family", font_family)
    return ET.tostring(root, encoding="utf-8")
