"""Giving a case to an officer: who may receive it, the timeline entry, and the officer's notice.

An officer can only receive a case of their own office, and only while it is open; the
assigning member of staff must be allowed to see the case. The assignment is an
internal timeline entry (the citizen sees the office, not the person) and an audited
change of `Case.assigned_to_id`. The officer's notice is queued in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from feedback.cases.models import Case, CaseEvent
from feedback.cases.staff.queue import may_see
from feedback.cases.states import OPEN_STATES, CaseState
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.i18n import _


class AssignmentError(ValueError):
    """An assignment that cannot be made, with the reason in the staff member's language."""


def _check_officer(officer: Staff | None, case: Case) -> Staff:
    if officer is None or not officer.active or Role.CASE_OFFICER not in officer.roles:
        raise AssignmentError(_("只能分派給在職的案件承辦人。"))
    if officer.office_id != case.office_id:
        raise AssignmentError(_("案件 %(number)s 不屬於這位承辦人的單位。", number=case.number))
    return officer


def assign(session: Session, case: Case, officer_id: int | None, *, actor: Staff, now: datetime) -> bool:
    """Give `case` to the officer `officer_id` (None: back to the office's queue); returns whether it changed."""
    if not may_see(actor, case):
        raise AssignmentError(_("有案件不存在或您無權處理，沒有分派任何案件。"))
    if CaseState(case.state) not in OPEN_STATES:
        raise AssignmentError(_("案件 %(number)s 不在處理中，不能分派。", number=case.number))
    officer = _check_officer(session.get(Staff, officer_id), case) if officer_id else None
    if case.assigned_to_id == (officer.id if officer else None):
        return False
    case.assigned_to_id = officer.id if officer else None
    case.events.append(
        CaseEvent(
            at=now,
            kind="assigned",
            public=False,
            body=officer.display_name if officer else None,
            staff_id=actor.id,
        )
    )
    if officer is not None:
        _notify(session, case, officer, now, actor)
    return True


def _notify(session: Session, case: Case, officer: Staff, now: datetime, actor: Staff) -> None:
    from feedback.cases import staff_notices

    # An officer who takes a case themselves is not mailed about it.
    staff_notices.notify_assignment(session, case, officer, now, assigned_by=actor)
