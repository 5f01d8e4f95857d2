"""Publishing's progress: each stage timed on the job, and shown on a terminal as it runs."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask

from datasets.progress_display import TerminalProgress
from datasets.publishing import ProgressReport
from tests.datasets.conftest import HEADER, sample_rows, write_csv


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_line_shows_rows_rate_and_time_left() -> None:
    display = TerminalProgress("publishing cases", _Terminal())
    display(ProgressReport("validate", 10, 0, 1_000_000, 2.0))
    line = display.line(ProgressReport("validate", 40, 300_000, 1_000_000, 8.0))
    assert line.startswith("publishing cases: validate  40%")
    assert "300,000/1,000,000 rows" in line
    assert "50,000 rows/s" in line  # 300,000 rows in the 6 s since rows were first counted
    assert "12 s left" in line  # 8 s for 40 %


def test_the_terminal_line_is_rewritten_in_place_and_a_log_gets_one_line_per_stage() -> None:
    terminal = _Terminal()
    live = TerminalProgress("p", terminal)
    for percent in (10, 20, 30):
        live(ProgressReport("validate", percent, percent * 100, 3000, percent / 10))
    assert terminal.getvalue().count("\r") == 3
    assert "\n" not in terminal.getvalue()
    log = io.StringIO()
    piped = TerminalProgress("p", log)
    for stage, percent in (("ingest", 1), ("validate", 10), ("validate", 30), ("write", 75)):
        piped(ProgressReport(stage, percent, None, None, 1.0))
    assert [line.split()[1] for line in log.getvalue().splitlines()] == ["ingest", "validate", "write"]
    piped.close([{"stage": "validate", "seconds": 2.5, "rows": 5000, "rows_per_second": 2000}])
    assert "validate      2.50 s, 5,000 rows (2,000 rows/s)" in log.getvalue()


def test_each_stage_is_timed_on_the_job(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset()
    job, release = run_publish(dataset, write_csv(tmp_path / "s.csv", HEADER, sample_rows(25)))
    assert release is not None, job.report
    stages = job.report["stages"]
    names = [timing["stage"] for timing in stages]
    assert names[:3] == ["ingest", "schema", "validate"]
    assert {"gate", "write", "switch"} <= set(names)
    validate = next(timing for timing in stages if timing["stage"] == "validate")
    assert validate["rows"] == 25
    assert validate["rows_per_second"] > 0
    assert all(timing["seconds"] >= 0 for timing in stages)
    assert sum(timing["seconds"] for timing in stages) < 120


def test_a_refused_job_keeps_its_stage_times(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset()
    rows = sample_rows(4)
    rows[1][3] = "three"
    job, release = run_publish(dataset, write_csv(tmp_path / "bad.csv", HEADER, rows))
    assert release is None
    assert job.reason == "invalid"
    assert [timing["stage"] for timing in job.report["stages"]][:3] == ["ingest", "schema", "validate"]
