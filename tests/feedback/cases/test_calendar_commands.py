"""`flask calendar import|show` and `flask cases due-date`: the office calendar in the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from feedback.cases.models import OfficeDay
from portal.audit import AuditRecord
from portal.db import db
from tests.feedback.cases.test_calendar_file import NOTES, calendar_text


@pytest.fixture
def runner(app: Flask, db_transaction: Any) -> FlaskCliRunner:
    return app.test_cli_runner()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_show_and_due_date(runner, app: Flask, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["calendar", "import", str(write(tmp_path, "114年.csv", calendar_text(), "cp950"))]
    )
    assert result.exit_code == 0, result.output
    assert "imported 2025: 365 days" in result.output
    shown = runner.invoke(args=["calendar", "show", "2025"])
    assert "2025-02-08 六 working 補行上班" in shown.output
    assert "2025-02-28 五 off     和平紀念日" in shown.output
    due = runner.invoke(args=["cases", "due-date", "--received", "2025-02-27", "--working-days", "2"])
    assert due.exit_code == 0, due.output
    assert "due 2025-03-04" in due.output
    assert "1. 2025-03-03 一" in due.output


def test_a_reissue_replaces_the_year_and_says_what_changed(runner, app: Flask, tmp_path: Path) -> None:
    runner.invoke(args=["calendar", "import", str(write(tmp_path, "first.csv", calendar_text()))])
    NOTES[date(2025, 10, 24)] = ("2", "臺灣光復暨金門古寧頭大捷紀念日")
    try:
        reissued = calendar_text()
    finally:
        del NOTES[date(2025, 10, 24)]
    result = runner.invoke(args=["calendar", "import", str(write(tmp_path, "修正版.csv", reissued))])
    assert "replaced 2025: 365 days" in result.output
    assert "1 days changed" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(OfficeDay.year == 2025)) == 365
        assert db.session.get(OfficeDay, date(2025, 10, 24)).day_off
        imports = select(func.count()).where(
            AuditRecord.action == "calendar_imported", AuditRecord.entity_id == "2025"
        )
        assert db.session.scalar(imports) == 2


def test_a_bad_file_is_refused_and_changes_nothing(runner, app: Flask, tmp_path: Path) -> None:
    runner.invoke(args=["calendar", "import", str(write(tmp_path, "good.csv", calendar_text()))])
    broken = calendar_text(drop={date(2025, 6, 1)})
    result = runner.invoke(args=["calendar", "import", str(write(tmp_path, "broken.csv", broken))])
    assert result.exit_code == 1
    assert "1 days missing: 2025-06-01" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(OfficeDay.year == 2025)) == 365


def test_a_due_date_past_the_calendar_says_which_year_to_import(runner, app: Flask) -> None:
    result = runner.invoke(args=["cases", "due-date", "--received", "2031-05-01", "--working-days", "6"])
    assert result.exit_code == 1
    assert "does not cover 2031-05-02" in result.output
    assert "flask calendar import" in result.output


def test_showing_a_year_not_imported(runner, app: Flask) -> None:
    result = runner.invoke(args=["calendar", "show", "2031"])
    assert result.exit_code == 1
    assert "no calendar for 2031" in result.output


def test_a_reissued_calendar_moves_the_due_dates_of_open_cases(runner, app: Flask, tmp_path: Path) -> None:
    from feedback.cases.calendar import office_calendar
    from feedback.cases.case_types import seed_case_types
    from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
    from feedback.cases.models import Case
    from feedback.cases.states import Channel

    runner.invoke(args=["calendar", "import", str(write(tmp_path, "first.csv", calendar_text()))])
    with app.app_context():
        seed_case_types(db.session)
        draft = CaseDraft("complaint", "KL", Channel.COUNTER, "水壓", "水壓不足", "周先生")
        keys = IntakeKeys("p" * 40, "e" * 40)
        case = open_case(
            db.session,
            draft,
            today=date(2025, 10, 20),
            calendar=office_calendar(),
            keys=keys,
            needs_confirmation=True,
        ).case
        assert case.due_on == date(2025, 10, 28)
        db.session.commit()
        case_id = case.id
    NOTES[date(2025, 10, 24)] = ("2", "臺灣光復暨金門古寧頭大捷紀念日")
    try:
        reissued = calendar_text()
    finally:
        del NOTES[date(2025, 10, 24)]
    result = runner.invoke(args=["calendar", "import", str(write(tmp_path, "修正版.csv", reissued))])
    assert "1 open cases have a new due date" in result.output
    with app.app_context():
        moved = db.session.get(Case, case_id)
        assert moved.due_on == date(2025, 10, 29)
        assert [(event.kind, event.due_on, event.public) for event in moved.events][-1] == (
            "calendar_changed",
            date(2025, 10, 29),
            True,
        )
