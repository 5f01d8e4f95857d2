"""What is kept, and for how long: unconfirmed web cases discarded, personal data purged after closure.

- A web case whose confirmation link was never followed is discarded
  `CONFIRMATION_DAYS` after it was sent: it never entered a queue and is in no figure.
- `CASE_RETENTION_YEARS` after a case was closed, what identifies the citizen or quotes
  them is erased: the name, e-mail, phone and address, the subject and description, and
  every timeline entry's text. What the figures read (type, office, channel, dates,
  states, in time or not, counts) stays, so a purged case still counts where it counted.
  The number and the password hash stay too: a citizen who kept them is told the case
  was closed and its details deleted. Its attachments (rows and files) are deleted.

Attachment files go once the deletion is committed (`attachments.delete_attachments`), so
a purge rolled back keeps every file its rows still name.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from feedback.cases.attachments import delete_attachments
from feedback.cases.models import Case, CaseAttachment, CaseEvent
from feedback.cases.states import CaseState

CONFIRMATION_DAYS = 3
PURGED = ""  # what a purged text field holds


def _delete_attachments_of(session: Session, case_ids: list[int]) -> None:
    rows = session.scalars(select(CaseAttachment).where(CaseAttachment.case_id.in_(case_ids)))
    delete_attachments(session, list(rows))


def discard_unconfirmed(session: Session, now: datetime) -> int:
    """Delete the web cases still waiting for confirmation `CONFIRMATION_DAYS` after they were sent."""
    cutoff = now - timedelta(days=CONFIRMATION_DAYS)
    stale = list(
        session.scalars(
            select(Case.id).where(Case.state == CaseState.RECEIVED.value, Case.created_at < cutoff)
        )
    )
    if stale:
        _delete_attachments_of(session, stale)
        session.execute(delete(CaseEvent).where(CaseEvent.case_id.in_(stale)))
        session.execute(delete(Case).where(Case.id.in_(stale)))
    return len(stale)


def purge_closed(session: Session, now: datetime, years: int) -> int:
    """Erase the personal data of cases closed more than `years` years before `now`; returns how many."""
    cutoff = now - timedelta(days=round(365.25 * years))
    due = list(
        session.scalars(
            select(Case).where(
                Case.state == CaseState.CLOSED.value, Case.closed_at < cutoff, Case.purged_at.is_(None)
            )
        )
    )
    for case in due:
        case.subject = case.description = case.contact_name = PURGED
        case.contact_email = case.contact_phone = case.address = None
        case.email_key = None
        case.purged_at = now
    if due:
        _delete_attachments_of(session, [case.id for case in due])
        session.execute(
            update(CaseEvent).where(CaseEvent.case_id.in_([case.id for case in due])).values(body=None)
        )
    session.flush()
    return len(due)
