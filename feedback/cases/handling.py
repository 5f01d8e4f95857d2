"""Handling a case: moves, replies, extensions, transfers, merges and §173, each written on its timeline.

Every change goes through `lifecycle` (is the move allowed?) and ends with the due date
counted afresh from the timeline (`refresh_due`), so a pause, an extension or a new
office calendar moves it the same way; a changed due date is written on the timeline
for the citizen to see. The first reply or closure records whether the case was
answered in time. Functions work in the caller's session and transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.deadlines import CalendarGapError, DueDate, OfficeCalendar, working_days_between
from feedback.cases.lifecycle import Entered, check_move, clock_of, due_of, in_time
from feedback.cases.models import Case, CaseEvent
from feedback.cases.states import OPEN_STATES, CaseState

OFFICE_ZONE = ZoneInfo("Asia/Taipei")

# Reasons a petition may be closed without an answer (行政程序法 §173).
NO_REPLY_REASONS = ("anonymous", "repeated", "not_ours")
MISDIRECTED_WITHIN_WORKING_DAYS = 1


def local_day(moment: datetime) -> date:
    """The office's calendar day at `moment` (Taipei time), which deadlines count in."""
    return moment.astimezone(OFFICE_ZONE).date()


def timeline_states(case: Case) -> list[Entered]:
    """Each state the case entered, with its day, in order."""
    return [
        Entered(CaseState(event.state_to), local_day(event.at)) for event in case.events if event.state_to
    ]


def counted_due(case: Case, calendar: OfficeCalendar, now: datetime) -> DueDate | None:
    """How the case's due date is counted (for showing it), or None before its clock started."""
    if case.state == CaseState.RECEIVED or case.queued_on is None:
        return None
    extensions = [event.days for event in case.events if event.kind == "extension" and event.days]
    clock = clock_of(
        case.queued_on,
        case.working_days,
        timeline_states(case),
        extensions,
        pauses_clock=case.case_type.pauses_when_waiting,
        today=local_day(now),
    )
    try:
        return due_of(clock, calendar)
    except CalendarGapError:
        return None


def refresh_due(case: Case, calendar: OfficeCalendar, now: datetime) -> bool:
    """Count the due date afresh from the timeline; returns whether it changed (and writes it down)."""
    counted = counted_due(case, calendar, now)
    if counted is None:
        return False
    due = counted.due
    if due == case.due_on:
        return False
    case.due_on = due
    case.events.append(CaseEvent(kind="due_changed", at=now, due_on=due, public=True))
    return True


def move(
    case: Case,
    target: CaseState,
    *,
    calendar: OfficeCalendar,
    now: datetime,
    staff_id: int | None,
    reply: str | None = None,
) -> None:
    """Move the case to `target`, with a public reply when one is given; raises MoveError when not allowed."""
    current = CaseState(case.state)
    today = local_day(now)
    closed_on = local_day(case.closed_at) if case.closed_at else None
    check_move(current, target, today=today, closed_on=closed_on, calendar=calendar)
    if current is CaseState.CLOSED:
        case.reopened += 1
        case.closed_at = None
    case.state = target.value
    case.events.append(
        CaseEvent(
            at=now,
            kind="reply" if reply else "state",
            state_from=current.value,
            state_to=target.value,
            public=True,
            body=reply,
            staff_id=staff_id,
        )
    )
    if target in {CaseState.REPLIED, CaseState.CLOSED} and case.answered_on is None:
        case.answered_on = today
        case.completed_in_time = in_time(today, case.due_on) if case.due_on else None
    if target is CaseState.CLOSED:
        case.closed_at = now
    refresh_due(case, calendar, now)


def extend(
    case: Case, days: int, reason: str, *, calendar: OfficeCalendar, now: datetime, staff_id: int | None
) -> None:
    """Give the case `days` more working days, with a reason the citizen sees."""
    if CaseState(case.state) not in OPEN_STATES:
        raise ValueError("only an open case can be extended")
    if days <= 0 or not reason.strip():
        raise ValueError("an extension needs at least one working day and a reason")
    case.events.append(
        CaseEvent(at=now, kind="extension", days=days, body=reason.strip(), public=True, staff_id=staff_id)
    )
    refresh_due(case, calendar, now)


def transfer(
    case: Case, office_id: int, *, calendar: OfficeCalendar, now: datetime, staff_id: int | None
) -> bool:
    """Move the case to another office; returns whether it counts as a misdirected case re-routed in time."""
    if office_id == case.office_id:
        raise ValueError("the case is already with that office")
    started = case.queued_on or case.received_on
    rerouted = working_days_between(started, local_day(now), calendar) <= MISDIRECTED_WITHIN_WORKING_DAYS
    case.office_id = office_id
    case.transfers += 1
    case.misdirected = case.misdirected or rerouted
    case.assigned_to_id = None
    case.events.append(
        CaseEvent(at=now, kind="transfer", office_id=office_id, public=True, staff_id=staff_id)
    )
    return rerouted


def close_without_reply(
    case: Case, reason: str, note: str, *, calendar: OfficeCalendar, now: datetime, staff_id: int | None
) -> None:
    """Close a petition not to be answered under 行政程序法 §173, with its reason."""
    if reason not in NO_REPLY_REASONS:
        raise ValueError(f"the reason must be one of {', '.join(NO_REPLY_REASONS)}")
    case.no_reply_reason = reason
    move(case, CaseState.CLOSED, calendar=calendar, now=now, staff_id=staff_id)
    case.events.append(CaseEvent(at=now, kind="no_reply", body=note or None, public=False, staff_id=staff_id))


def merge(
    duplicate: Case, into: Case, *, calendar: OfficeCalendar, now: datetime, staff_id: int | None
) -> None:
    """Close `duplicate` as merged into `into`; the citizen is told which case carries it on."""
    if duplicate.id == into.id or into.merged_into_id is not None:
        raise ValueError("a case is merged into another case that is itself not merged")
    duplicate.merged_into_id = into.id
    move(duplicate, CaseState.CLOSED, calendar=calendar, now=now, staff_id=staff_id)
    duplicate.events.append(
        CaseEvent(at=now, kind="merged", body=into.number, public=True, staff_id=staff_id)
    )


def refresh_open_cases(session: Session, calendar: OfficeCalendar, now: datetime) -> int:
    """After the office calendar changed: every open case's due date counted again; returns how many moved."""
    changed = 0
    for case in session.scalars(select(Case).where(Case.state.in_([state.value for state in OPEN_STATES]))):
        if refresh_due(case, calendar, now):
            case.events[-1].kind = "calendar_changed"
            changed += 1
    session.flush()
    return changed
