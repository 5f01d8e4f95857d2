"""Sample files for the disclosure tests, built here with the programs' own libraries (odfpy, fpdf2, pypdf)."""

from __future__ import annotations

import io
import zipfile

from fpdf import FPDF
from odf.opendocument import (
    OpenDocumentDrawing,
    OpenDocumentPresentation,
    OpenDocumentSpreadsheet,
    OpenDocumentText,
)
from odf.table import Table, TableCell, TableRow
from odf.text import H, P
from pypdf import PdfReader, PdfWriter

from portal.pdf_fonts import FootedA4

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_INDEX = 3


def _saved(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def odt(*paragraphs: str) -> bytes:
    """A text document with a heading and paragraphs."""
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=paragraphs[0] if paragraphs else ""))
    for paragraph in paragraphs[1:]:
        document.text.addElement(P(text=paragraph))
    return _saved(document)


def ods(*rows: tuple[str, ...]) -> bytes:
    """A spreadsheet with one table."""
    document = OpenDocumentSpreadsheet()
    table = Table(name="統計")
    for row in rows:
        line = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    return _saved(document)


def odp() -> bytes:
    """An (empty) presentation."""
    return _saved(OpenDocumentPresentation())


def odg() -> bytes:
    """A drawing: ODF, but none of the three kinds a disclosure may hold."""
    return _saved(OpenDocumentDrawing())


def pdf_with_text(text: str, pages: int = 1) -> bytes:
    """A PDF whose pages hold `text` in the Chinese body font."""
    document = FootedA4(FONT, FONT_INDEX, "測試", orientation="P", margin=15, footer_y=-12)
    for _ in range(pages):
        document.add_page()
        document.multi_cell(0, 6, text)
    return bytes(document.output())


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF of pages that are only pictures: no text to read."""
    document = FPDF()
    for _ in range(pages):
        document.add_page()
        document.set_fill_color(90, 90, 90)
        for row in range(30):
            document.rect(15, 15 + row * 8, 120 + (row % 5) * 10, 4, style="F")
    return bytes(document.output())


def encrypted_pdf(plain: bytes) -> bytes:
    """`plain` with a password."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(plain)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zipped(entries: dict[str, bytes | str], *, first: str | None = None) -> bytes:
    """A ZIP archive of `entries` (with `first` stored uncompressed first, as ODF's mimetype is)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if first is not None:
            archive.writestr(zipfile.ZipInfo(first), entries[first], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != first:
                archive.writestr(name, data)
    return out.getvalue()


def ooxml(folder: str) -> bytes:
    """An Office Open XML package (Word: word/, Excel: xl/, PowerPoint: ppt/)."""
    return zipped({"[Content_Types].xml": "<Types/>", f"{folder}document.xml": "<x/>"})


def odf_package(
    content: str, *, manifest: str = "<manifest/>", mimetype: str = "application/vnd.oasis.opendocument.text"
) -> bytes:
    """An ODF package with the given content.xml and manifest."""
    return zipped(
        {"mimetype": mimetype, "content.xml": content, "META-INF/manifest.xml": manifest},
        first="mimetype",
    )
