"""What a staff queue shows: which cases a member of staff may see, the filters, and each case's countdown.

`visible_to` is the one rule of who sees what: case officers their own office's cases,
holders of `HANDLE_ALL_CASES` (administrators) every office's. `queue_query` turns the
filters of the queue page into one query; `countdown` and `due_soon_limit` are pure
working-day arithmetic over the office calendar, so the list and the digest agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from feedback.cases.deadlines import Calendar, CalendarGapError, due_date, working_days_between
from feedback.cases.models import Case, CaseType
from feedback.cases.states import OPEN_STATES, CaseState
from portal.auth.models import Staff, StaffRole
from portal.auth.roles import Permission, Role
from portal.offices.models import Office

DUE_SOON_WORKING_DAYS = 2
OPEN_VALUES = tuple(state.value for state in OPEN_STATES)
RUNNING_STATES = frozenset({CaseState.ASSIGNED, CaseState.IN_PROGRESS})


@dataclass(frozen=True)
class QueueFilter:
    """The queue page's filters, already checked against the choices offered (empty: no filter)."""

    office: str = ""  # an office code
    officer: str = ""  # "mine", "unassigned" or a staff id
    type_code: str = ""
    channel: str = ""
    state: str = "open"  # "open", "all" or one CaseState value
    due: str = ""  # "soon" or "overdue"


def sees_every_office(staff: Staff) -> bool:
    """Whether `staff` handles every office's cases, not only their own office's."""
    return staff.can(Permission.HANDLE_ALL_CASES)


def visible_to(query: Select[Case], staff: Staff) -> Select[Case]:
    """`query` narrowed to the cases `staff` may see."""
    if sees_every_office(staff):
        return query
    if staff.office_id is None:
        return query.where(false())
    return query.where(Case.office_id == staff.office_id)


def may_see(staff: Staff, case: Case) -> bool:
    """Whether `staff` may open `case` (the same rule as `visible_to`)."""
    return sees_every_office(staff) or (staff.office_id is not None and case.office_id == staff.office_id)


def clock_running(case: Case) -> bool:
    """Whether the case's due date still stands before it (what countdowns and the due views show).

    A case waits on us while assigned or in progress; one waiting for the citizen is paused
    when its type says so (its stored due date moves on when it comes back); a replied one
    was answered. The officers' daily digest leaves these out too.
    """
    state = CaseState(case.state)
    if state is CaseState.WAITING:
        return not case.case_type.pauses_when_waiting
    return state in RUNNING_STATES


def _running() -> ColumnElement[bool]:
    """`clock_running` as a condition of the queue's query."""
    unpaused = select(CaseType.id).where(CaseType.pauses_when_waiting.is_(False))
    return or_(
        Case.state.in_([state.value for state in RUNNING_STATES]),
        and_(Case.state == CaseState.WAITING.value, Case.type_id.in_(unpaused)),
    )


def countdown(today: date, due: date | None, calendar: Calendar) -> int | None:
    """Working days left until `due`: positive ahead, 0 on the day, negative once overdue; None if unknown.

    A case is overdue from the day after its due date, a day off included: on the Saturday
    after a Friday due date it is -1 (no working day has passed yet, but it is late).
    """
    if due is None:
        return None
    try:
        if due >= today:
            return working_days_between(today, due, calendar)
        return -max(working_days_between(due, today, calendar), 1)
    except CalendarGapError:
        return None


def due_soon_limit(today: date, calendar: Calendar, working_days: int = DUE_SOON_WORKING_DAYS) -> date:
    """The last due date counted as "due soon": `working_days` working days after today."""
    try:
        return due_date(today, working_days, calendar).due
    except CalendarGapError:
        # A calendar that runs out: a generous guess is better than hiding cases that are due.
        return today + timedelta(days=working_days * 2)


def _holders() -> Select[int]:
    """The ids of the accounts that can hold a case: active case officers."""
    return (
        select(StaffRole.staff_id)
        .join(Staff, Staff.id == StaffRole.staff_id)
        .where(Staff.active.is_(True), StaffRole.role == Role.CASE_OFFICER.value)
    )


def queue_query(staff: Staff, chosen: QueueFilter, today: date, calendar: Calendar) -> Select[Case]:
    """The cases of the queue page, due first (cases without a due date last), then by number."""
    query = visible_to(select(Case).where(Case.merged_into_id.is_(None)), staff)
    if chosen.office:
        query = query.where(
            Case.office_id == select(Office.id).where(Office.code == chosen.office).scalar_subquery()
        )
    if chosen.officer == "mine":
        query = query.where(Case.assigned_to_id == staff.id)
    elif chosen.officer == "unassigned":
        # A case given to an account since disabled (or no longer an officer's) is nobody's,
        # as the list shows it and as the officers' daily digest counts it.
        query = query.where(or_(Case.assigned_to_id.is_(None), Case.assigned_to_id.not_in(_holders())))
    elif chosen.officer:
        query = query.where(Case.assigned_to_id == int(chosen.officer))
    if chosen.type_code:
        query = query.join(CaseType, CaseType.id == Case.type_id).where(CaseType.code == chosen.type_code)
    if chosen.channel:
        query = query.where(Case.channel == chosen.channel)
    if chosen.state == "open":
        query = query.where(Case.state.in_(OPEN_VALUES))
    elif chosen.state != "all":
        query = query.where(Case.state == CaseState(chosen.state).value)
    if chosen.due == "overdue":
        query = query.where(_running(), Case.due_on < today)
    elif chosen.due == "soon":
        query = query.where(_running(), Case.due_on >= today, Case.due_on <= due_soon_limit(today, calendar))
    return query.order_by(Case.due_on.is_(None), Case.due_on, Case.received_on, Case.sequence)
