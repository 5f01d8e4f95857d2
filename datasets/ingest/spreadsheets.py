"""XLSX and ODS sources, read as a stream of rows of text.

Both formats are ZIP archives; `check_archive` refuses one that would unpack to an
unreasonable size before any XML is parsed. XLSX is read with openpyxl in read-only
mode; ODS by walking `content.xml` with a streaming parser, since odfpy's DOM holds
the whole document in memory. Cells become the text a person would type: integers
without `.0`, dates as ISO 8601.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import iterparse

from datasets.ingest.errors import IngestError
from datasets.ingest.limits import IngestLimits

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def check_archive(path: Path, limits: IngestLimits) -> zipfile.ZipFile:
    """Open a ZIP-based spreadsheet after checking it cannot unpack into a bomb."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise IngestError("not_a_spreadsheet", extension=path.suffix or "?") from error
    members = archive.infolist()
    if len(members) > limits.max_archive_members:
        raise IngestError("archive_bomb")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > limits.max_unpacked_bytes or (
            member.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio
        ):
            raise IngestError("archive_bomb")
        if member.flag_bits & 0x1:
            raise IngestError("damaged_spreadsheet")  # encrypted
    return archive


def cell_text(value: Any) -> str:
    """The text of a spreadsheet value as a person would type it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


class _RowTrimmer:
    """Drops trailing empty cells and holds back empty rows until a non-empty one follows."""

    def __init__(self) -> None:
        self.pending_empty_rows = 0

    def feed(self, cells: list[str]) -> Iterator[list[str]]:
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            self.pending_empty_rows += 1
            return
        for _ in range(self.pending_empty_rows):
            yield []
        self.pending_empty_rows = 0
        yield cells


def xlsx_sheet_names(path: Path, limits: IngestLimits) -> list[str]:
    """The names of the workbook's sheets."""
    return _open_workbook(path, limits).sheetnames


def _open_workbook(path: Path, limits: IngestLimits) -> Any:
    from openpyxl import load_workbook

    check_archive(path, limits).close()
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise IngestError("damaged_spreadsheet") from error


def read_xlsx(path: Path, sheet: str | None, limits: IngestLimits) -> Iterator[list[str]]:
    """Rows of one sheet of an XLSX workbook (the first when `sheet` is None)."""
    workbook = _open_workbook(path, limits)
    try:
        names = workbook.sheetnames
        if sheet is None:
            worksheet = workbook[names[0]]
        elif sheet in names:
            worksheet = workbook[sheet]
        else:
            raise IngestError("sheet_not_found", sheet=sheet, sheets="、".join(names))
        trimmer = _RowTrimmer()
        for values in worksheet.iter_rows(values_only=True):
            yield from trimmer.feed([cell_text(value) for value in values])
    finally:
        workbook.close()


def _ods_content(path: Path, limits: IngestLimits) -> tuple[zipfile.ZipFile, Any]:
    archive = check_archive(path, limits)
    try:
        mimetype = archive.read("mimetype").strip()
    except KeyError as error:
        raise IngestError("not_a_spreadsheet", extension=path.suffix or "?") from error
    if mimetype != ODS_MIMETYPE:
        raise IngestError("not_a_spreadsheet", extension=path.suffix or "?")
    try:
        return archive, archive.open("content.xml")
    except KeyError as error:
        raise IngestError("damaged_spreadsheet") from error


def ods_sheet_names(path: Path, limits: IngestLimits) -> list[str]:
    """The names of the spreadsheet's tables."""
    archive, content = _ods_content(path, limits)
    names = []
    with archive, content:
        try:
            for event, element in iterparse(content, events=("start",)):
                if event == "start" and element.tag == f"{_TABLE}table":
                    names.append(element.get(f"{_TABLE}name", ""))
        except Exception as error:
            raise IngestError("damaged_spreadsheet") from error
    return names


def _paragraph_text(element: Any) -> str:
    """Text of an ODF paragraph, with its space, tab and line-break elements."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1")))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_cell_value(cell: Any) -> str:
    value_type = cell.get(f"{_OFFICE}value-type")
    if value_type in {"float", "percentage", "currency"}:
        return cell_text(float(cell.get(f"{_OFFICE}value", "0")))
    if value_type == "date":
        value = cell.get(f"{_OFFICE}date-value", "")
        return value[:10] if value.endswith("T00:00:00") else value
    if value_type == "boolean":
        return "true" if cell.get(f"{_OFFICE}boolean-value") == "true" else "false"
    paragraphs = [_paragraph_text(child) for child in cell if child.tag == f"{_TEXT}p"]
    return "\n".join(paragraphs)


def _ods_row_cells(row: Any, limits: IngestLimits) -> list[str]:
    cells: list[str] = []
    pending_empty = 0
    for cell in row:
        if cell.tag not in {f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"}:
            continue
        repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1"))
        text = _ods_cell_value(cell) if cell.tag == f"{_TABLE}table-cell" else ""
        if text == "":
            pending_empty += repeat  # trailing empties are often repeated thousands of times
            continue
        if repeat > limits.max_columns:
            raise IngestError("too_many_columns", count=repeat, limit=limits.max_columns)
        cells.extend([""] * pending_empty)
        pending_empty = 0
        cells.extend([text] * repeat)
        if len(cells) > limits.max_columns:
            raise IngestError("too_many_columns", count=len(cells), limit=limits.max_columns)
    return cells


def read_ods(path: Path, sheet: str | None, limits: IngestLimits) -> Iterator[list[str]]:
    """Rows of one table of an ODS spreadsheet (the first when `sheet` is None)."""
    names = ods_sheet_names(path, limits)
    if not names:
        raise IngestError("damaged_spreadsheet")
    wanted = names[0] if sheet is None else sheet
    if wanted not in names:
        raise IngestError("sheet_not_found", sheet=sheet, sheets="、".join(names))
    archive, content = _ods_content(path, limits)
    trimmer = _RowTrimmer()
    in_sheet = False
    table: Any = None
    rows_seen = 0
    with archive, content:
        try:
            for event, element in iterparse(content, events=("start", "end")):
                tag = element.tag
                if tag == f"{_TABLE}table":
                    if event == "start":
                        in_sheet = element.get(f"{_TABLE}name") == wanted
                        table = element
                    elif in_sheet:
                        break
                    continue
                if event != "end" or tag != f"{_TABLE}table-row":
                    continue
                if in_sheet:
                    cells = _ods_row_cells(element, limits)
                    repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                    if not cells:
                        # Blank rows only count; thousands of trailing ones are common.
                        trimmer.pending_empty_rows += repeat
                    elif repeat > limits.max_repeat:
                        raise IngestError("archive_bomb")
                    else:
                        for _ in range(repeat):
                            yield from trimmer.feed(list(cells))
                element.clear()
                rows_seen += 1
                if table is not None and rows_seen % 1000 == 0:
                    table.clear()  # drop the cleared rows the tree still holds
        except IngestError:
            raise
        except Exception as error:
            raise IngestError("damaged_spreadsheet") from error
