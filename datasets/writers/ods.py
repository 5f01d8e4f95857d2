"""A streaming ODS (ODF 1.2 spreadsheet) writer whose memory does not grow with rows.

odfpy builds the whole document in memory (about 24 KB a row); this writes
`content.xml` straight into the ZIP archive as rows arrive, with typed number, date
and boolean cells and a bold header row. Publishing runs it in a process of its own
(`datasets.child_tasks`). Text cells and the header go through
`neutralise_formula`, as in the CSV, so that a cell reads the same in both files and
stays inert when the sheet is saved as CSV.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from datasets.writers.tabular import neutralise_formula
from portal.text import single_line

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)
_AUTOMATIC_STYLES = (
    "<office:automatic-styles>"
    '<number:date-style style:name="N1"><number:year number:style="long"/><number:text>-</number:text>'
    '<number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/>'
    "</number:date-style>"
    '<number:date-style style:name="N2"><number:year number:style="long"/><number:text>-</number:text>'
    '<number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/>'
    '<number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text>'
    '<number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/>'
    "</number:date-style>"
    '<style:style style:name="ceDate" style:family="table-cell" style:data-style-name="N1"/>'
    '<style:style style:name="ceDateTime" style:family="table-cell" style:data-style-name="N2"/>'
    '<style:style style:name="ceHead" style:family="table-cell">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="co1" style:family="table-column">'
    '<style:table-column-properties style:column-width="3.5cm"/></style:style>'
    "</office:automatic-styles>"
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_NAMESPACES} office:version="1.2"/>'
)

# Anything that needs more than plain escaping: markup characters, characters XML 1.0
# forbids, line breaks, tabs, and spaces ODF would collapse.
_NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\t\n\r]|  |^ | $")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPACES = re.compile(r" {2,}|^ ")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _paragraph(line: str) -> str:
    line = _ILLEGAL.sub("\ufffd", line).translate(_ESCAPES)
    line = _SPACES.sub(
        lambda match: (
            " " + f'<text:s text:c="{len(match.group()) - 1}"/>' if match.group() != " " else "<text:s/>"
        ),
        line,
    )
    line = line.replace("\t", "<text:tab/>")
    return f"<text:p>{line}</text:p>"


def text_cell(text: str, style: str = "") -> str:
    """A string cell; line breaks become paragraphs, runs of spaces are kept."""
    styled = f' table:style-name="{style}"' if style else ""
    opening = f'<table:table-cell{styled} office:value-type="string">'
    if _NEEDS_CARE.search(text) is None:
        return f"{opening}<text:p>{text}</text:p></table:table-cell>"
    paragraphs = "".join(
        _paragraph(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )
    return f"{opening}{paragraphs}</table:table-cell>"


def _inert_text_cell(text: str) -> str:
    return text_cell(neutralise_formula(text))


# Most rows take a fast path: the template's pieces around the cells, when no text cell needs
# more than placing: no markup, no runs of spaces, no formula-like start. The text cells are
# searched joined by U+E000 (which never occurs in data) and wrapped in it, so that the first
# and last cells need no alternative for the start and end of the text.
_ROW_NEEDS_CARE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\t\n\r]|  |\ue000[ =+\\-@]| \ue000")
_CELL_TEMPLATES = {
    "string": '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>',
    "integer": '<table:table-cell office:value-type="float" office:value="{}"/>',
    "number": '<table:table-cell office:value-type="float" office:value="{}"/>',
    "year": '<table:table-cell office:value-type="float" office:value="{}"/>',
    "date": '<table:table-cell table:style-name="ceDate" office:value-type="date" office:date-value="{}"/>',
}


def _row_template(schema: dict[str, Any]) -> str | None:
    """A format string for a whole row, or None when a field's cells need more than placing."""
    parts = []
    for field in schema["fields"]:
        template = _CELL_TEMPLATES.get(field["type"])
        if template is None:
            return None
        parts.append(template)
    return "<table:table-row>" + "".join(parts) + "</table:table-row>"


