"""Run one writer, the personal-data gate, or the reading of a spreadsheet, in a process of its own.

Publishing starts one for the published CSV, ODS and JSON files and one for the gate's
scan. With `--follow` they start while the clean CSV is still being written and read it
as it grows, so that they use the second core during the validation pass; the file is
complete once the marker file named after `--follow` exists.

    python -m datasets.child_tasks files|files+scan|scan CLEAN_CSV OUT SCHEMA_JSON SKIP_ROWS_FILE [--follow MARKER]
    python -m datasets.child_tasks ingest SOURCE OUT_CSV REQUEST_JSON REPORT_JSON

`files` writes OUT.csv, OUT.ods and OUT.json in one pass (OUT is their path without
the extension); `files+scan` also scans, into OUT.scan.json, for narrow tables, where one
reading of the clean CSV for both costs less than a process each.

For `scan`, OUT is where the gate's report (JSON) goes, and SCHEMA_JSON holds the
dataset's fingerprint key (`fingerprint_key`, hex) and its justified findings (`allowances`).

`ingest` reads an uploaded spreadsheet into a plain CSV (`datasets.ingest.isolated`), so
that a file built to exhaust memory or time takes only this process down. `spawn()`
starts any of them; `--memory-mb` and `--cpu-seconds` make the process limit its own
address space (RLIMIT_AS) and processor time (RLIMIT_CPU) before it reads anything.
"""

from __future__ import annotations

import csv
import gc
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from datasets.writers.ods import write_ods
from datasets.writers.tabular import CsvWriter, JsonWriter

_POLL_SECONDS = 0.05
_BLOCK = 1024 * 1024
_PROJECT_ROOT = Path(__file__).resolve().parent.parent


