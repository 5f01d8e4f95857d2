"""Opening a case: number, password, state and due date, or a refusal with nothing stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.intake import CaseDraft, IntakeError, IntakeKeys, email_fingerprint, open_case
from feedback.cases.models import Case, CaseDayCounter, CaseType
from feedback.cases.numbers import PASSWORD_ALPHABET
from feedback.cases.passwords import verify_case_password
from feedback.cases.states import CaseState, Channel
from portal.db import db

KEYS = IntakeKeys(password_key="p" * 40, email_key="e" * 40)
TODAY = date(2033, 3, 4)  # a Friday


def weekdays_calendar(start: date, days: int) -> OfficeCalendar:
    """Weekends off, everything else working, for `days` days from `start`."""
    return OfficeCalendar({start + timedelta(n): (start + timedelta(n)).weekday() >= 5 for n in range(days)})


def draft(**changes: object) -> CaseDraft:
    values: dict[str, object] = {
        "type_code": "complaint",
        "office_code": "KL",
        "channel": Channel.WEB,
        "subject": "水壓不足",
        "description": "早上七點到九點水壓很低",
        "contact_name": "陳怡君",
        "contact_email": "yijun@example.org",
        "district": "基隆市信義區",
    }
    values.update(changes)
    return CaseDraft(**values)  # type: ignore[arg-type]


@pytest.fixture
def seeded(app_context: None) -> None:
    seed_case_types(db.session)


def test_a_web_case_with_an_email_waits_for_confirmation(seeded: None) -> None:
    opened = open_case(
        db.session,
        draft(),
        today=TODAY,
        calendar=weekdays_calendar(TODAY, 40),
        keys=KEYS,
        needs_confirmation=True,
    )
    case = opened.case
    assert case.number == "1220304-0001"
    assert case.state == CaseState.RECEIVED
    assert case.due_on is None  # the clock starts when the e-mail is confirmed
    assert len(opened.password) == 8
    assert set(opened.password) <= set(PASSWORD_ALPHABET)
    assert opened.password not in case.password_hash
    assert verify_case_password(KEYS.password_key, case.password_hash, opened.password.lower())
    assert not verify_case_password("another key" * 4, case.password_hash, opened.password)
    assert case.email_key == email_fingerprint(KEYS.email_key, " YiJun@Example.org ")
    assert [(event.kind, event.state_to, event.public) for event in case.events] == [
        ("received", "received", True)
    ]


def test_a_counter_case_enters_the_queue_with_its_due_date(seeded: None) -> None:
    opened = open_case(
        db.session,
        draft(
            channel=Channel.COUNTER, type_code="meter-check", contact_email=None, contact_phone="02-2422-1234"
        ),
        today=TODAY,
        calendar=weekdays_calendar(TODAY, 40),
        keys=KEYS,
        needs_confirmation=True,
    )
    case = opened.case
    assert case.state == CaseState.ASSIGNED
    meter = db.session.scalar(select(CaseType).where(CaseType.code == "meter-check"))
    assert meter is not None
    assert case.working_days == meter.working_days == 10
    assert case.due_on == date(2033, 3, 18)  # ten working days from Monday the 7th


def test_without_confirmation_a_web_case_goes_straight_to_the_office(seeded: None) -> None:
    opened = open_case(
        db.session,
        draft(),
        today=TODAY,
        calendar=weekdays_calendar(TODAY, 40),
        keys=KEYS,
        needs_confirmation=False,
    )
    assert opened.case.state == CaseState.ASSIGNED
    assert opened.case.due_on == date(2033, 3, 14)  # six working days


def test_a_day_the_calendar_lacks_keeps_the_case_and_says_why(seeded: None) -> None:
    opened = open_case(
        db.session,
        draft(channel=Channel.PHONE),
        today=TODAY,
        calendar=weekdays_calendar(TODAY, 3),
        keys=KEYS,
        needs_confirmation=True,
    )
    assert opened.case.id is not None
    assert opened.case.due_on is None
    assert [event.kind for event in opened.case.events] == ["received", "calendar_gap"]


@pytest.mark.parametrize(
    ("changes", "field"), [({"type_code": "no-such"}, "type"), ({"office_code": "ZZ"}, "office")]
)
def test_an_unknown_type_or_office_stores_nothing(seeded: None, changes: dict[str, str], field: str) -> None:
    cases_before = db.session.scalar(select(func.count()).select_from(Case))
    with pytest.raises(IntakeError) as refused:
        open_case(
            db.session,
            draft(**changes),
            today=TODAY,
            calendar=weekdays_calendar(TODAY, 40),
            keys=KEYS,
            needs_confirmation=True,
        )
    assert refused.value.field == field
    assert db.session.scalar(select(func.count()).select_from(Case)) == cases_before
    assert db.session.get(CaseDayCounter, TODAY) is None


def test_a_type_closed_to_the_web_is_refused_on_the_web_only(seeded: None) -> None:
    kind = db.session.scalar(select(CaseType).where(CaseType.code == "new-connection"))
    assert kind is not None
    kind.web_intake = False
    with pytest.raises(IntakeError):
        open_case(
            db.session,
            draft(type_code="new-connection"),
            today=TODAY,
            calendar=weekdays_calendar(TODAY, 40),
            keys=KEYS,
            needs_confirmation=True,
        )
    counter = open_case(
        db.session,
        draft(type_code="new-connection", channel=Channel.COUNTER),
        today=TODAY,
        calendar=weekdays_calendar(TODAY, 40),
        keys=KEYS,
        needs_confirmation=True,
    )
    assert counter.case.number.endswith("-0001")
