"""Writes the demo documents' files into `disclosure/demo_files/`: `python -m disclosure.demo_files`.

The files are committed and loading the demo only reads them, because setting Chinese
PDFs is slow. They are written reproducibly (a fixed creation date in the PDFs, fixed
timestamps in the ODF packages), so that running this again changes only files whose
content changed. PDFs use the portal's body font (`PDF_FONT`, face `PDF_FONT_INDEX`);
ODT and ODS files are written with odfpy.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace
from odf.dc import Language, Title
from odf.element import Element
from odf.opendocument import OpenDocument, OpenDocumentSpreadsheet, OpenDocumentText
from odf.table import Table, TableCell, TableRow
from odf.text import H, P

from disclosure.demo_documents import DEMO_DOCUMENTS, DemoDocument, DemoFile
from portal.config import SETTINGS_BY_NAME
from portal.pdf_fonts import FootedA4

FOLDER = Path(__file__).resolve().parent / "demo_files"
AGENCY = "台灣自來水公司第一區管理處"
# Fixed so that regenerating leaves unchanged documents byte for byte the same.
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_MARGIN = 18
_SECTION = re.compile(r"^[壹貳參肆伍陸柒捌玖拾]、")
_NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$")


def read_paragraphs(file: DemoFile) -> tuple[str, ...]:
    """The file's paragraphs: its own, or the lines of its committed text file."""
    if file.text_file:
        lines = (FOLDER / file.text_file).read_text(encoding="utf-8").splitlines()
        return tuple(line for line in lines if line.strip())
    return file.paragraphs


class _Faces:
    """Spreads a document's characters over copies of the body face, at most `GLYPHS_PER_FACE` in each.

    pypdf (which reads uploaded PDFs' text for search) misreads the characters of an
    fpdf2 CID font from about its 255th glyph on, so a long Chinese document is set in several
    copies of the same face. Each character belongs to one copy, so that no glyph is
    embedded twice.
    """

    GLYPHS_PER_FACE = 240

    def __init__(self, pdf: FPDF, font_path: str, font_index: int, footer_text: str) -> None:
        self.pdf = pdf
        self.font_path = font_path
        self.font_index = font_index
        # FootedA4 has added both faces of "body"; further copies are added as they fill.
        self.families: dict[str, list[str]] = {"": ["body"], "B": ["body"]}
        self.count: dict[tuple[str, str], int] = {}
        self.home: dict[tuple[str, str], str] = {}
        for character in footer_text + " 0123456789":  # the footer is set in "body" on every page
            self._family_of(character, "")

    def _family_of(self, character: str, style: str) -> str:
        known = self.home.get((character, style))
        if known is not None:
            return known
        family = self.families[style][-1]
        if self.count.get((family, style), 0) >= self.GLYPHS_PER_FACE:
            family = f"body{len(self.families['']) + len(self.families['B'])}"
            self.pdf.add_font(
                family, style=style, fname=self._file(style), collection_font_number=self.font_index
            )
            self.families[style].append(family)
        self.count[(family, style)] = self.count.get((family, style), 0) + 1
        self.home[(character, style)] = family
        return family

    def runs(self, text: str, style: str) -> list[tuple[str, str]]:
        """`text` cut into runs of characters of the same family: (family, run)."""
        runs: list[tuple[str, str]] = []
        for character in text:
            family = self._family_of(character, style)
            if runs and runs[-1][0] == family:
                runs[-1] = (family, runs[-1][1] + character)
            else:
                runs.append((family, character))
        return runs

    def _file(self, style: str) -> str:
        bold = self.font_path.replace("Regular", "Bold")
        return bold if style == "B" and Path(bold).exists() else self.font_path


