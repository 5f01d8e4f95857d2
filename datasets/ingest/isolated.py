"""Reading an uploaded spreadsheet in a process of its own, within a memory and a time limit.

The readers bound every repeat a spreadsheet can express (`datasets.ingest.grid`), but a
spreadsheet is still a ZIP of XML that openpyxl and the XML parser unpack as they see
fit. So publishing never reads one in its own process (a web worker, when jobs run in
threads): `open_isolated()` starts `python -m datasets.child_tasks ingest`, which
limits its own address space (RLIMIT_AS) and processor time (RLIMIT_CPU), reads the
sheet with `open_source()` and writes it to a UTF-8 CSV in the job's work folder, with a
report beside it. Publishing then reads that CSV. A refusal travels in the report as
`IngestError.to_dict()`; running out of memory or time becomes a refusal of its own.

CSV sources are read in place: a CSV file expands into nothing larger than itself, and
every cell is bounded by the csv module's field limit.
"""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

from datasets.ingest import (
    SAMPLE_ROWS,
    IngestError,
    IngestLimits,
    Source,
    SourceInfo,
    open_source,
    source_kind,
)
from datasets.ingest.csvfile import CsvFormat, read_rows

HEARTBEAT_SECONDS = 5
# Exit status of a reader that refused the file (its report says why).
REFUSED = 3


@dataclass(frozen=True)
class ProcessLimits:
    """What the reading process may use: address space in MB, processor time in seconds."""

    memory_mb: int = 1024
    seconds: int = 1200


def open_isolated(
    path: Path,
    filename: str,
    *,
    work: Path,
    sheet: str | None = None,
    limits: IngestLimits | None = None,
    process: ProcessLimits | None = None,
    heartbeat: Callable[[], None] = lambda: None,
) -> Source:
    """Open an upload as `open_source()` does, reading a spreadsheet in a limited child process.

    `work` receives the converted CSV; `heartbeat` is called every few seconds while the
    child reads, so that a long read does not look like a crashed job.
    """
    from datasets.child_tasks import spawn

    limits = limits or IngestLimits()
    process = process or ProcessLimits()
    kind = source_kind(filename)
    if kind == "csv":
        return open_source(path, filename, sheet=sheet, limits=limits)
    converted, request, report = work / "source.csv", work / "ingest.json", work / "ingest-report.json"
    request.write_text(json.dumps({"filename": filename, "sheet": sheet, "limits": asdict(limits)}))
    report.unlink(missing_ok=True)
    child = spawn(
        "ingest", [path, converted, request, report], memory_mb=process.memory_mb, cpu_seconds=process.seconds
    )
    stderr = _wait(child, process, heartbeat)
    outcome: dict[str, Any] = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    if "ingest" in outcome:
        raise IngestError.from_dict(outcome["ingest"])
    if child.returncode in {-signal.SIGXCPU, -signal.SIGKILL}:
        raise IngestError("ingest_timeout", seconds=process.seconds)
    if child.returncode != 0 and "MemoryError" in stderr:
        raise IngestError("ingest_memory", limit=process.memory_mb)  # out of memory outside the reader
    if child.returncode != 0 or "rows" not in outcome:
        raise RuntimeError(f"spreadsheet reader failed ({child.returncode}): {stderr[-2000:]}")
    return _converted_source(converted, kind, sheet, outcome["rows"])


def _wait(child: subprocess.Popen[bytes], process: ProcessLimits, heartbeat: Callable[[], None]) -> str:
    """Wait for the reader, beating the heart meanwhile; kill it past twice its processor time.

    The kernel stops it at `seconds` of processor time; the wall-clock limit is a backstop
    for a machine so busy that the child gets little of it.
    """
    deadline = time.monotonic() + 2 * process.seconds + 10
    while True:
        try:
            _stdout, stderr = child.communicate(timeout=HEARTBEAT_SECONDS)
            return (stderr or b"").decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                child.kill()
                child.communicate()
                raise IngestError("ingest_timeout", seconds=process.seconds) from None
            heartbeat()


def _converted_source(path: Path, kind: str, sheet: str | None, row_count: int) -> Source:
    rows = read_rows(path, CsvFormat(encoding="utf-8", delimiter=","))
    columns = next(rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    info = SourceInfo(kind=kind, columns=columns, sheet=sheet)
    return Source(info=info, sample=sample, rows=chain(sample, rows), estimated_rows=row_count)


def convert(source: Path, out: Path, request_path: Path, report_path: Path, *, memory_mb: int = 0) -> int:
    """The child's side: read `source` as the request says, write its rows to `out` and a report.

    Returns the exit status: 0 when the rows are all written, REFUSED when the report holds
    the reason the file cannot be taken in.
    """
    request = json.loads(request_path.read_text())
    warnings.simplefilter("ignore")  # openpyxl's warnings about styles it drops mean nothing here
    try:
        report = _convert(source, out, request)
    except IngestError as error:
        report = {"ingest": error.to_dict()}
    except MemoryError:
        # Reported once the handler has let go of the frames that hold the memory.
        report = {}
    if not report:
        report = {"ingest": IngestError("ingest_memory", limit=memory_mb).to_dict()}
    _write_report(report_path, report)
    return REFUSED if "ingest" in report else 0


def _convert(source: Path, out: Path, request: dict[str, Any]) -> dict[str, Any]:
    opened = open_source(
        source, request["filename"], sheet=request["sheet"], limits=IngestLimits(**request["limits"])
    )
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(opened.info.columns)
        for row in opened.rows:
            writer.writerow(row)
            count += 1
    return {"columns": opened.info.columns, "rows": count}


def _write_report(path: Path, report: dict[str, Any]) -> None:
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
