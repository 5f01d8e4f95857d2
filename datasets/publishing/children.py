"""The processes a publish starts beside its validation pass: the personal-data scan and the files.

They read `clean.csv` as the pass writes it (`--follow`), so that the second core works
meanwhile; what they need besides it (the published schema, the gate's settings, rows
to skip) is in the work folder, written by `write_job_files`. A narrow table has one
child for both the scan and the files (one reading of the CSV costs less than a process
each); a wider one has a child for each. Any child that fails stops the publish.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from datasets.child_tasks import spawn

Children = dict[str, subprocess.Popen[bytes]]

# Up to this many published columns the scan and the files share one child process: the pass
# is the slower side then, and one reading of clean.csv costs less than a process each.
ONE_CHILD_MAX_COLUMNS = 8


def write_job_files(
    work: Path, schema: dict[str, Any], title: str, skip: set[int], gate_settings: dict[str, Any]
) -> None:
    """What the children need besides the clean CSV: the schema, the gate's settings, rows to skip.

    The work folder is the site's own and holds the unpublished rows already; the key is
    in it only while the job runs.
    """
    (work / "schema.json").write_text(
        json.dumps({"schema": schema, "title": title, **gate_settings}, ensure_ascii=False),
        encoding="utf-8",
    )
    (work / "skip.txt").write_text("\n".join(map(str, sorted(skip))))


def start_child(
    kind: str, clean_csv: Path, target: Path, work: Path, follow: Path | None
) -> subprocess.Popen[bytes]:
    """Start one child of `kind` ("scan", "files" or "files+scan") writing to `target`."""
    return spawn(kind, [clean_csv, target, work / "schema.json", work / "skip.txt"], follow=follow)


def start_writers(clean_csv: Path, stem: Path, work: Path, follow: Path | None) -> Children:
    """Start the child that writes the CSV, ODS and JSON files at `stem` plus their extensions."""
    return {"files": start_child("files", clean_csv, stem, work, follow)}


def gate_report(scanner: subprocess.Popen[bytes], path: Path) -> dict[str, Any]:
    """Wait for the scanning process and take what it found (the file is not kept)."""
    _stdout, stderr = scanner.communicate()
    if scanner.returncode != 0:
        raise RuntimeError(f"personal-data scan failed: {stderr.decode('utf-8', 'replace')[-2000:]}")
    report = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()
    return report


def wait_for(children: Children) -> None:
    """Wait for every child; raises RuntimeError with the end of its errors when one failed."""
    for kind, child in children.items():
        _stdout, stderr = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"{kind} writer failed: {stderr.decode('utf-8', 'replace')[-2000:]}")


def stop(children: Children) -> None:
    """Kill the children still running (the publish ended without needing them)."""
    for child in children.values():
        if child.poll() is None:
            child.kill()
            child.wait()
