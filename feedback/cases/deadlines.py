"""Working-day deadlines: pure functions over an office calendar that decides every date.

The rule is the one citizens are told (Taipei 1999's 「收件次一工作天起六個工作天」): the
day of receipt is day 0, counting starts on the next working day, and the N-th working
day counted is the due date; a case is overdue from the day after it. Saturdays and
Sundays are not assumed to be days off: the government office calendar has make-up
working Saturdays, so the calendar decides every date, and a date it does not cover is
an error (`CalendarGapError`), never a guess.

Days waiting for the citizen pause the clock when the case type says so: a working day
inside a pause is not counted. `due_date` returns the due date with the days it counted
and the days it skipped, so staff and citizens can be shown how it was reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

ONE_DAY = timedelta(days=1)
# No handling time is longer than a few months; a count that runs this far has a calendar
# with almost no working days, which is an error in the calendar, not a deadline.
LONGEST_SEARCH_DAYS = 3 * 366


class CalendarGapError(LookupError):
    """A date the calendar does not cover: import that year's office calendar first."""

    def __init__(self, day: date) -> None:
        super().__init__(f"the office calendar does not cover {day.isoformat()}")
        self.day = day


class Calendar(Protocol):
    """Which days are working days."""

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day; raises CalendarGapError for a day not covered."""
        ...


@dataclass(frozen=True)
class OfficeCalendar:
    """Days off and working days by date, as the office calendar lists them (no rule of its own)."""

    days_off: Mapping[date, bool]  # date -> True when the office is closed that day

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day; raises CalendarGapError for a day not covered."""
        closed = self.days_off.get(day)
        if closed is None:
            raise CalendarGapError(day)
        return not closed


@dataclass(frozen=True)
class Pause:
    """Days the clock stops (waiting for the citizen): from `start` up to and including `end`."""

    start: date
    end: date

    def covers(self, day: date) -> bool:
        """Whether `day` falls in the pause."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class DueDate:
    """A due date and how it was counted."""

    received: date
    working_days: int
    due: date
    counted: tuple[date, ...]  # the working days counted, in order; the last is `due`
    paused: tuple[date, ...]  # working days not counted because the clock was paused

    def is_overdue(self, today: date) -> bool:
        """Whether a case still open on `today` is past its due date (overdue from the day after)."""
        return today > self.due


def _paused(day: date, pauses: Iterable[Pause]) -> bool:
    return any(pause.covers(day) for pause in pauses)


def due_date(received: date, working_days: int, calendar: Calendar, pauses: Iterable[Pause] = ()) -> DueDate:
    """The due date of a case received on `received` with `working_days` of handling time.

    Counting starts the day after receipt; working days inside a pause are skipped. With
    0 working days the due date is the day of receipt itself.
    """
    if working_days < 0:
        raise ValueError("working days cannot be negative")
    pauses = tuple(pauses)
    counted: list[date] = []
    paused: list[date] = []
    day = received
    while len(counted) < working_days:
        day += ONE_DAY
        if (day - received).days > LONGEST_SEARCH_DAYS:
            raise CalendarGapError(day)
        if not calendar.is_working_day(day):
            continue
        if _paused(day, pauses):
            paused.append(day)
            continue
        counted.append(day)
    due = counted[-1] if counted else received
    return DueDate(received, working_days, due, tuple(counted), tuple(paused))


def working_days_between(start: date, end: date, calendar: Calendar, pauses: Iterable[Pause] = ()) -> int:
    """Working days after `start` up to and including `end` (outside pauses): how long a case took.

    0 when `end` is `start` or earlier. `due_date(start, n).due` is the first day for which
    this reaches `n`.
    """
    pauses = tuple(pauses)
    total = 0
    day = start
    while day < end:
        day += ONE_DAY
        if calendar.is_working_day(day) and not _paused(day, pauses):
            total += 1
    return total
