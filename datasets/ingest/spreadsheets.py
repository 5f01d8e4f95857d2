"""XLSX sources read as a stream of rows of text, and the checks both spreadsheet formats share.

Both formats are ZIP archives; `check_archive` refuses one that would unpack to an
unreasonable size before any XML is parsed. XLSX is read with openpyxl's streaming sheet
parser, row by row as the XML numbers them, and rebuilt by `datasets.ingest.grid`:
openpyxl's read-only worksheet would fill every row out to the `<dimension ref>` the
file claims and yield every row a `<row r=...>` jump skips, which lets a few bytes stand
for billions of cells. ODS is read in `datasets.ingest.ods`. Cells become the text a
person would type: integers without `.0`, dates as ISO 8601.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from datasets.ingest.errors import IngestError
from datasets.ingest.grid import Grid
from datasets.ingest.limits import IngestLimits


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


def _open_workbook(path: Path, limits: IngestLimits) -> Any:
    from openpyxl import load_workbook

    check_archive(path, limits).close()
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except MemoryError:
        raise
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
        yield from _sheet_rows(workbook, worksheet, Grid(limits))
    except (IngestError, MemoryError):
        raise
    except Exception as error:  # a damaged sheet's XML, a shared string that is not there
        raise IngestError("damaged_spreadsheet") from error
    finally:
        workbook.close()


def _sheet_rows(workbook: Any, worksheet: Any, grid: Grid) -> Iterator[list[str]]:
    """The sheet's rows as its XML numbers them; gaps are counted, never built."""
    # openpyxl's own streaming parser, as its read-only worksheet uses it, without the
    # padding that worksheet adds (see the module's docstring).
    from openpyxl.worksheet._reader import WorkSheetParser

    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, parsed in parser.parse():
            if number < grid.row_number:
                raise IngestError("damaged_spreadsheet")  # rows out of order or repeated
            grid.skip_rows(number - grid.row_number)
            yield from grid.add_row(grid.cells(_xlsx_runs(parsed)))


def _xlsx_runs(parsed: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """A row's numbered cells as runs: the gaps between them become runs of empty cells."""
    texts = {cell["column"]: cell_text(cell["value"]) for cell in parsed}
    runs: list[tuple[str, int]] = []
    previous = 0
    for column in sorted(texts):
        text = texts[column]
        if text == "":
            continue
        if column - previous > 1:
            runs.append(("", column - previous - 1))
        runs.append((text, 1))
        previous = column
    return runs
