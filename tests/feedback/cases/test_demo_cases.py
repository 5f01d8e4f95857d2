"""The demo's year of cases: the mix of situations, figures that make sense, idempotence and determinism.

The year is loaded into fresh databases as of a fixed moment (`NOW`), so what is checked
does not depend on the day the suite runs; the suite's own demo (loaded as of today) is
checked only for being there and for a second load adding nothing.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from feedback.cases.calendar import import_year, office_calendar
from feedback.cases.calendar_file import parse_calendar
from feedback.cases.case_types import SEEDS, seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.demo_calendar import calendar_csv
from feedback.cases.demo_case_plan import plan_year
from feedback.cases.demo_cases import (
    DEMO_PASSWORD,
    SEED,
    _calendar_reaching_back,
    demo_days,
    load_demo_cases,
    load_demo_cases_now,
)
from feedback.cases.figures import case_figures
from feedback.cases.handling import counted_due, local_day
from feedback.cases.intake import IntakeKeys
from feedback.cases.models import Case, CaseMail, OfficeDay
from feedback.cases.passwords import verify_case_password
from feedback.cases.states import CaseState, Channel
from portal import audit, create_app, migrate
from portal.db import db
from portal.demo import _load_offices, _load_staff
from portal.offices.models import Office
from tests.conftest import app_overrides
from tests.support.databases import drop_schema, isolated_database_url

NOW = datetime(2026, 11, 20, 6, 30, tzinfo=UTC)  # 14:30 on a Friday in Taipei
TODAY = local_day(NOW)
KEYS = IntakeKeys("p" * 40, "e" * 40)
Fingerprint = list[tuple[Any, ...]]


def _base(application: Flask) -> None:
    """Offices, demo staff, case types and the demonstration calendar, as `flask demo` makes them."""
    with application.app_context(), audit.acting_as("demo"):
        _load_offices()
        _load_staff()
        seed_case_types(db.session)
        for year in (2026, 2027):
            import_year(parse_calendar(calendar_csv(year).encode("utf-8-sig")), f"demo-{year}.csv")
        db.session.commit()


def _fresh(tmp: Path, name: str) -> Iterator[Flask]:
    url, schema = isolated_database_url(tmp, name)
    migrate.upgrade(url)
    application = create_app(app_overrides(url, tmp / f"instance-{name}"))
    _base(application)
    with application.app_context(), audit.acting_as("demo"):
        load_demo_cases(db.session, NOW, office_calendar(), KEYS)
        db.session.commit()
    yield application
    application.extensions["portal.db"].engine.dispose()
    if schema:
        drop_schema(url.split("?")[0], schema)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from _fresh(tmp_path_factory.mktemp("demo-cases"), "demo_a")


@pytest.fixture
def cases(demo: Flask) -> Iterator[list[Case]]:
    with demo.app_context():
        yield list(db.session.scalars(select(Case).order_by(Case.id)))


def _fingerprint(application: Flask) -> Fingerprint:
    with application.app_context():
        rows = db.session.scalars(select(Case).order_by(Case.number))
        return [
            (c.number, c.state, c.due_on, c.answered_on, c.completed_in_time, c.office_id, c.channel,
             c.case_type.code, c.subject, c.reopened, c.transfers, c.misdirected, len(c.events))
            for c in rows
        ]  # fmt: skip


def test_a_year_of_every_situation_through_every_office_channel_and_type(
    cases: list[Case], demo: Flask
) -> None:
    assert 500 <= len(cases) <= 1500
    states = Counter(case.state for case in cases)
    assert all(states[state] > 0 for state in CaseState if state is not CaseState.RECEIVED), states
    assert states[CaseState.CLOSED] > len(cases) * 0.8
    with demo.app_context():
        offices = set(db.session.scalars(select(Office.id)))
    assert {case.office_id for case in cases} == offices
    assert {case.channel for case in cases} >= {channel.value for channel in Channel if channel != "open311"}
    assert {case.case_type.code for case in cases} == {seed.code for seed in SEEDS}
    assert {case.language for case in cases} == {"zh", "en"}
    kinds = Counter(event.kind for case in cases for event in case.events)
    assert kinds["extension"] > 0
    assert kinds["transfer"] > 0
    assert kinds["merged"] > 0
    assert kinds["assigned"] > 0
    assert sum(case.reopened > 0 for case in cases) > 0
    assert sum(case.misdirected for case in cases) > 0
    assert sum(case.transfers > 0 and not case.misdirected for case in cases) > 0
    assert {case.no_reply_reason for case in cases} >= {"anonymous", "repeated", "not_ours"}
    assert sum(case.completed_in_time is False for case in cases) > 0
    open_now = [case for case in cases if case.state in {CaseState.ASSIGNED, CaseState.IN_PROGRESS}]
    assert any(case.due_on is not None and case.due_on < TODAY for case in open_now), "some open past due"
    assert any(case.assigned_to_id is None for case in open_now), "some in the office's queue"
    assert any(case.assigned_to_id is not None for case in open_now), "some on an officer's desk"


def test_cases_arrive_on_working_days_more_on_mondays_and_the_recent_ones_are_open(
    cases: list[Case], demo: Flask
) -> None:
    with demo.app_context():
        calendar = office_calendar()
    assert all(calendar.is_working_day(case.received_on) for case in cases)
    per_day = Counter(case.received_on for case in cases)
    by_weekday: dict[int, list[int]] = {}
    for day in demo_days(TODAY, calendar):
        by_weekday.setdefault(day.weekday(), []).append(per_day[day])
    mean = {weekday: sum(counts) / len(counts) for weekday, counts in by_weekday.items()}
    assert mean[0] > max(mean[1], mean[2], mean[3], mean[4])
    assert min(case.received_on for case in cases) <= TODAY - timedelta(days=300)
    last_week = [case for case in cases if case.received_on > TODAY - timedelta(days=7)]
    assert sum(case.state != CaseState.CLOSED for case in last_week) > len(last_week) / 2
    assert all(event.at < NOW for case in cases for event in case.events)


def test_timelines_are_what_handling_gives(cases: list[Case], demo: Flask) -> None:
    with demo.app_context():
        calendar = office_calendar()
    for case in cases:
        moments = [event.at for event in case.events]
        assert moments == sorted(moments), case.number
        assert moments[0] == case.created_at
        counted = counted_due(case, calendar, case.events[-1].at)
        assert counted is not None, case.number
        assert counted.due == case.due_on, case.number  # nothing left to recount
        assert (case.answered_on is None) == (case.completed_in_time is None), case.number
    waiting = [case for case in cases if case.state == CaseState.WAITING]
    assert waiting
    assert all(case.case_type.pauses_when_waiting for case in waiting)
    paused = [case for case in cases if any(event.state_to == CaseState.WAITING for event in case.events)]
    assert any(counted_due(case, calendar, NOW).paused for case in paused)  # type: ignore[union-attr]
    merged = [case for case in cases if case.merged_into_id is not None]
    assert all(case.state == CaseState.CLOSED for case in merged)
    assert all(case.events[-1].body == _number_of(cases, case.merged_into_id) for case in merged)


def _number_of(cases: list[Case], case_id: int | None) -> str:
    return next(case.number for case in cases if case.id == case_id)


def test_the_figures_over_the_year_make_sense(demo: Flask) -> None:
    with demo.app_context():
        calendar = office_calendar()
        by_office = case_figures(db.session, date(2026, 1, 1), TODAY, "office", TODAY, calendar)
        by_channel = case_figures(db.session, date(2026, 1, 1), TODAY, "channel", TODAY, calendar)
    answered_in_time = sum(figures.answered_in_time for figures in by_office.values())
    answered = answered_in_time + sum(figures.answered_late for figures in by_office.values())
    assert 0.75 <= answered_in_time / answered <= 0.95
    for figures in [*by_office.values(), *by_channel.values()]:
        assert figures.received > 0
        assert figures.in_time_ratio is not None
        assert 0.5 <= figures.in_time_ratio <= 1
        assert figures.average_working_days is not None
        assert 0 < figures.average_working_days < 15
        assert figures.unmeasured == 0
    assert sum(figures.open_past_due for figures in by_office.values()) > 0
    assert sum(figures.misdirected for figures in by_office.values()) > 0


def test_contacts_are_fictitious_no_mail_is_queued_and_the_demo_password_opens_a_case(
    cases: list[Case], demo: Flask
) -> None:
    emails = [case.contact_email for case in cases if case.contact_email]
    phones = [case.contact_phone for case in cases if case.contact_phone]
    assert emails
    assert all(email.endswith("@example.org") for email in emails)
    assert phones
    assert all(re.fullmatch(r"\(02\) 0\d{3}-\d{4}", phone) for phone in phones)
    assert all(case.contact_email or case.contact_phone for case in cases)
    with demo.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseMail)) == 0
    english = next(case for case in cases if case.language == "en")
    assert re.search(r"[A-Za-z]{4}", english.description)
    assert not re.search(r"[\u4e00-\u9fff]", english.description)
    assert verify_case_password(KEYS.password_key, cases[0].password_hash, DEMO_PASSWORD)
    assert not verify_case_password(KEYS.password_key, cases[0].password_hash, "ACDEFGHJ")


def test_loading_again_adds_nothing(demo: Flask, cases: list[Case]) -> None:
    with demo.app_context():
        again = load_demo_cases(db.session, NOW + timedelta(days=3), office_calendar(), KEYS)
        db.session.commit()
        assert again.cases == 0
        assert db.session.scalar(select(func.count()).select_from(Case)) == len(cases)


def test_the_same_moment_gives_the_same_cases(demo: Flask, tmp_path: Path) -> None:
    for other in _fresh(tmp_path, "demo_b"):
        assert _fingerprint(other) == _fingerprint(demo)


def test_the_plan_is_seeded() -> None:
    days = [
        date(2026, 3, 2) + timedelta(days=n)
        for n in range(0, 60)
        if (date(2026, 3, 2) + timedelta(n)).weekday() < 5
    ]
    first = plan_year(random.Random(SEED), days, {})
    assert first == plan_year(random.Random(SEED), days, {})
    assert first != plan_year(random.Random(SEED + 1), days, {})


def test_the_window_is_twelve_months_within_the_calendar() -> None:
    calendar = OfficeCalendar({date(2026, 1, 1) + timedelta(n): n % 7 in (2, 3) for n in range(730)})
    days = demo_days(date(2027, 6, 30), calendar)
    assert days[0] >= date(2026, 6, 30)
    assert days[-1] <= date(2027, 6, 30)
    assert all(calendar.is_working_day(day) for day in days)
    assert demo_days(date(2026, 3, 1), calendar)[0] >= date(2026, 1, 1)  # never before the calendar


def test_early_in_the_year_last_years_calendar_is_imported_too(demo: Flask) -> None:
    with demo.app_context():
        try:
            _calendar_reaching_back(date(2029, 9, 1))
            assert db.session.scalar(select(func.count()).where(OfficeDay.year == 2028)) == 0
            calendar = _calendar_reaching_back(date(2029, 3, 2))
            assert db.session.scalar(select(func.count()).where(OfficeDay.year == 2028)) == 366
            assert not calendar.is_working_day(date(2028, 12, 30))  # a Saturday
        finally:
            db.session.rollback()


def test_the_suites_demo_has_its_year_and_a_second_load_adds_nothing(app_context: None) -> None:
    count = db.session.scalar(select(func.count()).select_from(Case))
    assert count
    assert count > 200
    assert load_demo_cases_now() == []
    assert db.session.scalar(select(func.count()).select_from(Case)) == count
