"""A publish job's progress: its stage and percentage on its row, each stage's time, a listener.

`flask datasets publish` draws the listener's reports on a terminal
(`datasets.progress_display`); the staff job page reads the row; the stage times end in
the job's report and the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from datasets.models import PublishJob
from portal.db import db, utcnow

logger = logging.getLogger("datasets.publishing")


@dataclass(frozen=True)
class ProgressReport:
    """Where a publish job is: its stage, percentage, rows done of the source's estimate, time so far."""

    stage: str
    percent: int
    rows: int | None
    rows_expected: int | None
    seconds: float


ProgressCallback = Callable[[ProgressReport], None]


class Progress:
    """Records a job's stage and percentage on its row, times each stage, and tells an optional listener."""

    def __init__(self, job: PublishJob, listener: ProgressCallback | None) -> None:
        self.job = job
        self.listener = listener
        # Held here rather than looked up, so that the loader thread can report too.
        self.session = db.session
        self.rows_expected: int | None = None
        self.started = time.monotonic()
        self._stage: str | None = None
        self._stage_started = self.started
        self._stage_rows: int | None = None
        self.timings: list[dict[str, Any]] = []

    def __call__(self, stage: str, percent: int, *, commit: bool = True, rows: int | None = None) -> None:
        """Enter or stay in `stage` at `percent`, with `rows` done when counted; commits unless told not to."""
        now = time.monotonic()
        if stage != self._stage:
            self._close_stage(now)
            self._stage, self._stage_started, self._stage_rows = stage, now, None
        if rows is not None:
            self._stage_rows = rows
        self.job.stage = stage
        self.job.progress = max(0, min(100, percent))
        self.job.heartbeat_at = utcnow()
        if commit:
            self.session.commit()
        if self.listener:
            self.listener(
                ProgressReport(stage, self.job.progress, rows, self.rows_expected, now - self.started)
            )

    def _close_stage(self, now: float) -> None:
        if self._stage is None:
            return
        seconds = now - self._stage_started
        timing: dict[str, Any] = {"stage": self._stage, "seconds": round(seconds, 3)}
        if self._stage_rows is not None:
            timing["rows"] = self._stage_rows
            timing["rows_per_second"] = round(self._stage_rows / seconds) if seconds > 0 else None
        self.timings.append(timing)

    def finish(self) -> list[dict[str, Any]]:
        """Every stage's time (and rows, where counted), the last one closed now; written to the log."""
        self._close_stage(time.monotonic())
        self._stage = None
        logger.info("publish job %s: %s", self.job.id, "; ".join(map(_describe, self.timings)))
        return self.timings


def _describe(timing: dict[str, Any]) -> str:
    text = f"{timing['stage']} {timing['seconds']:.2f} s"
    if "rows" in timing:
        text += f" ({timing['rows']:,} rows, {timing['rows_per_second'] or 0:,} rows/s)"
    return text
