"""Retention: unconfirmed web cases discarded after 3 days, personal data purged after closure, figures kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select, text

from feedback.cases import handling
from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.figures import case_facts
from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
from feedback.cases.models import Case
from feedback.cases.retention import discard_unconfirmed, purge_closed
from feedback.cases.states import CaseState, Channel
from portal.db import db

KEYS = IntakeKeys("p" * 40, "e" * 40)
DAY = date(2038, 6, 1)
CALENDAR = OfficeCalendar({DAY + timedelta(n): False for n in range(60)})
NOW = datetime(2038, 6, 1, 4, tzinfo=UTC)


def web_case(**changes: Any) -> Case:
    draft = CaseDraft(
        "complaint", "KL", Channel.WEB, "停水未通知", "昨天停水沒有公告", "蔡宗翰", contact_email="tsai@example.org",
        contact_phone="0922-333-444", address="基隆市仁愛區愛三路1號",
    )  # fmt: skip
    return open_case(
        db.session, draft, today=DAY, calendar=CALENDAR, keys=KEYS, needs_confirmation=True, **changes
    ).case


def test_unconfirmed_web_cases_go_after_three_days_and_nothing_else_does(app_context: None) -> None:
    seed_case_types(db.session)
    waiting = web_case()
    waiting.created_at = NOW - timedelta(days=3, minutes=1)
    fresh = web_case()
    fresh.created_at = NOW - timedelta(days=2)
    db.session.flush()
    assert discard_unconfirmed(db.session, NOW) == 1
    assert db.session.get(Case, waiting.id) is None
    assert db.session.get(Case, fresh.id) is not None


def test_purging_erases_what_identifies_the_citizen_and_keeps_the_figures(app_context: None) -> None:
    seed_case_types(db.session)
    case = open_case(
        db.session, CaseDraft("complaint", "KL", Channel.PHONE, "帳單", "帳單有誤，我是林淑芬", "林淑芬",
                              contact_phone="0955-666-777"),
        today=DAY, calendar=CALENDAR, keys=KEYS, needs_confirmation=True,
    ).case  # fmt: skip
    handling.move(
        case, CaseState.REPLIED, calendar=CALENDAR, now=NOW, staff_id=None, reply="林小姐您好，已更正"
    )
    handling.move(case, CaseState.CLOSED, calendar=CALENDAR, now=NOW + timedelta(days=1), staff_id=None)
    db.session.flush()
    before = case_facts(db.session, DAY, DAY)
    # Not five years yet for this case; the demo's cases, closed twelve years before, are purged now.
    demo_closed = db.session.scalar(
        select(func.count()).select_from(Case).where(Case.state == CaseState.CLOSED, Case.id != case.id)
    )
    assert purge_closed(db.session, NOW + timedelta(days=365 * 5), years=5) == demo_closed
    assert purge_closed(db.session, NOW + timedelta(days=365 * 5 + 3), years=5) == 1
    db.session.expire_all()
    purged = db.session.get(Case, case.id)
    assert purged is not None
    assert (purged.contact_name, purged.subject, purged.description) == ("", "", "")
    assert (purged.contact_phone, purged.contact_email, purged.address, purged.email_key) == (
        None,
        None,
        None,
        None,
    )
    assert all(event.body is None for event in purged.events)
    assert purged.purged_at is not None
    raw = " ".join(str(value) for value in db.session.execute(text("SELECT * FROM citizen_case")).all())
    assert "林淑芬" not in raw
    assert case_facts(db.session, DAY, DAY) == before
    assert purge_closed(db.session, NOW + timedelta(days=365 * 6), years=5) == 0  # once only


def test_the_daily_command_runs_once_a_day(app: Flask, app_context: None) -> None:
    seed_case_types(db.session)
    stale = web_case()
    stale.created_at = datetime.now(UTC) - timedelta(days=4)
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["cases", "daily"])
    assert first.exit_code == 0, first.output
    assert "1 unconfirmed cases discarded" in first.output
    assert "already ran" in runner.invoke(args=["cases", "daily"]).output
    assert "0 unconfirmed cases discarded" in runner.invoke(args=["cases", "daily", "--force"]).output
    assert db.session.scalar(select(Case).where(Case.id == stale.id)) is None
