"""Run one writer, or the personal-data gate, over a release's clean CSV in a process of its own.

Publishing starts one for the ODS file, one for the JSON file and one for the gate's
scan. With `--follow` they start while the clean CSV is still being written and read
it as it grows, so that they use the second core during the validation pass; the file
is complete once the marker file named after `--follow` exists.

    python -m datasets.writers.child ods|json|scan CLEAN_CSV OUT SCHEMA_JSON SKIP_ROWS_FILE [--follow MARKER]

For `scan`, OUT is where the gate's report (JSON) goes, and SCHEMA_JSON may hold the
dataset's justified findings as `allowances`.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from datasets.writers.ods import write_ods
from datasets.writers.tabular import JsonWriter

_POLL_SECONDS = 0.05


def _growing_lines(handle: IO[str], marker: Path) -> Iterator[str]:
    """Complete lines of a file another process is still appending to."""
    pending = ""
    while True:
        chunk = handle.readline()
        if chunk:
            pending += chunk
            if pending.endswith("\n"):
                yield pending
                pending = ""
            continue
        if marker.exists():
            rest = handle.read()
            if pending or rest:
                yield from (pending + rest).splitlines(keepends=True)
            return
        time.sleep(_POLL_SECONDS)


def numbered_clean_rows(
    path: Path, skip: set[int], follow: Path | None = None
) -> Iterator[tuple[int, list[str]]]:
    """`(source row number, field cells)` of a clean CSV, skipping the rows in `skip`."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines: Iterator[str] = _growing_lines(handle, follow) if follow else handle
        reader = csv.reader(lines)
        next(reader)
        for row in reader:
            number = int(row[0])
            if skip and number in skip:
                continue
            yield number, row[1:]


def clean_rows(path: Path, skip: set[int], follow: Path | None = None) -> Iterator[list[str]]:
    """Field cells of a clean CSV (its first column is the source row number), skipping `skip`."""
    for _number, cells in numbered_clean_rows(path, skip, follow):
        yield cells


def _scan(path: Path, out: Path, document: dict, skip: set[int], follow: Path | None) -> None:
    from datasets.deid import Gate

    allowances = {allowance["fingerprint"]: allowance for allowance in document.get("allowances", [])}
    gate = Gate(document["schema"], allowances)
    for number, cells in numbered_clean_rows(path, skip, follow):
        gate.scan(number, cells)
    out.write_text(json.dumps(gate.to_dict(), ensure_ascii=False), encoding="utf-8")


def main(argv: list[str]) -> int:
    """Write the file `argv` asks for; exit status 0 when it is complete."""
    # Yield the processor to the validation pass, which everything else waits for.
    os.nice(10)
    follow = None
    if "--follow" in argv:
        position = argv.index("--follow")
        follow = Path(argv[position + 1])
        argv = argv[:position] + argv[position + 2 :]
    kind, clean_csv, out, schema_path, skip_path = (
        argv[0],
        Path(argv[1]),
        Path(argv[2]),
        Path(argv[3]),
        Path(argv[4]),
    )
    skip = {int(line) for line in skip_path.read_text().split()} if skip_path.exists() else set()
    document = json.loads(schema_path.read_text(encoding="utf-8"))
    if kind == "scan":
        _scan(clean_csv, out, document, skip, follow)
        return 0
    rows = clean_rows(clean_csv, skip, follow)
    if kind == "ods":
        write_ods(out, document["schema"], rows, title=document.get("title", ""))
    elif kind == "json":
        writer = JsonWriter(out, document["schema"])
        for cells in rows:
            writer.write(cells)
        writer.close()
    else:
        print(f"unknown kind {kind!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
