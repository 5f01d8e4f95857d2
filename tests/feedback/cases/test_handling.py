"""Handling a case: each move, reply, extension, transfer, merge and §173 closure, and the due date after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from feedback.cases import handling
from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar, due_date
from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
from feedback.cases.lifecycle import MoveError
from feedback.cases.models import Case
from feedback.cases.states import CaseState, Channel
from portal.db import db
from portal.offices.models import Office

KEYS = IntakeKeys(password_key="p" * 40, email_key="e" * 40)
MONDAY = date(2036, 3, 3)
S = CaseState


def weekdays(
    start: date = MONDAY, days: int = 120, holidays: frozenset[date] = frozenset()
) -> OfficeCalendar:
    return OfficeCalendar(
        {
            start + timedelta(n): (start + timedelta(n)).weekday() >= 5 or start + timedelta(n) in holidays
            for n in range(days)
        }
    )


CALENDAR = weekdays()


def noon(day: date) -> datetime:
    """Midday in Taipei, as a UTC moment."""
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)


def later(days: int) -> date:
    return MONDAY + timedelta(days=days)


@pytest.fixture
def case(app_context: None) -> Case:
    seed_case_types(db.session)
    draft = CaseDraft(
        "complaint",
        "KL",
        Channel.COUNTER,
        "路面坑洞",
        "施工後路面未修復",
        "吳佩珊",
        contact_phone="0911-000-111",
    )
    opened = open_case(db.session, draft, today=MONDAY, calendar=CALENDAR, keys=KEYS, needs_confirmation=True)
    assert opened.case.due_on == due_date(MONDAY, 6, CALENDAR).due == later(8)  # Tuesday of the next week
    return opened.case


def test_waiting_for_the_citizen_pauses_the_clock_and_the_citizen_sees_the_new_date(case: Case) -> None:
    handling.move(case, S.WAITING, calendar=CALENDAR, now=noon(later(1)), staff_id=None)
    handling.move(case, S.IN_PROGRESS, calendar=CALENDAR, now=noon(later(3)), staff_id=None)
    assert case.due_on == later(10)  # two working days (Tue, Wed) waited
    changed = [event for event in case.events if event.kind == "due_changed"]
    assert changed[-1].due_on == later(10)
    assert changed[-1].public


def test_a_reply_by_the_due_date_is_in_time_and_one_after_it_late(case: Case, app_context: None) -> None:
    handling.move(case, S.IN_PROGRESS, calendar=CALENDAR, now=noon(later(1)), staff_id=None)
    handling.move(case, S.REPLIED, calendar=CALENDAR, now=noon(later(8)), staff_id=None, reply="已派員修復")
    assert (case.answered_on, case.completed_in_time) == (later(8), True)
    reply = case.events[-1]
    assert (reply.kind, reply.public, reply.body) == ("reply", True, "已派員修復")
    handling.move(case, S.CLOSED, calendar=CALENDAR, now=noon(later(9)), staff_id=None)
    assert case.completed_in_time is True  # recorded at the first answer, not changed by closing

    other = open_case(
        db.session,
        CaseDraft("complaint", "KL", Channel.PHONE, "漏水", "路邊漏水", "李先生"),
        today=MONDAY, calendar=CALENDAR, keys=KEYS, needs_confirmation=True,
    ).case  # fmt: skip
    handling.move(other, S.CLOSED, calendar=CALENDAR, now=noon(later(9)), staff_id=None)
    assert other.completed_in_time is False


def test_an_extension_needs_a_reason_and_moves_the_due_date(case: Case) -> None:
    with pytest.raises(ValueError, match="reason"):
        handling.extend(case, 3, "  ", calendar=CALENDAR, now=noon(later(2)), staff_id=None)
    handling.extend(case, 3, "需會同道路主管機關會勘", calendar=CALENDAR, now=noon(later(2)), staff_id=None)
    assert case.due_on == later(11)
    extension = next(event for event in case.events if event.kind == "extension")
    assert (extension.days, extension.public, extension.body) == (3, True, "需會同道路主管機關會勘")


def test_a_transfer_within_one_working_day_counts_as_a_misdirected_case(case: Case) -> None:
    offices = {office.code: office.id for office in db.session.scalars(select(Office))}
    assert handling.transfer(case, offices["XZ"], calendar=CALENDAR, now=noon(later(1)), staff_id=None)
    assert (case.transfers, case.misdirected, case.office_id) == (1, True, offices["XZ"])
    assert not handling.transfer(case, offices["GS"], calendar=CALENDAR, now=noon(later(7)), staff_id=None)
    assert (case.transfers, case.misdirected) == (2, True)
    with pytest.raises(ValueError, match="already"):
        handling.transfer(case, offices["GS"], calendar=CALENDAR, now=noon(later(7)), staff_id=None)


def test_a_petition_closed_under_173_keeps_its_reason_and_an_internal_note(case: Case) -> None:
    with pytest.raises(ValueError, match="one of"):
        handling.close_without_reply(case, "bored", "", calendar=CALENDAR, now=noon(later(1)), staff_id=None)
    handling.close_without_reply(
        case, "repeated", "與前案相同", calendar=CALENDAR, now=noon(later(1)), staff_id=None
    )
    assert (case.state, case.no_reply_reason) == (S.CLOSED, "repeated")
    note = case.events[-1]
    assert (note.kind, note.public, note.body) == ("no_reply", False, "與前案相同")


def test_a_duplicate_is_merged_into_a_case_that_carries_on(case: Case) -> None:
    duplicate = open_case(
        db.session,
        CaseDraft("complaint", "KL", Channel.WEB, "路面坑洞", "同一處坑洞", "吳佩珊"),
        today=MONDAY, calendar=CALENDAR, keys=KEYS, needs_confirmation=False,
    ).case  # fmt: skip
    db.session.flush()
    handling.merge(duplicate, case, calendar=CALENDAR, now=noon(later(1)), staff_id=None)
    assert (duplicate.state, duplicate.merged_into_id) == (S.CLOSED, case.id)
    assert duplicate.events[-1].body == case.number
    with pytest.raises(ValueError, match="merged"):
        handling.merge(case, duplicate, calendar=CALENDAR, now=noon(later(1)), staff_id=None)


def test_a_closed_case_reopens_within_the_period_and_is_counted(case: Case) -> None:
    handling.move(case, S.CLOSED, calendar=CALENDAR, now=noon(later(2)), staff_id=None)
    handling.move(case, S.IN_PROGRESS, calendar=CALENDAR, now=noon(later(10)), staff_id=None)
    assert (case.state, case.reopened, case.closed_at) == (S.IN_PROGRESS, 1, None)
    handling.move(case, S.CLOSED, calendar=CALENDAR, now=noon(later(11)), staff_id=None)
    with pytest.raises(MoveError, match="reopened within"):
        handling.move(case, S.IN_PROGRESS, calendar=CALENDAR, now=noon(later(70)), staff_id=None)


def test_a_new_office_calendar_moves_open_cases_and_says_so(case: Case) -> None:
    reissued = weekdays(holidays=frozenset({later(4)}))  # the Friday became a holiday
    assert handling.refresh_open_cases(db.session, reissued, noon(later(1))) >= 1
    assert case.due_on == later(9)
    assert case.events[-1].kind == "calendar_changed"
    assert case.events[-1].public
    assert handling.refresh_open_cases(db.session, reissued, noon(later(1))) == 0


def test_the_day_counted_is_taipeis_not_utcs() -> None:
    late_evening_utc = datetime(2036, 3, 3, 17, 30, tzinfo=UTC)  # 01:30 on Tuesday in Taipei
    assert handling.local_day(late_evening_utc) == date(2036, 3, 4)
