"""Driving a server with `wrk` and measuring what it cost the server: the rows benchmark's tools.

- `rotating_script` is a wrk Lua script that asks one URL per value, in turn, over every
  value given, and reports the request count, errors and latency percentiles.
- `run_wrk` runs wrk (optionally pinned to some processors) and parses that report.
- `process_tree`, `cpu_seconds` and `pin` read and set what the kernel keeps per process
  (`/proc/<pid>/stat`, every thread included; `sched_setaffinity`), so that a run can
  report the server's processor time per request and keep the load tool off its core.

Needs `wrk` (Debian package `wrk`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
REPORT_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("requests %d\\n", summary.requests))
  io.write(string.format("errors %d\\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
  io.write(string.format("status_errors %d\\n", summary.errors.status))
  for _, p in pairs({50, 95, 99}) do
    io.write(string.format("p%d %.3f\\n", p, latency:percentile(p) / 1000.0))
  end
end
"""


def rotating_script(path_prefix: str, values: Iterable[str]) -> str:
    """A wrk script asking `path_prefix + value` for each value in turn, every connection on its own turn."""
    quoted = ", ".join(json.dumps(quote(value, safe="")) for value in values)
    return (
        f"local values = {{{quoted}}}\n"
        "local counter = 0\n"
        "local started = 0\n"
        # Each wrk thread starts at its own place in the list, so that no two ask the same page together.
        'setup = function(thread) thread:set("offset", started * 97) started = started + 1 end\n'
        "init = function(args) counter = offset or 0 end\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        f'  return wrk.format("GET", {json.dumps(path_prefix)} .. values[(counter % #values) + 1])\n'
        "end\n" + REPORT_LUA
    )


def _figure(pattern: str, text: str) -> float:
    found = re.search(pattern, text, re.M)
    if found is None:
        raise RuntimeError(f"wrk printed no {pattern!r}:\n{text}")
    return float(found.group(1))


def run_wrk(
    base_url: str,
    script: str,
    work: Path,
    *,
    seconds: int,
    connections: int = 8,
    threads: int = 2,
    cpus: set[int] | None = None,
    timeout: int | None = None,
) -> dict[str, float]:
    """Load `base_url` with `script`; returns requests, requests/s, errors and p50/p95/p99 in ms.

    `timeout` (seconds; wrk's own default is 2) is how long an answer may take before wrk
    counts it as an error instead of measuring it.
    """
    lua = work / "wrk.lua"
    lua.write_text(script, encoding="utf-8")
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        *(["--timeout", f"{timeout}s"] if timeout else []),
        "-s",
        str(lua),
        base_url,
    ]
    if cpus:
        command = ["taskset", "-c", ",".join(str(cpu) for cpu in sorted(cpus)), *command]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "requests": _figure(r"^requests (\d+)", text),
        "rps": _figure(r"Requests/sec:\s+([\d.]+)", text),
        "errors": _figure(r"^errors (\d+)", text),
        "non_2xx": float(non_2xx.group(1)) if non_2xx else 0.0,
        "p50": _figure(r"^p50 ([\d.]+)", text),
        "p95": _figure(r"^p95 ([\d.]+)", text),
        "p99": _figure(r"^p99 ([\d.]+)", text),
    }


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    found = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            for token in children.read_text().split():
                found.extend(process_tree(int(token)))
        except OSError:
            continue
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    """User and system processor seconds the processes have used so far, all their threads included."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def pin(pids: Iterable[int], cpus: set[int]) -> None:
    """Keep every thread of the processes on `cpus` (threads started later inherit it)."""
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                os.sched_setaffinity(int(task.name), cpus)
            except OSError:
                continue