def _cell_writers(schema: dict[str, Any]) -> list[Any]:
    writers = []
    for field in schema["fields"]:
        field_type = field["type"]
        if field_type in {"integer", "number", "year"}:
            writers.append(
                lambda text: f'<table:table-cell office:value-type="float" office:value="{text}"/>'
            )
        elif field_type == "date":
            writers.append(
                lambda text: (
                    f'<table:table-cell table:style-name="ceDate" office:value-type="date" office:date-value="{text}"/>'
                )
            )
        elif field_type == "datetime":
            writers.append(
                lambda text: (
                    '<table:table-cell table:style-name="ceDateTime" office:value-type="date" '
                    f'office:date-value="{text.replace("Z", "")[:19]}"/>'
                )
            )
        elif field_type == "boolean":
            writers.append(
                lambda text: (
                    '<table:table-cell office:value-type="boolean" '
                    f'office:boolean-value="{"true" if text in {"true", "True", "TRUE", "1"} else "false"}"/>'
                )
            )
        else:
            writers.append(_inert_text_cell)
    return writers


def _meta(title: str) -> str:
    # A title stored with control characters would make meta.xml unreadable: one clean line.
    escaped = single_line(title).translate(_ESCAPES)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_NAMESPACES} office:version="1.2">'
        f"<office:meta><dc:title>{escaped}</dc:title><meta:generator>water-portal</meta:generator></office:meta>"
        "</office:document-meta>"
    )


def write_ods(
    path: Path, schema: dict[str, Any], rows: Iterable[list[str]], *, title: str = "", sheet: str = "data"
) -> int:
    """Write `rows` (cells as text, typed by `schema`) to an ODS file; returns the row count."""
    writers = _cell_writers(schema)
    width = len(writers)
    empty = "<table:table-cell/>"
    count = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        # The mimetype comes first and uncompressed, so that tools can recognise the file.
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("styles.xml", _STYLES)
        archive.writestr("meta.xml", _meta(title))
        with archive.open("content.xml", "w", force_zip64=True) as content:
            count = _write_content(content, schema, rows, writers, width, empty, sheet)
    return count


def _write_content(
    content: IO[bytes],
    schema: dict[str, Any],
    rows: Iterable[list[str]],
    writers: list[Any],
    width: int,
    empty: str,
    sheet: str,
) -> int:
    header = "".join(text_cell(neutralise_formula(field["name"]), "ceHead") for field in schema["fields"])
    content.write(
        (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NAMESPACES} office:version="1.2">'
            f"{_AUTOMATIC_STYLES}<office:body><office:spreadsheet>"
            f'<table:table table:name="{sheet.translate(_ESCAPES)}">'
            f'<table:table-column table:style-name="co1" table:number-columns-repeated="{width}"/>'
            f"<table:table-header-rows><table:table-row>{header}</table:table-row></table:table-header-rows>"
        ).encode()
    )
    buffer: list[str] = []
    count = 0
    template = _row_template(schema)
    slots: list[str] = [""] * (2 * width + 1)
    if template is not None:
        slots[0::2] = template.split("{}")
    text_positions = [
        position for position, field in enumerate(schema["fields"]) if field["type"] == "string"
    ]
    # Each cell's opening and closing, for rows with empty cells (which are written bare).
    pieces = [_CELL_TEMPLATES[field["type"]].split("{}") for field in schema["fields"]] if template else []
    needs_care = _ROW_NEEDS_CARE.search
    for cells in rows:
        if (
            template is not None
            and len(cells) == width
            and needs_care(
                "\ue000" + "\ue000".join([cells[position] for position in text_positions]) + "\ue000"
            )
            is None
        ):
            if all(cells):
                # Placing cells between the template's pieces is twice as fast as str.format.
                slots[1::2] = cells
                buffer.append("".join(slots))
            else:
                placed = [
                    opening + text + closing if text else empty
                    for (opening, closing), text in zip(pieces, cells)  # noqa: B905 - same length
                ]
                buffer.append("<table:table-row>" + "".join(placed) + "</table:table-row>")
        else:
            parts = ["<table:table-row>"]
            for writer, text in zip(writers, cells, strict=False):
                parts.append(writer(text) if text else empty)
            parts.append("</table:table-row>")
            buffer.append("".join(parts))
        count += 1
        if len(buffer) >= 2000:
            content.write("".join(buffer).encode("utf-8"))
            buffer.clear()
    content.write("".join(buffer).encode("utf-8"))
    content.write(b"</table:table></office:spreadsheet></office:body></office:document-content>")
    return count
