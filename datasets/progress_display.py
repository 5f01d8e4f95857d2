"""How `flask datasets publish` shows a job's progress on a terminal, and its stages after.

On a terminal one line is rewritten in place: the stage, the percentage, rows done of
the source's estimate, rows a second, and the time left. Piped to a file or a log, a
line is written only when the stage changes, so that scheduled runs keep short logs.
"""

from __future__ import annotations

import sys
from typing import IO, Any

from datasets.publishing import ProgressReport


def _duration(seconds: float) -> str:
    minutes, whole = divmod(max(0, round(seconds)), 60)
    return f"{minutes} min {whole:02d} s" if minutes else f"{whole} s"


class TerminalProgress:
    """A progress listener for `publish()` that writes to `stream` (stderr by default)."""

    def __init__(self, label: str, stream: IO[str] | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._stage: str | None = None
        self._rows_started: float | None = None
        self._width = 0

    def line(self, report: ProgressReport) -> str:
        """What the listener shows for `report`."""
        parts = [f"{self.label}: {report.stage} {report.percent:3d}%"]
        if report.rows is not None:
            if self._rows_started is None:
                self._rows_started = report.seconds
            expected = f"/{report.rows_expected:,}" if report.rows_expected else ""
            parts.append(f"{report.rows:,}{expected} rows")
            rows_seconds = report.seconds - self._rows_started
            if rows_seconds > 0.5:
                parts.append(f"{report.rows / rows_seconds:,.0f} rows/s")
        if 0 < report.percent < 100 and report.seconds > 1:
            parts.append(f"{_duration(report.seconds * (100 - report.percent) / report.percent)} left")
        return " · ".join(parts)

    def __call__(self, report: ProgressReport) -> None:
        text = self.line(report)
        if self.live:
            self.stream.write("\r" + text.ljust(self._width))
            self._width = len(text)
        elif report.stage != self._stage:
            self.stream.write(text + "\n")
        self._stage = report.stage
        self.stream.flush()

    def close(self, timings: list[dict[str, Any]] | None) -> None:
        """End the live line and list each stage's time."""
        if self.live and self._width:
            self.stream.write("\n")
        for timing in timings or []:
            rows = ""
            if "rows" in timing:
                rate = timing.get("rows_per_second")
                rows = f", {timing['rows']:,} rows" + (f" ({rate:,} rows/s)" if rate else "")
            self.stream.write(f"  {timing['stage']:<9} {timing['seconds']:>8.2f} s{rows}\n")
        self.stream.flush()
