"""Running a command and measuring it: wall and processor time, peak memory of it and of its tree.

Used by the publishing benchmark: the publishing command starts child processes, so memory
is summed over the whole process tree at each sample, and processor time is taken per
process from /proc before each one ends.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from pathlib import Path
from typing import Any


def _tree(pid: int) -> set[int]:
    found = {pid}
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for token in child.read_text().split():
            found |= _tree(int(token))
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> tuple[str, float] | None:
    """What a process is (its child kind, or its program) and the processor time it used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    arguments = [word.decode("utf-8", "replace") for word in words if word]
    if "datasets.child_tasks" in arguments:
        label = arguments[arguments.index("datasets.child_tasks") + 1] + " child"
    else:  # a process that has ended has no command line any more
        label = Path(arguments[1] if len(arguments) > 1 else arguments[0]).name if arguments else ""
    return label, (int(fields[11]) + int(fields[12])) / _TICKS


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run `command`: wall and processor seconds (its whole tree), peak MB of the process and
    of its whole tree at once, and its output.

    The tree's peak is the largest sum of the resident memory of the process and all its
    children seen at one moment (sampled every 50 ms); each process's processor time is the
    last seen before it ended, by kind (up to 50 ms short).
    """
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = tree_peak = 0
    cpu: dict[int, tuple[str, float]] = {}
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    while process.poll() is None:
        try:
            tree = _tree(process.pid)
            tree_peak = max(tree_peak, sum(_status_kb(pid, "VmRSS:") for pid in tree))
            for pid in tree:
                seen = _cpu_seconds(pid)
                if seen is not None:
                    cpu[pid] = (seen[0] or cpu.get(pid, ("?", 0.0))[0], seen[1])
            peak = max(peak, _status_kb(process.pid, "VmHWM:"))
        except OSError:
            pass
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    reader.join()
    text = "".join(output)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{text[-3000:]}")
    by_process: dict[str, float] = {}
    for label, seconds in cpu.values():
        by_process[label] = round(by_process.get(label, 0.0) + seconds, 2)
    return {
        "cpu_by_process": by_process,
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(_children_cpu() - cpu_before, 3),
        "peak_mb": peak // 1024,
        "tree_peak_mb": tree_peak // 1024,
        "output": text,
    }