def _pdf_table(pdf: FPDF, faces: _Faces, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> None:
    families = {family for cells in (header, *rows) for family, _run in faces.runs("".join(cells), "")}
    if len(families) > 1:
        raise ValueError("a demo table needs more characters than one face subset holds")
    pdf.set_font(families.pop(), size=9)
    # The heading row is shaded rather than bold, so that the table is set in one face.
    headings = FontFace(emphasis=None, fill_color=(225, 230, 236))
    with pdf.table(line_height=5.5, first_row_as_headings=True, headings_style=headings) as table:
        for cells in (header, *rows):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(3)


def _text(pdf: FPDF, faces: _Faces, text: str, style: str, size: float, height: float) -> None:
    for family, run in faces.runs(text, style):
        pdf.set_font(family, style=style, size=size)
        pdf.write(height, run)
    pdf.ln(height)


def pdf_bytes(document: DemoDocument, file: DemoFile, font_path: str, font_index: int) -> bytes:
    """A text PDF of the document: agency, title, the file's heading, paragraphs and table, page-numbered."""
    paragraphs = list(read_paragraphs(file))
    footer_text = f"{AGENCY}　{document.title_zh}"
    pdf = FootedA4(font_path, font_index, footer_text, orientation="P", margin=_MARGIN, footer_y=-12)
    faces = _Faces(pdf, font_path, font_index, footer_text)
    pdf.set_creation_date(CREATED)
    pdf.set_title(document.title_zh)
    pdf.set_author(AGENCY)
    pdf.set_lang("zh-TW")
    pdf.add_page()
    _text(pdf, faces, AGENCY, "", 9, 5)
    pdf.ln(2)
    _text(pdf, faces, document.title_zh, "B", 15, 8)
    if document.title_en:
        _text(pdf, faces, document.title_en, "", 10, 5.5)
    pdf.ln(4)
    for paragraph, heading in _body(document, file, paragraphs):
        if heading:
            pdf.ln(1)
            _text(pdf, faces, paragraph, "B", 11.5, 6.2)
        else:
            _text(pdf, faces, paragraph, "", 10.5, 6.2)
        pdf.ln(1.2)
    if file.header:
        pdf.ln(2)
        _pdf_table(pdf, faces, file.header, file.rows)
    return bytes(pdf.output())


def _body(document: DemoDocument, file: DemoFile, paragraphs: list[str]) -> list[tuple[str, bool]]:
    """The paragraphs below the title, each with whether it is a heading (the file's own, or a section's).

    What repeats the title (or, in a committed text, the agency) is left out.
    """
    if file.text_file:
        lines = [line for line in paragraphs if line not in (AGENCY, document.title_zh)]
        return [(line, bool(_SECTION.match(line))) for line in lines]
    if paragraphs and paragraphs[0] == document.title_zh:
        paragraphs = paragraphs[1:]
    elif paragraphs:
        return [(paragraphs[0], True)] + [(line, bool(_SECTION.match(line))) for line in paragraphs[1:]]
    return [(line, bool(_SECTION.match(line))) for line in paragraphs]


def scanned_pdf_bytes(pages: int = 2) -> bytes:
    """A PDF of 'scanned' pages: a letter drawn as shapes (lines of ink, a seal), with no text at all."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(CREATED)
    pdf.set_auto_page_break(auto=False)
    for page in range(pages):
        pdf.add_page()
        pdf.set_fill_color(246, 244, 236)  # the paper's tint
        pdf.rect(0, 0, pdf.w, pdf.h, style="F")
        pdf.set_fill_color(70, 70, 72)
        top = 30.0
        if page == 0:
            pdf.rect(60, top, 90, 7, style="F")  # the letterhead
            top += 20
        for line in range(26 if page == 0 else 18):
            # Uneven line lengths and a slight drift, as a photocopied page has.
            width = 150 - (line * 37 % 45) if line % 6 != 5 else 70
            pdf.rect(24 + (line % 3) * 0.4, top + line * 8.2, width, 2.6, style="F")
        if page == pages - 1:
            pdf.set_draw_color(190, 40, 40)
            pdf.set_line_width(1.2)
            pdf.ellipse(140, 235, 32, 32, style="D")  # the seal
            pdf.rect(148, 243, 16, 16, style="D")
    return bytes(pdf.output())


def _repacked(data: bytes) -> bytes:
    """The ODF package with every entry's timestamp fixed; the mimetype stays first and stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _saved(document: OpenDocument, title: str) -> bytes:
    document.meta.addElement(Title(text=title))
    document.meta.addElement(Language(text="zh-TW"))
    out = io.BytesIO()
    document.save(out)
    return _repacked(out.getvalue())


def _forget_namespaces() -> None:
    # odfpy keeps the namespaces it has seen in one dictionary shared by every element of
    # every document and declares them all, so a file would depend on what was written
    # before it in the same process. Each demo file starts as in a fresh process.
    Element.namespaces.clear()


def odt_bytes(document: DemoDocument, file: DemoFile) -> bytes:
    """A text document: the title as heading, the file's own heading below it, then the paragraphs."""
    paragraphs = list(read_paragraphs(file))
    _forget_namespaces()
    text = OpenDocumentText()
    text.text.addElement(H(outlinelevel=1, text=document.title_zh))
    for paragraph, heading in _body(document, file, paragraphs):
        if heading:
            text.text.addElement(H(outlinelevel=2, text=paragraph))
        else:
            text.text.addElement(P(text=paragraph))
    return _saved(text, document.title_zh)


def _cell(value: str) -> TableCell:
    if _NUMBER.match(value):
        number = value.replace(",", "")
        cell = TableCell(valuetype="float", value=number)
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=value))
    return cell


def ods_bytes(document: DemoDocument, file: DemoFile) -> bytes:
    """A spreadsheet of one sheet: the header row, then the rows (figures as numbers)."""
    _forget_namespaces()
    sheet = OpenDocumentSpreadsheet()
    table = Table(name=document.title_zh[:31])
    for cells in (file.header, *file.rows):
        row = TableRow()
        for value in cells:
            row.addElement(_cell(value))
        table.addElement(row)
    sheet.spreadsheet.addElement(table)
    return _saved(sheet, document.title_zh)


def file_bytes(document: DemoDocument, file: DemoFile, font_path: str, font_index: int) -> bytes:
    """The bytes of one of the document's files."""
    if file.kind == "pdf":
        return scanned_pdf_bytes() if file.scanned else pdf_bytes(document, file, font_path, font_index)
    if file.kind == "odt":
        return odt_bytes(document, file)
    if file.kind == "ods":
        return ods_bytes(document, file)
    raise ValueError(f"{document.key}: unknown file kind {file.kind!r}")


def write_all(folder: Path = FOLDER) -> list[Path]:
    """Write every demo document's files into `folder`; returns the files whose bytes changed."""
    font_path = str(SETTINGS_BY_NAME["PDF_FONT"].default)
    font_index = int(SETTINGS_BY_NAME["PDF_FONT_INDEX"].default)
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for document in DEMO_DOCUMENTS:
        for file, name in zip(document.files, document.file_names(), strict=True):
            data = file_bytes(document, file, font_path, font_index)
            path = folder / name
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
                changed.append(path)
    return changed


def main() -> None:
    """Write the files and say which changed."""
    changed = write_all()
    for path in changed:
        print(f"written {path.name} ({path.stat().st_size:,} bytes)")
    print(f"{len(changed)} file(s) changed in {FOLDER}")


if __name__ == "__main__":
    main()
