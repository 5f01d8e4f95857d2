"""Saving a benchmark's figures so that a number in the README can be traced.

Every benchmark calls `save(name, settings, runs, summary)`: it writes
`bench/results/<name>-<UTC time>.json` and `bench/results/<name>-latest.json` with
the commit (and whether the tree had uncommitted changes), the machine (processor,
cores, memory, kernel, load average at the start), the versions of Python and of the
packages that matter, the settings, every run, and the summary printed.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PACKAGES = (
    "Flask",
    "SQLAlchemy",
    "frictionless",
    "granian",
    "jieba",
    "orjson",
    "psycopg",
    "datasette",
)


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _processor() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "processor": _processor(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Installed versions of the packages the benchmarks touch."""
    found = {}
    for name in PACKAGES + extra:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def save(name: str, settings: dict[str, Any], runs: list[dict[str, Any]], summary: dict[str, Any]) -> Path:
    """Write the figures of one benchmark run; returns the file written."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    document = {
        "benchmark": name,
        "at": now.isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "machine": machine(),
        "versions": versions(),
        "settings": settings,
        "runs": runs,
        "summary": summary,
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    path = RESULTS / f"{name}-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(text, encoding="utf-8")
    (RESULTS / f"{name}-latest.json").write_text(text, encoding="utf-8")
    print(f"figures saved in {path.relative_to(ROOT)}")
    return path
