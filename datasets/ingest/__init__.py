"""Taking in a source file: CSV (UTF-8, UTF-8 with BOM, Big5, any delimiter), XLSX or ODS,
read as one stream of rows of text, never whole into memory.

`open_source()` checks what can be checked of the file as a whole (empty, binary,
encoding, header, archive bombs) and raises `IngestError` with a message for the
uploader; over-long cells raise it while the rows stream. Row-level problems (ragged
rows, wrong types) are the validator's.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from datasets.ingest.csvfile import CsvFormat, detect_format, read_rows
from datasets.ingest.errors import IngestError
from datasets.ingest.limits import IngestLimits
from datasets.ingest.ods import read_ods
from datasets.ingest.spreadsheets import read_xlsx

__all__ = ["SAMPLE_ROWS", "IngestError", "IngestLimits", "Source", "SourceInfo", "open_source"]

# Cells longer than the csv module's default limit are reported, not crashed on.
csv.field_size_limit(64 * 1024 * 1024)

# Rows kept aside for schema inference.
SAMPLE_ROWS = 10_000
SUPPORTED_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".ods": "ods"}


@dataclass
class SourceInfo:
    """What was found in a source file."""

    kind: str
    columns: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def source_kind(filename: str) -> str:
    """`csv`, `xlsx` or `ods`, from the file name's extension."""
    extension = Path(filename).suffix.lower()
    kind = SUPPORTED_EXTENSIONS.get(extension)
    if kind is None:
        raise IngestError("unsupported_format", extension=extension or "?")
    return kind


def check_header(header: list[str], limits: IngestLimits) -> list[str]:
    """Cleaned column names; refuses blank or repeated names and too many columns."""
    names = [name.strip().lstrip("\ufeff").strip() for name in header]
    if len(names) > limits.max_columns:
        raise IngestError("too_many_columns", count=len(names), limit=limits.max_columns)
    positions: dict[str, list[int]] = defaultdict(list)
    for position, name in enumerate(names, start=1):
        if not name:
            raise IngestError("blank_header", column=position)
        positions[name].append(position)
    for name, where in positions.items():
        if len(where) > 1:
            raise IngestError("duplicate_header", name=name, columns="、".join(map(str, where)))
    return names


def _rows(
    path: Path, kind: str, sheet: str | None, limits: IngestLimits
) -> tuple[Iterator[list[str]], CsvFormat | None]:
    if kind == "csv":
        csv_format = detect_format(path)
        return read_rows(path, csv_format), csv_format
    if kind == "xlsx":
        return read_xlsx(path, sheet, limits), None
    return read_ods(path, sheet, limits), None


def _checked_rows(rows: Iterator[list[str]], columns: list[str], limits: IngestLimits) -> Iterator[list[str]]:
    """Data rows with trailing blank rows dropped and over-long cells refused."""
    max_cell = limits.max_cell_chars
    blank_run = 0
    row_number = 1  # the header
    try:
        for row in rows:
            if not row or not any(row):
                blank_run += 1
                continue
            for _ in range(blank_run):
                row_number += 1
                yield []  # blank rows inside the data stay, for the validator to report
            blank_run = 0
            row_number += 1
            if len("".join(row)) > max_cell and max(map(len, row)) > max_cell:
                column = next(index for index, cell in enumerate(row) if len(cell) > max_cell)
                name = columns[column] if column < len(columns) else str(column + 1)
                raise IngestError(
                    "cell_too_long", row=row_number, column=name, length=len(row[column]), limit=max_cell
                )
            yield row
    except csv.Error as error:
        raise IngestError("malformed_csv") from error
    except UnicodeDecodeError as error:
        raise IngestError("unknown_encoding") from error


@dataclass
class Source:
    """An opened source: what it is, its first rows, and all its data rows as a stream."""

    info: SourceInfo
    sample: list[list[str]]
    rows: Iterator[list[str]]
    estimated_rows: int

    def write_sample(self, path: Path) -> None:
        """Write the header and the sample rows as UTF-8 CSV (for schema inference)."""
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(self.info.columns)
            writer.writerows(row for row in self.sample if row)


def open_source(
    path: Path,
    filename: str,
    *,
    sheet: str | None = None,
    limits: IngestLimits | None = None,
    sample_rows: int = SAMPLE_ROWS,
) -> Source:
    """Open `path` (uploaded as `filename`) and check what can be checked before reading it all.

    Row numbers in every later report are those a spreadsheet shows: the header is row 1.
    """
    limits = limits or IngestLimits()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise IngestError("too_large", limit=f"{limits.max_bytes // (1024 * 1024)} MB")
    if size == 0:
        raise IngestError("empty_file")
    kind = source_kind(filename)
    raw_rows, csv_format = _rows(path, kind, sheet, limits)
    try:
        header = next(raw_rows, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(raw_rows, None)  # blank lines before the header
    except csv.Error as error:
        raise IngestError("malformed_csv") from error
    except UnicodeDecodeError as error:
        raise IngestError("unknown_encoding") from error
    if header is None:
        raise IngestError("empty_file")
    columns = check_header(header, limits)
    rows = _checked_rows(raw_rows, columns, limits)
    sample = list(islice(rows, sample_rows))
    if not any(sample):
        raise IngestError("header_only")
    sample_bytes = sum(len(cell) for row in sample for cell in row) + len(sample) * len(columns)
    if len(sample) < sample_rows:
        estimated = len(sample)
    else:
        estimated = max(len(sample), int(size / max(sample_bytes / len(sample), 1)))
    info = SourceInfo(
        kind=kind,
        columns=columns,
        encoding=csv_format.encoding if csv_format else None,
        delimiter=csv_format.delimiter if csv_format else None,
        sheet=sheet,
    )
    return Source(info=info, sample=sample, rows=chain(sample, rows), estimated_rows=estimated)
