"""The counter-survey poster: an A4 page that invites visitors to rate the service by phone.

Each office counter gets one. It says, in Traditional Chinese with the English beneath,
what it asks, which office and counter it stands at, and carries a large QR code of the
survey link (vector squares, quiet zone kept white) with the link printed in full for
those who cannot scan, and a line on what the survey records. Text is set in Noto Sans
CJK TC embedded as a subset (`PDF_FONT`), so that it prints and `pdftotext` reads it.

The layout is fixed, the same on every counter: the QR code always fills `QR_AREA_MM`,
and names too long for their line are set smaller until they fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import segno
from fpdf import FPDF
from fpdf.enums import PathPaintRule

from portal.pdf_fonts import add_body_fonts

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
QR_SIZE_MM = 110.0
# x, y and side of the square the QR code fills, quiet zone included.
QR_AREA_MM = ((PAGE_WIDTH_MM - QR_SIZE_MM) / 2, 104.0, QR_SIZE_MM)
QUIET_ZONE_MODULES = 4
_MARGIN = 16.0
_INK = (27, 31, 35)
_MUTED = (74, 85, 96)
_ACCENT = (11, 79, 138)


@dataclass(frozen=True)
class PosterContent:
    """What a counter's poster shows; the wording has defaults in both languages."""

    agency_zh: str
    agency_en: str
    office_zh: str
    office_en: str
    counter_zh: str
    counter_en: str
    url: str
    heading_zh: str = "請為我們的服務評分"
    heading_en: str = "Rate our service"
    scan_zh: str = "用手機掃描條碼，或輸入上方網址，不到一分鐘即可完成。"
    scan_en: str = "Scan the code with your phone or type the address above. It takes under a minute."
    privacy_zh: str = "匿名，只記錄服務據點、櫃台與時間。"
    privacy_en: str = "Anonymous: only the office, the counter and the time are recorded."


def _fit(
    pdf: FPDF,
    y: float,
    height: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: tuple[int, int, int] = _INK,
) -> float:
    """`text` centred in a box `height` mm tall at `y`, at `size` pt or smaller until it fits.

    A line too long for the page first shrinks, then wraps: at half the size two lines fit
    the same box, so the fixed layout holds for any name. Returns the y below the box.
    """
    style = "B" if bold else ""
    width = PAGE_WIDTH_MM - 2 * _MARGIN
    while True:
        pdf.set_font("body", style=style, size=size)
        line = size * 0.45  # points to millimetres, with some leading
        # output="LINES" answers the list of lines alone.
        lines = cast(list[str], pdf.multi_cell(width, line, text, align="C", dry_run=True, output="LINES"))
        if len(lines) * line <= height or size <= 4:
            break
        size -= 0.5
    pdf.set_text_color(*colour)
    pdf.set_xy(_MARGIN, y + (height - len(lines) * line) / 2)
    pdf.multi_cell(width, line, text, align="C", new_x="LMARGIN", new_y="NEXT")
    return y + height


def _url_size(pdf: FPDF, url: str) -> float:
    """14 pt, or as small as 10 pt so that the link stays on one line (longer ones wrap)."""
    pdf.set_font("body", size=14)
    fitting = 14 * (PAGE_WIDTH_MM - 2 * _MARGIN) / max(pdf.get_string_width(url), 1)
    return max(10.0, min(14.0, math.floor(fitting * 2) / 2))


def _dark_runs(row: Sequence[int]) -> list[tuple[int, int]]:
    """(first column, length) of each run of dark modules in a QR row."""
    runs: list[tuple[int, int]] = []
    for column, dark in enumerate(row):
        if dark and runs and sum(runs[-1]) == column:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        elif dark:
            runs.append((column, 1))
    return runs


def _qr(pdf: FPDF, url: str) -> None:
    """The survey link as filled squares inside `QR_AREA_MM`, its quiet zone left white.

    All the squares are one filled path, so that viewers and printers leave no hairline
    seams between neighbouring modules.
    """
    x, y, size = QR_AREA_MM
    matrix = segno.make(url, error="m").matrix
    module = size / (len(matrix) + 2 * QUIET_ZONE_MODULES)
    with pdf.new_path(paint_rule=PathPaintRule.FILL_NONZERO) as path:
        path.style.fill_color = "#000000"
        for row_number, row in enumerate(matrix):
            top = y + (row_number + QUIET_ZONE_MODULES) * module
            for column, length in _dark_runs(row):
                path.rectangle(x + (column + QUIET_ZONE_MODULES) * module, top, length * module, module)


def _frame(pdf: FPDF) -> None:
    """A thin rule round the page's content, which helps the poster read as one notice."""
    pdf.set_draw_color(*_ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, PAGE_WIDTH_MM - 16, PAGE_HEIGHT_MM - 16)


def poster_pdf(content: PosterContent, *, font_path: str, font_index: int) -> bytes:
    """The counter's poster as the bytes of a one-page A4 PDF."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(f"{content.heading_zh} {content.office_zh} {content.counter_zh}")
    pdf.set_lang("zh-Hant-TW")
    add_body_fonts(pdf, font_path, font_index)
    pdf.add_page()
    _frame(pdf)
    y = _fit(pdf, 14, 6, content.agency_zh, 13, colour=_MUTED)
    y = _fit(pdf, y, 4.5, content.agency_en, 10, colour=_MUTED)
    y = _fit(pdf, y + 4, 18, content.heading_zh, 40, bold=True, colour=_ACCENT)
    y = _fit(pdf, y + 1, 11, content.heading_en, 24, bold=True, colour=_ACCENT)
    y = _fit(pdf, y + 5, 10, content.office_zh, 22, bold=True)
    y = _fit(pdf, y, 6, content.office_en, 13)
    y = _fit(pdf, y + 2, 9, content.counter_zh, 20, bold=True)
    _fit(pdf, y, 6, content.counter_en, 13)
    _qr(pdf, content.url)
    _, qr_top, qr_size = QR_AREA_MM
    y = _fit(pdf, qr_top + qr_size + 1, 14, content.url, _url_size(pdf, content.url), colour=_ACCENT)
    y = _fit(pdf, y + 3, 7, content.scan_zh, 14)
    y = _fit(pdf, y, 5.5, content.scan_en, 11, colour=_MUTED)
    y = _fit(pdf, y + 4, 7, content.privacy_zh, 14)
    _fit(pdf, y, 5.5, content.privacy_en, 11, colour=_MUTED)
    return bytes(pdf.output())
