"""The counter poster: an A4 PDF with both languages' text, the link in full and a QR code that reads."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
import segno
from PIL import Image

from feedback.surveys.poster import QR_AREA_MM, QUIET_ZONE_MODULES, PosterContent, poster_pdf
from portal.config import SETTINGS

FONT = next(setting.default for setting in SETTINGS if setting.name == "PDF_FONT")
FONT_INDEX = next(setting.default for setting in SETTINGS if setting.name == "PDF_FONT_INDEX")
DPI = 100
CONTENT = PosterContent(
    agency_zh="台灣自來水股份有限公司",
    agency_en="Taiwan Water Corporation",
    office_zh="第一區管理處基隆服務所",
    office_en="Keelung Service Office",
    counter_zh="3 號櫃台",
    counter_en="Counter 3",
    url="https://www.water.gov.tw/surveys/counter/KL-03?lang=zh-TW",
)


def write(tmp_path: Path, content: PosterContent = CONTENT) -> Path:
    path = tmp_path / "poster.pdf"
    path.write_bytes(poster_pdf(content, font_path=FONT, font_index=FONT_INDEX))
    return path


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def render(path: Path) -> Image.Image:
    run("pdftoppm", "-png", "-r", str(DPI), "-singlefile", str(path), str(path.with_suffix("")))
    return Image.open(path.with_suffix(".png")).convert("L")


def test_the_poster_says_everything_in_both_languages(tmp_path: Path) -> None:
    text = run("pdftotext", str(write(tmp_path)), "-")
    flat = text.replace("\n", "")
    for expected in (
        "請為我們的服務評分",
        "Rate our service",
        CONTENT.agency_zh,
        CONTENT.agency_en,
        CONTENT.office_zh,
        CONTENT.office_en,
        CONTENT.counter_zh,
        CONTENT.counter_en,
        CONTENT.url,
        "不到一分鐘",
        "under a minute",
        "匿名，只記錄服務據點、櫃台與時間",
        "Anonymous",
    ):
        assert expected in flat, expected


def test_the_poster_is_one_a4_page_with_its_fonts_embedded_as_subsets(tmp_path: Path) -> None:
    path = write(tmp_path)
    info = run("pdfinfo", str(path))
    assert "Pages:           1" in info
    assert "(A4)" in info
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    assert fonts
    assert all("NotoSansCJK" in line for line in fonts)
    assert all(line.split()[-5:-3] == ["yes", "yes"] for line in fonts)  # embedded, subset


def test_the_qr_code_drawn_is_the_matrix_of_the_link_with_its_quiet_zone(tmp_path: Path) -> None:
    image = render(write(tmp_path))
    matrix = segno.make(CONTENT.url, error="m").matrix
    x, y, size = QR_AREA_MM
    modules = len(matrix) + 2 * QUIET_ZONE_MODULES
    pixels_per_module = size / modules * DPI / 25.4
    assert pixels_per_module > 6  # large enough to scan from a step away

    def dark_at(row: int, column: int) -> bool:
        centre_x = (x + (column + 0.5) * size / modules) * DPI / 25.4
        centre_y = (y + (row + 0.5) * size / modules) * DPI / 25.4
        return image.getpixel((round(centre_x), round(centre_y))) < 128

    drawn = [
        [dark_at(row + QUIET_ZONE_MODULES, column + QUIET_ZONE_MODULES) for column in range(len(matrix))]
        for row in range(len(matrix))
    ]
    assert drawn == [[bool(dark) for dark in row] for row in matrix]
    quiet = [
        dark_at(row, column)
        for row in range(modules)
        for column in range(modules)
        if min(row, column) < QUIET_ZONE_MODULES or max(row, column) >= modules - QUIET_ZONE_MODULES
    ]
    assert not any(quiet)


def test_a_different_link_draws_a_different_code(tmp_path: Path) -> None:
    first = render(write(tmp_path)).tobytes()
    other = tmp_path / "other"
    other.mkdir()
    second = render(write(other, replace(CONTENT, url=CONTENT.url + "&x=1"))).tobytes()
    assert first != second


class _Words(HTMLParser):
    """The words and their boxes from `pdftotext -bbox`."""

    def __init__(self) -> None:
        super().__init__()
        self.page_width = 0.0
        self.boxes: list[tuple[float, float]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: float(value or 0) for name, value in attrs if name in {"width", "xmin", "xmax"}}
        if tag == "page":
            self.page_width = values["width"]
        elif tag == "word":
            self.boxes.append((values["xmin"], values["xmax"]))


@pytest.mark.parametrize("field", ["office_zh", "office_en", "counter_en", "url"])
def test_long_names_and_links_stay_on_the_page(tmp_path: Path, field: str) -> None:
    long = {
        "office_zh": "第十二區管理處" * 8,
        "office_en": "Service Office " * 12,
        "counter_en": "Counter for water bills and applications " * 4,
        "url": CONTENT.url + "&" + "token=abcdefghij" * 12,
    }[field]
    path = write(tmp_path, replace(CONTENT, **{field: long}))
    words = _Words()
    words.feed(run("pdftotext", "-bbox", str(path), "-"))
    assert words.boxes
    assert all(low >= 0 and high <= words.page_width for low, high in words.boxes)
    flat = run("pdftotext", str(path), "-").replace("\n", "").replace(" ", "")
    assert long.replace(" ", "") in flat  # shrunk or wrapped, never cut
