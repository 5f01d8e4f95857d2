"""The citizen adds information to their open case: a public timeline entry, its files, and the clock resumed.

The entry is of kind `citizen_added`, public, its text sealed like every timeline text. A
case waiting for the citizen moves back to in progress through `handling.move`, so its
paused clock resumes and its due date is counted afresh; a case in any other open state
keeps its state (the officer sees the entry on the case's timeline). A closed case takes
nothing more: `CaseClosedError` is raised and nothing is stored. Works in the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from feedback.cases.attachment_checks import CheckedFile
from feedback.cases.attachments import store_checked
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.handling import move
from feedback.cases.models import Case, CaseEvent
from feedback.cases.states import CaseState

KIND = "citizen_added"


class CaseClosedError(ValueError):
    """The case is closed (or merged into another): information can no longer be added."""


def may_add(case: Case) -> bool:
    """Whether the citizen may still add information to `case`."""
    return case.state != CaseState.CLOSED and case.purged_at is None and case.merged_into_id is None


def add_information(
    session: Session,
    case: Case,
    text: str,
    files: Sequence[CheckedFile],
    *,
    now: datetime,
    calendar: OfficeCalendar,
) -> CaseEvent:
    """Write what the citizen added (text and checked files) on the case's timeline; raises CaseClosedError."""
    if not may_add(case):
        raise CaseClosedError(f"case {case.number} is closed")
    entry = CaseEvent(at=now, kind=KIND, public=True, body=text.strip() or None)
    case.events.append(entry)
    session.flush()
    for checked in files:
        store_checked(session, case, checked, from_citizen=True, event=entry)
    if case.state == CaseState.WAITING:
        move(case, CaseState.IN_PROGRESS, calendar=calendar, now=now, staff_id=None)
    session.flush()
    return entry