def spawn(
    kind: str,
    paths: Sequence[Path],
    *,
    follow: Path | None = None,
    memory_mb: int | None = None,
    cpu_seconds: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start `python -m datasets.child_tasks KIND PATHS...`, optionally within resource limits."""
    options = ["--follow", str(follow)] if follow else []
    if memory_mb:
        options += ["--memory-mb", str(memory_mb)]
    if cpu_seconds:
        options += ["--cpu-seconds", str(cpu_seconds)]
    return subprocess.Popen(  # noqa: S603 - our own module, with our own paths
        [sys.executable, "-m", "datasets.child_tasks", kind, *map(str, paths), *options],
        cwd=str(_PROJECT_ROOT),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@contextmanager
def fewer_collections(threshold: int = 50_000) -> Iterator[None]:
    """Run a row-by-row pass with the cycle collector rarely looking.

    Rows make no reference cycles, yet the collector runs every 700 new lists and walks every
    row still alive (a batch waiting for the database, a block of lines): for wide rows that
    cost as much as checking them. Objects alive before the pass are frozen out of its
    collections, and the youngest generation is collected every `threshold` allocations;
    both are restored after (the collector still runs, for any thread of the process).
    """
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(threshold, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _take_option(argv: list[str], name: str) -> tuple[list[str], str | None]:
    """`argv` without `name VALUE`, and VALUE (None when absent)."""
    if name not in argv:
        return argv, None
    position = argv.index(name)
    return argv[:position] + argv[position + 2 :], argv[position + 1]


def limit_resources(memory_mb: int | None, cpu_seconds: int | None) -> None:
    """Cap this process's address space and processor time (the kernel enforces both)."""
    if memory_mb:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if cpu_seconds:
        # SIGXCPU at the soft limit ends the process; the hard limit is the kernel's backstop.
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def _growing_lines(handle: IO[bytes], marker: Path) -> Iterator[str]:
    """Complete lines of a file another process is still appending to.

    Read as bytes, in blocks: the writer may have flushed half of a character, which a text
    reader at the end of the file would take as an error. A complete line always ends on a
    character boundary, so each block is cut after its last newline.
    """
    pending = b""
    while True:
        block = handle.read(_BLOCK)
        if block:
            pending += block
            cut = pending.rfind(b"\n") + 1
            if cut:
                yield from pending[:cut].decode("utf-8").splitlines(keepends=True)
                pending = pending[cut:]
            continue
        if marker.exists():
            rest = pending + handle.read()
            if rest:
                yield from rest.decode("utf-8").splitlines(keepends=True)
            return
        time.sleep(_POLL_SECONDS)


def numbered_clean_rows(
    path: Path, skip: set[int], follow: Path | None = None
) -> Iterator[tuple[int, list[str]]]:
    """`(source row number, field cells)` of a clean CSV, skipping the rows in `skip`."""
    if follow is not None:
        with path.open("rb") as raw:
            yield from _numbered(csv.reader(_growing_lines(raw, follow)), skip)
        return
    with path.open(encoding="utf-8", newline="") as handle:
        yield from _numbered(csv.reader(handle), skip)


def _numbered(reader: Iterator[list[str]], skip: set[int]) -> Iterator[tuple[int, list[str]]]:
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


def _gate(document: dict) -> Any:
    """The personal-data gate for the job's schema, fingerprint key and justified findings."""
    from datasets.deid import Gate

    allowances = {allowance["fingerprint"]: allowance for allowance in document.get("allowances", [])}
    return Gate(document["schema"], bytes.fromhex(document["fingerprint_key"]), allowances)


def _scan(path: Path, out: Path, document: dict, skip: set[int], follow: Path | None) -> None:
    gate = _gate(document)
    for number, cells in numbered_clean_rows(path, skip, follow):
        gate.scan(number, cells)
    out.write_text(json.dumps(gate.to_dict(), ensure_ascii=False), encoding="utf-8")


def main(argv: list[str]) -> int:
    """Write the file `argv` asks for; exit status 0 when it is complete."""
    argv, follow_arg = _take_option(argv, "--follow")
    argv, memory_arg = _take_option(argv, "--memory-mb")
    argv, cpu_arg = _take_option(argv, "--cpu-seconds")
    follow = Path(follow_arg) if follow_arg else None
    limit_resources(int(memory_arg) if memory_arg else None, int(cpu_arg) if cpu_arg else None)
    if argv[0] == "ingest":
        from datasets.ingest.isolated import convert

        return convert(*(Path(arg) for arg in argv[1:5]), memory_mb=int(memory_arg or 0))
    kind, clean_csv, out, schema_path, skip_path = (
        argv[0],
        Path(argv[1]),
        Path(argv[2]),
        Path(argv[3]),
        Path(argv[4]),
    )
    skip = {int(line) for line in skip_path.read_text().split()} if skip_path.exists() else set()
    document = json.loads(schema_path.read_text(encoding="utf-8"))
    if kind in {"scan", "files+scan"}:
        from datasets.pii.names import name_model

        name_model()  # built before the pass, so that its objects are frozen with the rest
    with fewer_collections():
        return _run(kind, clean_csv, out, document, skip, follow)


def _run(kind: str, clean_csv: Path, out: Path, document: dict, skip: set[int], follow: Path | None) -> int:
    if kind == "scan":
        _scan(clean_csv, out, document, skip, follow)
        return 0
    if kind == "files+scan":
        gate = _gate(document)

        def scanned() -> Iterator[list[str]]:
            for number, cells in numbered_clean_rows(clean_csv, skip, follow):
                gate.scan(number, cells)
                yield cells

        _write_files(out, document, scanned())
        out.with_name(out.name + ".scan.json").write_text(
            json.dumps(gate.to_dict(), ensure_ascii=False), encoding="utf-8"
        )
        return 0
    if kind == "files":
        _write_files(out, document, clean_rows(clean_csv, skip, follow))
        return 0
    print(f"unknown kind {kind!r}", file=sys.stderr)
    return 2


def _write_files(out: Path, document: dict, rows: Iterator[list[str]]) -> None:
    """OUT.csv, OUT.ods and OUT.json in one pass over `rows`."""
    schema = document["schema"]
    csv_writer = CsvWriter(out.with_name(out.name + ".csv"), schema)
    json_writer = JsonWriter(out.with_name(out.name + ".json"), schema)
    write_csv, write_json = csv_writer.write, json_writer.write

    def also_csv_and_json() -> Iterator[list[str]]:
        for cells in rows:
            write_csv(cells)
            write_json(cells)
            yield cells

    write_ods(out.with_name(out.name + ".ods"), schema, also_csv_and_json(), title=document.get("title", ""))
    csv_writer.close()
    json_writer.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
