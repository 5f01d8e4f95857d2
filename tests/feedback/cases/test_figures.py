"""The case figures: each definition on hand-made facts, the periods, and the facts read from stored cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from feedback.cases import handling
from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.figures import CaseFacts, case_facts, case_figures, period_bounds, tally, tally_by
from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
from feedback.cases.states import CaseState, Channel
from portal.db import db
from tests.feedback.cases.test_handling import noon

START = date(2037, 1, 5)  # a Monday
CALENDAR = OfficeCalendar({START + timedelta(n): (START + timedelta(n)).weekday() >= 5 for n in range(200)})
BASE = CaseFacts(
    office_id=1, channel="counter", type_code="complaint", kind="complaint", received_on=START, queued_on=START,
    due_on=START + timedelta(days=8), answered_on=None, completed_in_time=None, closed=False, reopened=0,
    transfers=0, misdirected=False,
)  # fmt: skip


def answered(days_later: int, **changes: object) -> CaseFacts:
    day = START + timedelta(days=days_later)
    assert BASE.due_on is not None
    return replace(BASE, answered_on=day, completed_in_time=day <= BASE.due_on, closed=True, **changes)  # type: ignore[arg-type]


def test_each_figure_counts_what_its_definition_says() -> None:
    facts = [
        answered(1),  # 1 working day
        answered(4),  # 4
        answered(9),  # 7, late
        replace(BASE, reopened=2, transfers=1, misdirected=True),
        replace(BASE, due_on=START + timedelta(days=2)),  # open, past due on the day below
    ]
    figures = tally(facts, today=START + timedelta(days=3), calendar=CALENDAR)
    assert (figures.received, figures.closed) == (5, 3)
    assert (figures.answered_in_time, figures.answered_late) == (2, 1)
    assert figures.in_time_ratio == pytest.approx(2 / 3)
    assert figures.open_past_due == 1
    assert (figures.average_working_days, figures.median_working_days) == (4.0, 4.0)
    assert (figures.reopened, figures.transferred, figures.misdirected) == (1, 1, 1)


def test_nothing_answered_has_no_ratio_or_average() -> None:
    figures = tally([BASE], today=START, calendar=CALENDAR)
    assert figures.in_time_ratio is None
    assert figures.average_working_days is None
    assert tally([], today=START, calendar=CALENDAR).received == 0


def test_a_day_the_calendar_lacks_is_counted_as_unmeasured_not_guessed() -> None:
    far = replace(answered(1), answered_on=START + timedelta(days=400))
    figures = tally([answered(1), far], today=START, calendar=CALENDAR)
    assert (figures.unmeasured, figures.average_working_days) == (1, 1.0)


def test_figures_by_office_and_channel() -> None:
    facts = [answered(1), replace(answered(2), office_id=2), replace(BASE, channel="phone")]
    by_office = tally_by(facts, lambda case: case.office_id, START, CALENDAR)
    assert {office: figures.received for office, figures in by_office.items()} == {1: 2, 2: 1}
    by_channel = tally_by(facts, lambda case: case.channel, START, CALENDAR)
    assert by_channel["phone"].closed == 0


@pytest.mark.parametrize(
    ("kind", "number", "bounds"),
    [
        ("month", 2, (date(2036, 2, 1), date(2036, 2, 29))),
        ("quarter", 4, (date(2036, 10, 1), date(2036, 12, 31))),
        ("half", 1, (date(2036, 1, 1), date(2036, 6, 30))),
        ("half", 2, (date(2036, 7, 1), date(2036, 12, 31))),
        ("year", 1, (date(2036, 1, 1), date(2036, 12, 31))),
    ],
)
def test_periods(kind: str, number: int, bounds: tuple[date, date]) -> None:
    assert period_bounds(kind, 2036, number) == bounds


@pytest.mark.parametrize(("kind", "number"), [("month", 13), ("quarter", 0), ("half", 3), ("week", 1)])
def test_a_period_that_does_not_exist_is_refused(kind: str, number: int) -> None:
    with pytest.raises(ValueError, match="no"):
        period_bounds(kind, 2036, number)


def test_stored_cases_give_their_facts_and_unconfirmed_web_cases_are_not_counted(app_context: None) -> None:
    seed_case_types(db.session)
    keys = IntakeKeys("p" * 40, "e" * 40)
    counter = open_case(
        db.session, CaseDraft("complaint", "KL", Channel.COUNTER, "a", "b", "c"),
        today=START, calendar=CALENDAR, keys=keys, needs_confirmation=True,
    ).case  # fmt: skip
    open_case(
        db.session, CaseDraft("inquiry", "KL", Channel.WEB, "a", "b", "c", contact_email="c@example.org"),
        today=START, calendar=CALENDAR, keys=keys, needs_confirmation=True,
    )  # fmt: skip
    handling.move(
        counter, CaseState.REPLIED, calendar=CALENDAR, now=noon(START + timedelta(days=2)), staff_id=None
    )
    db.session.flush()
    facts = case_facts(db.session, START, START)
    assert len(facts) == 1
    assert (facts[0].channel, facts[0].answered_on, facts[0].completed_in_time) == (
        "counter",
        START + timedelta(2),
        True,
    )
    by_type = case_figures(db.session, START, START, "type", START + timedelta(days=3), CALENDAR)
    assert by_type["complaint"].average_working_days == 2.0
