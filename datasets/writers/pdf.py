"""The release's PDF: cover, release notes, data dictionary and, for up to 5,000 rows, the data.

Text is set in Noto Sans CJK TC, embedded as a subset, so that the file shows and
`pdftotext` extracts the Chinese text on any machine. The font is a setting
(`PDF_FONT`, face `PDF_FONT_INDEX` of a collection).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.pdf_fonts import FootedA4

PDF_TABLE_MAX_ROWS = 5000
_MARGIN = 12
_LINE = 3.8


@dataclass
class PdfContent:
    """What goes into a release's PDF."""

    agency: str
    title_zh: str
    title_en: str
    release_number: int
    release_date: str
    licence: str
    notes_zh: list[str]
    notes_en: list[str]
    schema: dict[str, Any]
    row_count: int
    rows: Iterable[list[str]] | None = None
    extra_sections: list[tuple[str, list[str]]] = field(default_factory=list)


class _Document(FootedA4):
    def __init__(self, font_path: str, font_index: int, footer_text: str) -> None:
        super().__init__(font_path, font_index, footer_text, orientation="L", margin=_MARGIN, footer_y=-9)


def _heading(pdf: _Document, text: str, size: int = 14) -> None:
    pdf.set_font("body", style="B", size=size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("body", size=10)


def _paragraphs(pdf: _Document, lines: list[str]) -> None:
    for line in lines:
        pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _fit(pdf: _Document, text: str, width: float) -> str:
    text = text.replace("\n", " ")
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[: max(1, int(len(text) * 0.8))] if len(text) > 40 else text[:-1]
    return text + "…"


def _dictionary(pdf: _Document, schema: dict[str, Any]) -> None:
    _heading(pdf, "資料欄位說明 Data dictionary")
    headings = ["欄位 Field", "名稱 Title", "型別 Type", "單位 Unit", "說明 Description", "限制 Constraints"]
    widths = [40, 48, 22, 20, 90, 53]
    pdf.set_font("body", style="B", size=8)
    for heading, width in zip(headings, widths, strict=True):
        pdf.cell(width, 6, heading, border=1)
    pdf.ln(6)
    pdf.set_font("body", size=8)
    for spec in schema["fields"]:
        title = " / ".join(part for part in (spec.get("title"), spec.get("title_en")) if part)
        description = " / ".join(
            part for part in (spec.get("description"), spec.get("description_en")) if part
        )
        constraints = ", ".join(
            f"{key}={value}"
            for key, value in (spec.get("constraints") or {}).items()
            if not (value is None or value == "" or value is False)
        )
        cells = [spec["name"], title, spec["type"], spec.get("unit", ""), description, constraints]
        for text, width in zip(cells, widths, strict=True):
            pdf.cell(width, 6, _fit(pdf, str(text), width - 1.5), border=1)
        pdf.ln(6)
    if schema.get("primaryKey"):
        pdf.ln(2)
        pdf.cell(0, 6, "主鍵 Primary key: " + ", ".join(schema["primaryKey"]), new_x="LMARGIN", new_y="NEXT")


def _data_table(pdf: _Document, schema: dict[str, Any], rows: Iterable[list[str]]) -> None:
    names = [spec["name"] for spec in schema["fields"]]
    usable = pdf.w - 2 * _MARGIN
    size = max(5.0, min(7.0, 7.0 * 12 / max(len(names), 1)))
    width = usable / max(len(names), 1)
    pdf.set_font("body", size=size)

    def header() -> None:
        pdf.set_font("body", style="B", size=size)
        for name in names:
            pdf.cell(width, _LINE, _fit(pdf, name, width - 1), border=1)
        pdf.ln(_LINE)
        pdf.set_font("body", size=size)

    header()
    for cells in rows:
        if pdf.will_page_break(_LINE):
            pdf.add_page()
            header()
        for text in cells:
            pdf.cell(width, _LINE, _fit(pdf, text, width - 1), border=1)
        pdf.ln(_LINE)


def write_pdf(path: Path, content: PdfContent, *, font_path: str, font_index: int) -> None:
    """Write the release's PDF to `path`."""
    pdf = _Document(
        font_path, font_index, f"{content.agency}  {content.title_zh}  第 {content.release_number} 版"
    )
    pdf.add_page()
    pdf.set_font("body", size=11)
    pdf.cell(0, 6, content.agency, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _heading(pdf, content.title_zh, size=20)
    if content.title_en:
        _heading(pdf, content.title_en, size=14)
    _paragraphs(
        pdf,
        [
            f"版本 Release: {content.release_number}",
            f"發布日期 Published: {content.release_date}",
            f"資料列數 Rows: {content.row_count:,}",
            f"授權 Licence: {content.licence}",
        ],
    )
    _heading(pdf, "版本說明 Release notes")
    _paragraphs(pdf, content.notes_zh)
    _paragraphs(pdf, content.notes_en)
    for heading, lines in content.extra_sections:
        _heading(pdf, heading)
        _paragraphs(pdf, lines)
    pdf.add_page()
    _dictionary(pdf, content.schema)
    pdf.add_page()
    if content.rows is not None and content.row_count <= PDF_TABLE_MAX_ROWS:
        _heading(pdf, "資料內容 Data")
        _data_table(pdf, content.schema, content.rows)
    else:
        _heading(pdf, "資料內容 Data")
        _paragraphs(
            pdf,
            [
                f"本版共 {content.row_count:,} 列，超過 {PDF_TABLE_MAX_ROWS:,} 列，PDF 不列出資料內容；請下載 CSV、ODS 或 JSON 檔。",
                f"This release has {content.row_count:,} rows, more than {PDF_TABLE_MAX_ROWS:,}; the PDF does not list "
                "them. Download the CSV, ODS or JSON file.",
            ],
        )
    pdf.output(str(path))
