"""Case mail: queued with the change it tells of, sent in the background, retried with back-off.

`queue_mail` stores a message in the transaction that changed the case, so the case and
its mail are stored or lost together, never one without the other, and a mail server
that is down can never lose a case. `deliver_due` sends what is due: each message is
claimed first (an update that only one process can win), so two workers never send it
twice; a failure is retried after 1, 5, 15 and 60 minutes, then every 4 and 12 hours,
and given up after `MAX_ATTEMPTS` (staff see it). A sent message's text is erased: the
receipt carries the case password, which is never kept readable.

Staff mail (`StaffMail`: assignment notices and the daily digest) is sent the same way:
`deliver_due` takes the table to send from. `deliver_job` runs after every commit that
queued mail (`portal.jobs`, a thread or RQ) and sends both; `flask cases send-mail` on a
timer picks up retries (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from feedback.cases.models import Case, CaseMail, StaffMail
from portal.db import utcnow

RETRY_MINUTES = (1, 5, 15, 60, 240, 720)
MAX_ATTEMPTS = 10
CLAIM_MINUTES = 5
Sender = Callable[[str, str, str], bool]
MailTable = type[CaseMail] | type[StaffMail]


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1 is the first)."""
    index = min(max(attempts, 1), len(RETRY_MINUTES)) - 1
    return timedelta(minutes=RETRY_MINUTES[index])


def queue_mail(
    session: Session, case: Case, kind: str, to: str, subject: str, body: str, now: datetime
) -> CaseMail:
    """Store a message about `case` to send as soon as possible."""
    mail = CaseMail(
        case_id=case.id, kind=kind, to_address=to, subject=subject, body=body, next_attempt_at=now
    )
    session.add(mail)
    session.flush()
    return mail


def _claim(session: Session, table: MailTable, mail_id: int) -> bool:
    # A claim is a lease in real time, whatever moment the caller sends "as of": a sender
    # catching up on a later moment's retries must not take a message another is sending.
    clock = utcnow()
    claimed = session.execute(
        update(table)
        .where(
            table.id == mail_id,
            table.sent_at.is_(None),
            or_(table.claimed_until.is_(None), table.claimed_until < clock),
        )
        .values(claimed_until=clock + timedelta(minutes=CLAIM_MINUTES))
    )
    session.commit()
    return bool(getattr(claimed, "rowcount", 0))


def deliver_due(
    session: Session, now: datetime, send: Sender, limit: int = 50, table: MailTable = CaseMail
) -> tuple[int, int]:
    """Send up to `limit` messages of `table` that are due; returns how many left and how many failed this time."""
    due = list(
        session.scalars(
            select(table.id)
            .where(table.sent_at.is_(None), table.gave_up_at.is_(None), table.next_attempt_at <= now)
            .order_by(table.next_attempt_at)
            .limit(limit)
        )
    )
    sent = failed = 0
    for mail_id in due:
        if not _claim(session, table, mail_id):
            continue  # another worker has it
        mail = cast("CaseMail | StaffMail | None", session.get(table, mail_id))
        if mail is None:
            continue
        if send(mail.to_address, mail.subject, mail.body):
            mail.sent_at = now
            mail.body = ""
            sent += 1
        else:
            mail.attempts += 1
            mail.last_error = "the mail server did not take the message"
            if mail.attempts >= MAX_ATTEMPTS:
                mail.gave_up_at = now
            else:
                mail.next_attempt_at = now + retry_delay(mail.attempts)
            failed += 1
        mail.claimed_until = None
        session.commit()
    return sent, failed


def deliver_job() -> None:
    """The background job (`portal.jobs`, which gives it a writer session): send what is due now, both tables."""
    from portal.db import db
    from portal.mail import send_mail

    now = utcnow()
    deliver_due(db.session, now, send_mail)
    deliver_due(db.session, now, send_mail, table=StaffMail)
