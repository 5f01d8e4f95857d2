"""`python -m datasets.pii FILE`: report personal data in a file, one JSON object a line.

A CSV file (by its extension) is scanned cell by cell: `row` is the 1-based data row
(the header is not counted) and `column` the header of the cell. Any other text file is
scanned line by line: `row` is the line number and `column` is null. Each finding has
`row`, `column`, `kind`, `start`, `end` (character offsets in the cell or line) and
`text`. Exit status: 0 when nothing is found, 1 when something is, 2 on error.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from datasets.ingest import IngestError
from datasets.ingest.csvfile import detect_format, read_rows
from datasets.pii import scan_text


def _csv_findings(path: Path) -> Iterator[dict[str, Any]]:
    csv_format = detect_format(path)
    rows = read_rows(path, csv_format)
    header = next(rows, None)
    if header is None:
        return
    header = [name.strip().lstrip("\ufeff") for name in header]
    for number, row in enumerate(rows, start=1):
        for position, cell in enumerate(row):
            column = header[position] if position < len(header) else None
            for finding in scan_text(cell, column):
                yield {
                    "row": number,
                    "column": column,
                    "kind": finding.kind,
                    "start": finding.start,
                    "end": finding.end,
                    "text": finding.text,
                }


def _text_findings(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", errors="strict") as handle:
        for number, line in enumerate(handle, start=1):
            for finding in scan_text(line.rstrip("\r\n")):
                yield {
                    "row": number,
                    "column": None,
                    "kind": finding.kind,
                    "start": finding.start,
                    "end": finding.end,
                    "text": finding.text,
                }


def main(argv: list[str]) -> int:
    """Scan the file named in `argv`; returns the exit status."""
    if len(argv) != 1:
        print("usage: python -m datasets.pii FILE", file=sys.stderr)
        return 2
    path = Path(argv[0])
    found = 0
    try:
        findings = _csv_findings(path) if path.suffix.lower() in {".csv", ".tsv"} else _text_findings(path)
        for finding in findings:
            print(json.dumps(finding, ensure_ascii=False))
            found += 1
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        print(f"cannot scan {path}: {error}", file=sys.stderr)
        return 2
    except IngestError as error:
        print(f"cannot scan {path}: {error.code}", file=sys.stderr)
        return 2
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
