"""The case figures the appraisal reads: per office, channel, type and period, with their definitions.

`tally` is a pure function over `CaseFacts` (one per case, no personal data); `case_figures`
reads the facts of the cases received in a period and tallies them by whatever key is
asked for. A case counts from the day it entered an office's queue: a web case never
confirmed is not a case here. Definitions (docs/cases.md, "Figures"):

- received: cases received in the period;
- closed: of those, closed by the day the figures are taken;
- answered in time / late: answered (first reply or closure) by / after the due date;
- open past due: still open on the day the figures are taken, after their due date;
- working days: from the day after receipt to the day answered, pauses excluded as the
  due date counts them; the average and median of answered cases;
- reopened, transferred, misdirected: cases reopened at least once, transferred at least
  once, and transferred within one working day of receipt.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.deadlines import Calendar, CalendarGapError, working_days_between
from feedback.cases.models import Case, CaseType
from feedback.cases.states import CaseState


@dataclass(frozen=True)
class CaseFacts:
    """What the figures need of one case, and nothing personal."""

    office_id: int
    channel: str
    type_code: str
    kind: str
    received_on: date
    queued_on: date
    due_on: date | None
    answered_on: date | None
    completed_in_time: bool | None
    closed: bool
    reopened: int
    transfers: int
    misdirected: bool


@dataclass(frozen=True)
class Figures:
    """The tally of a group of cases."""

    received: int
    closed: int
    answered_in_time: int
    answered_late: int
    open_past_due: int
    average_working_days: float | None
    median_working_days: float | None
    unmeasured: int  # answered cases whose working days the calendar cannot count
    reopened: int
    transferred: int
    misdirected: int

    @property
    def in_time_ratio(self) -> float | None:
        """Answered in time over answered, or None when none was answered."""
        answered = self.answered_in_time + self.answered_late
        return self.answered_in_time / answered if answered else None


def tally(facts: Iterable[CaseFacts], today: date, calendar: Calendar) -> Figures:
    """The figures of `facts` as of `today`."""
    cases = list(facts)
    taken: list[int] = []
    unmeasured = 0
    for case in cases:
        if case.answered_on is None:
            continue
        try:
            taken.append(working_days_between(case.queued_on, case.answered_on, calendar))
        except CalendarGapError:
            unmeasured += 1
    return Figures(
        received=len(cases),
        closed=sum(case.closed for case in cases),
        answered_in_time=sum(case.completed_in_time is True for case in cases),
        answered_late=sum(case.completed_in_time is False for case in cases),
        open_past_due=sum(
            not case.closed and case.due_on is not None and case.due_on < today for case in cases
        ),
        average_working_days=round(statistics.fmean(taken), 2) if taken else None,
        median_working_days=float(statistics.median(taken)) if taken else None,
        unmeasured=unmeasured,
        reopened=sum(case.reopened > 0 for case in cases),
        transferred=sum(case.transfers > 0 for case in cases),
        misdirected=sum(case.misdirected for case in cases),
    )


def tally_by(
    facts: Iterable[CaseFacts], key: Callable[[CaseFacts], Hashable], today: date, calendar: Calendar
) -> dict[Hashable, Figures]:
    """The figures of each group `key` puts the facts in."""
    groups: dict[Hashable, list[CaseFacts]] = defaultdict(list)
    for case in facts:
        groups[key(case)].append(case)
    return {group: tally(members, today, calendar) for group, members in groups.items()}


def period_bounds(kind: str, year: int, number: int = 1) -> tuple[date, date]:
    """The first and last day of a month (1-12), quarter (1-4), half-year (1-2) or year."""
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}.get(kind)
    if months is None or not 1 <= number <= 12 // months:
        raise ValueError(f"no {kind} number {number}")
    first_month = (number - 1) * months + 1
    start = date(year, first_month, 1)
    after = date(year + (first_month + months - 1) // 12, (first_month + months - 1) % 12 + 1, 1)
    return start, after - timedelta(days=1)


def case_facts(session: Session, start: date, end: date) -> list[CaseFacts]:
    """The facts of every case that entered a queue from `start` to `end` (both included)."""
    columns = [
        Case.office_id,
        Case.channel,
        CaseType.code.label("type_code"),
        CaseType.kind,
        Case.received_on,
        Case.queued_on,
        Case.due_on,
        Case.answered_on,
        Case.completed_in_time,
        (Case.state == CaseState.CLOSED.value).label("closed"),
        Case.reopened,
        Case.transfers,
        Case.misdirected,
    ]
    rows = session.execute(
        select(*columns)
        .join(CaseType, CaseType.id == Case.type_id)
        .where(Case.received_on >= start, Case.received_on <= end, Case.queued_on.is_not(None))
    ).all()
    return [CaseFacts(**row._asdict()) for row in rows]


GROUPINGS: dict[str, Callable[[CaseFacts], Hashable]] = {
    "office": lambda case: case.office_id,
    "channel": lambda case: case.channel,
    "type": lambda case: case.type_code,
    "office_channel": lambda case: (case.office_id, case.channel),
}


def case_figures(
    session: Session, start: date, end: date, group: str, today: date, calendar: Calendar
) -> dict[Hashable, Figures]:
    """The figures of the cases received from `start` to `end`, grouped by `GROUPINGS[group]`."""
    return tally_by(case_facts(session, start, end), GROUPINGS[group], today, calendar)
