"""A case's life as pure functions: which moves are allowed, and what its timeline says about its clock.

States run received → assigned → in progress ⇄ waiting for the citizen → replied → closed.
`check_move` says whether a move is allowed (and why not); a closed case may be reopened
within `REOPEN_WORKING_DAYS` of closure. `clock_of` reads a timeline (each state entered,
with its day, and each extension) into what the due date is counted from: the day of
receipt, the handling time plus extensions, and the pauses while the case waited for the
citizen, for the case types whose clock pauses. `due_of` counts the due date from that,
so a calendar change, a pause or an extension recomputes it the same way every time.
`in_time` says whether a case answered on a day was answered in time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from feedback.cases.deadlines import Calendar, DueDate, Pause, due_date, working_days_between
from feedback.cases.states import CaseState

REOPEN_WORKING_DAYS = 30

MOVES: dict[CaseState, frozenset[CaseState]] = {
    CaseState.RECEIVED: frozenset({CaseState.ASSIGNED}),
    CaseState.ASSIGNED: frozenset(
        {CaseState.IN_PROGRESS, CaseState.WAITING, CaseState.REPLIED, CaseState.CLOSED}
    ),
    CaseState.IN_PROGRESS: frozenset({CaseState.WAITING, CaseState.REPLIED, CaseState.CLOSED}),
    CaseState.WAITING: frozenset({CaseState.IN_PROGRESS, CaseState.REPLIED, CaseState.CLOSED}),
    CaseState.REPLIED: frozenset({CaseState.IN_PROGRESS, CaseState.CLOSED}),
    CaseState.CLOSED: frozenset({CaseState.IN_PROGRESS}),  # reopened
}


class MoveError(ValueError):
    """A move the lifecycle does not allow, with the reason."""


def check_move(
    current: CaseState,
    target: CaseState,
    *,
    today: date | None = None,
    closed_on: date | None = None,
    calendar: Calendar | None = None,
) -> None:
    """Raise MoveError unless a case in `current` may move to `target` (today, when reopening)."""
    if target not in MOVES[current]:
        raise MoveError(f"a case cannot move from {current.value} to {target.value}")
    if current is CaseState.CLOSED:
        if today is None or closed_on is None or calendar is None:
            raise MoveError("reopening needs the day of closure and the calendar")
        if working_days_between(closed_on, today, calendar) > REOPEN_WORKING_DAYS:
            raise MoveError(f"a case can be reopened within {REOPEN_WORKING_DAYS} working days of closure")


@dataclass(frozen=True)
class Entered:
    """The case entered `state` on `day` (one timeline entry)."""

    state: CaseState
    day: date


@dataclass(frozen=True)
class Clock:
    """What a case's due date is counted from."""

    received: date
    working_days: int
    pauses: tuple[Pause, ...]


def waiting_pauses(entries: Sequence[Entered], today: date) -> tuple[Pause, ...]:
    """The pauses a timeline holds: from each day the case began waiting to the day before it moved on.

    A case still waiting is paused through `today`: its due date is then the earliest it
    can be, should the citizen answer today, and moves on each day it keeps waiting.
    """
    pauses: list[Pause] = []
    started: date | None = None
    for entry in entries:
        if entry.state is CaseState.WAITING:
            if started is None:
                started = entry.day
        elif started is not None:
            if entry.day > started:
                pauses.append(Pause(started, entry.day - timedelta(days=1)))
            started = None
    if started is not None:
        pauses.append(Pause(started, max(started, today)))
    return tuple(pauses)


def clock_of(
    received: date,
    working_days: int,
    entries: Sequence[Entered],
    extensions: Sequence[int],
    *,
    pauses_clock: bool,
    today: date,
) -> Clock:
    """The clock of a case received on `received`, from its timeline and the working days of its extensions."""
    if any(days <= 0 for days in extensions):
        raise ValueError("an extension adds at least one working day")
    pauses = waiting_pauses(entries, today) if pauses_clock else ()
    return Clock(received, working_days + sum(extensions), pauses)


def due_of(clock: Clock, calendar: Calendar) -> DueDate:
    """The due date the clock gives on `calendar`."""
    return due_date(clock.received, clock.working_days, calendar, clock.pauses)


def in_time(answered_on: date, due: date) -> bool:
    """Whether a case answered (replied to, or closed) on `answered_on` was answered by its due date."""
    return answered_on <= due
