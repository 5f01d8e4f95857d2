"""Opening a case: from what a citizen or a member of staff filled in to a stored case with its number.

`open_case` does it in the caller's transaction (on SQLite, a writer session): the number
is issued, the password drawn and hashed, the due date counted, the first timeline entry
written, and nothing is stored unless all of it is. A web case with an e-mail address
waits in `received` until the link in its confirmation mail is followed (when
`needs_confirmation`); every other case goes straight to its office's queue, and its
clock starts on the day of receipt. A day the office calendar does not cover leaves the
due date empty and says so on the timeline: the case is kept, and staff see why.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.deadlines import CalendarGapError, OfficeCalendar, due_date
from feedback.cases.models import Case, CaseEvent, CaseType
from feedback.cases.numbering import issue_number
from feedback.cases.numbers import new_case_password
from feedback.cases.passwords import hash_case_password
from feedback.cases.states import CaseState, Channel
from portal.offices.models import Office


@dataclass(frozen=True)
class CaseDraft:
    """What a case is opened with, already checked by its form."""

    type_code: str
    office_code: str
    channel: Channel
    subject: str
    description: str
    contact_name: str
    contact_email: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    district: str = ""
    language: str = "zh"


@dataclass(frozen=True)
class PreparedPassword:
    """A case password hashed once for many cases: the demo's cases all open with one password."""

    password: str
    password_hash: str


@dataclass(frozen=True)
class OpenedCase:
    """A stored case and its password, which is shown (and mailed) once and never stored readable."""

    case: Case
    password: str


class IntakeError(ValueError):
    """A draft naming a case type or office that does not exist (or no longer takes cases)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class IntakeKeys:
    """The keys intake needs: the pepper of case passwords, and the key of e-mail fingerprints."""

    password_key: str
    email_key: str


def email_fingerprint(key: str, email: str) -> str:
    """A keyed hash of an e-mail address as typed (case and spaces ignored): for limits and duplicates."""
    return hmac.new(key.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _type_and_office(session: Session, draft: CaseDraft) -> tuple[CaseType, Office]:
    case_type = session.scalar(
        select(CaseType).where(CaseType.code == draft.type_code, CaseType.active.is_(True))
    )
    if case_type is None or (draft.channel == Channel.WEB and not case_type.web_intake):
        raise IntakeError("type", "unknown case type")
    office = session.scalar(select(Office).where(Office.code == draft.office_code, Office.active.is_(True)))
    if office is None:
        raise IntakeError("office", "unknown office")
    return case_type, office


def open_case(
    session: Session,
    draft: CaseDraft,
    *,
    today: date,
    calendar: OfficeCalendar,
    keys: IntakeKeys,
    needs_confirmation: bool,
    prepared: PreparedPassword | None = None,
) -> OpenedCase:
    """Store a new case from `draft`, received `today`; raises IntakeError for an unknown type or office.

    `prepared` gives the password instead of drawing one (a hash costs ~10 ms; the demo opens a year's cases).
    """
    case_type, office = _type_and_office(session, draft)
    number, sequence = issue_number(session, today)
    password = prepared.password if prepared else new_case_password()
    waiting = needs_confirmation and draft.channel == Channel.WEB and bool(draft.contact_email)
    case = Case(
        number=number,
        received_on=today,
        sequence=sequence,
        password_hash=prepared.password_hash if prepared else hash_case_password(keys.password_key, password),
        type_id=case_type.id,
        office_id=office.id,
        channel=draft.channel.value,
        state=CaseState.RECEIVED.value if waiting else CaseState.ASSIGNED.value,
        language=draft.language,
        district=draft.district,
        subject=draft.subject,
        description=draft.description,
        contact_name=draft.contact_name,
        contact_email=draft.contact_email or None,
        contact_phone=draft.contact_phone or None,
        address=draft.address or None,
        email_key=email_fingerprint(keys.email_key, draft.contact_email) if draft.contact_email else None,
        working_days=case_type.working_days,
    )
    case.events.append(CaseEvent(kind="received", state_to=case.state, public=True))
    if not waiting:
        start_clock(case, today, calendar)
    session.add(case)
    session.flush()
    return OpenedCase(case, password)


def start_clock(case: Case, received: date, calendar: OfficeCalendar) -> None:
    """Count the case's due date from `received`; a day the calendar lacks leaves it empty, noted."""
    case.queued_on = received
    try:
        case.due_on = due_date(received, case.working_days, calendar).due
    except CalendarGapError as gap:
        case.due_on = None
        case.events.append(
            CaseEvent(kind="calendar_gap", body=f"office calendar lacks {gap.day.isoformat()}")
        )
