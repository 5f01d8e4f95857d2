"""ODS sources, read as a stream of rows of text by walking `content.xml` with a streaming parser.

odfpy's DOM would hold the whole document in memory. Repeated cells and rows
(`table:number-columns-repeated`, `table:number-rows-repeated`) and repeated spaces
(`text:s text:c`) are bounded before anything is built for them: rows go through
`datasets.ingest.grid`, spaces count against the cell's character limit.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import iterparse

from datasets.ingest.errors import IngestError
from datasets.ingest.grid import Grid, column_letters, repeat_count
from datasets.ingest.limits import IngestLimits
from datasets.ingest.spreadsheets import cell_text, check_archive

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = {f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"}


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
        except MemoryError:
            raise
        except Exception as error:
            raise IngestError("damaged_spreadsheet") from error
    return names


def _text_length(element: Any) -> int:
    """How many characters a paragraph stands for, counting `text:s` spaces without making them."""
    length = len(element.text or "")
    for child in element:
        if child.tag == f"{_TEXT}s":
            length += repeat_count(child.get(f"{_TEXT}c"))
        elif child.tag in {f"{_TEXT}tab", f"{_TEXT}line-break"}:
            length += 1
        else:
            length += _text_length(child)
        length += len(child.tail or "")
    return length


def _paragraph_text(element: Any) -> str:
    """Text of an ODF paragraph, with its space, tab and line-break elements (already measured)."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            parts.append(" " * repeat_count(child.get(f"{_TEXT}c")))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_value(cell: Any, limits: IngestLimits, row: int, column: int) -> str:
    value_type = cell.get(f"{_OFFICE}value-type")
    if value_type in {"float", "percentage", "currency"}:
        return cell_text(float(cell.get(f"{_OFFICE}value", "0")))
    if value_type == "date":
        value = cell.get(f"{_OFFICE}date-value", "")
        return value[:10] if value.endswith("T00:00:00") else value
    if value_type == "boolean":
        return "true" if cell.get(f"{_OFFICE}boolean-value") == "true" else "false"
    paragraphs = [child for child in cell if child.tag == f"{_TEXT}p"]
    length = sum(_text_length(paragraph) for paragraph in paragraphs) + max(len(paragraphs) - 1, 0)
    if length > limits.max_cell_chars:
        raise IngestError(
            "cell_too_long",
            row=row,
            column=column_letters(column),
            length=length,
            limit=limits.max_cell_chars,
        )
    return "\n".join(_paragraph_text(paragraph) for paragraph in paragraphs)


def _row_runs(row: Any, limits: IngestLimits, row_number: int) -> list[tuple[str, int]]:
    """A row's cells as `(text, repeat)` runs, nothing expanded."""
    runs: list[tuple[str, int]] = []
    column = 1
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        repeat = repeat_count(cell.get(f"{_TABLE}number-columns-repeated"))
        covered = cell.tag != f"{_TABLE}table-cell"
        runs.append(("" if covered else _cell_value(cell, limits, row_number, column), repeat))
        column += repeat
    return runs


def read_ods(path: Path, sheet: str | None, limits: IngestLimits) -> Iterator[list[str]]:
    """Rows of one table of an ODS spreadsheet (the first when `sheet` is None)."""
    names = ods_sheet_names(path, limits)
    if not names:
        raise IngestError("damaged_spreadsheet")
    wanted = names[0] if sheet is None else sheet
    if wanted not in names:
        raise IngestError("sheet_not_found", sheet=sheet, sheets="、".join(names))
    archive, content = _ods_content(path, limits)
    with archive, content:
        try:
            yield from _table_rows(content, wanted, Grid(limits))
        except (IngestError, MemoryError):
            raise
        except Exception as error:
            raise IngestError("damaged_spreadsheet") from error


def _table_rows(content: Any, wanted: str, grid: Grid) -> Iterator[list[str]]:
    in_sheet = False
    table: Any = None
    rows_seen = 0
    for event, element in iterparse(content, events=("start", "end")):
        tag = element.tag
        if tag == f"{_TABLE}table":
            if event == "start":
                in_sheet = element.get(f"{_TABLE}name") == wanted
                table = element
            elif in_sheet:
                return
            continue
        if event != "end" or tag != f"{_TABLE}table-row":
            continue
        if in_sheet:
            repeat = repeat_count(element.get(f"{_TABLE}number-rows-repeated"))
            cells = grid.cells(_row_runs(element, grid.limits, grid.row_number))
            yield from grid.add_row(cells, repeat)
        element.clear()
        rows_seen += 1
        if table is not None and rows_seen % 1000 == 0:
            table.clear()  # drop the cleared rows the tree still holds
