"""Opening a case from an Open311 POST, in the caller's transaction.

The case goes straight to its office's queue (the client's key vouches for it, so no
e-mail confirmation is asked), through the same `open_case` every channel uses. The
office is the one whose service area names the address's district, else the type's own
office, else the first active office, which transfers it on like a misdirected letter.
The case records the key it came with and a fresh token, the one the POST is answered
with. When the citizen left an e-mail address, the receipt with the case number and
password is queued for them; the password is never given to the client.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.calendar import office_calendar
from feedback.cases.districts import all_districts
from feedback.cases.handling import local_day
from feedback.cases.intake import CaseDraft, IntakeKeys, OpenedCase, open_case
from feedback.cases.models import CaseType
from feedback.cases.notices import receipt_notice, send_notice
from feedback.cases.open311.params import Submission, district_in_address
from feedback.cases.states import Channel
from portal.apikeys.models import ApiKey
from portal.offices.models import Office

SUBJECT_MAX = 100
TOKEN_BYTES = 24  # 32 characters, 192 random bits


@dataclass(frozen=True)
class Opened:
    """The stored case, its token, and the office it went to."""

    opened: OpenedCase
    token: str
    office: Office


def contact_name(first: str, last: str) -> str:
    """One name from Open311's two: family name first, unspaced, when both are written in Chinese."""
    if first and last and all("\u3400" <= char <= "\u9fff" for char in first + last):
        return last + first
    return " ".join(part for part in (first, last) if part)


def subject_of(description: str) -> str:
    """The case's subject: the description's first line, cut to SUBJECT_MAX characters."""
    line = description.strip().splitlines()[0].strip() if description.strip() else ""
    return line if len(line) <= SUBJECT_MAX else line[: SUBJECT_MAX - 1] + "…"


def choose_office(offices: list[Office], kind: CaseType, district: str) -> Office | None:
    """The office for the case: by district, else the type's own, else the first active one (None if none is)."""
    by_code = {office.code: office for office in offices}
    for name, code in all_districts(offices):
        if name == district:
            return by_code[code]
    own = next((office for office in offices if office.id == kind.office_id), None)
    return own or (offices[0] if offices else None)


def open_submission(
    session: Session, submission: Submission, kind: CaseType, key: ApiKey, now: datetime, language: str
) -> Opened | None:
    """Store the case `submission` describes and queue its receipt (the caller commits); None if no office is active."""
    offices = list(session.scalars(select(Office).where(Office.active.is_(True)).order_by(Office.sort_order)))
    district = district_in_address(submission.address, [name for name, _code in all_districts(offices)])
    office = choose_office(offices, kind, district)
    if office is None:
        return None
    draft = CaseDraft(
        type_code=kind.code,
        office_code=office.code,
        channel=Channel.OPEN311,
        subject=subject_of(submission.description),
        description=submission.description,
        contact_name=contact_name(submission.first_name, submission.last_name),
        contact_email=submission.email or None,
        contact_phone=submission.phone or None,
        address=submission.address or None,
        district=district,
        language=language,
    )
    config = current_app.config
    keys = IntakeKeys(password_key=config["CASE_PASSWORD_KEY"], email_key=config["SECRET_KEY"])
    opened = open_case(
        session, draft, today=local_day(now), calendar=office_calendar(), keys=keys, needs_confirmation=False
    )
    case = opened.case
    token = secrets.token_urlsafe(TOKEN_BYTES)
    case.api_key_id = key.id
    case.open311_token = token
    case.latitude = submission.latitude
    case.longitude = submission.longitude
    lookup = url_for("cases.lookup", number=case.number, _external=True)
    send_notice(session, case, receipt_notice(case, opened.password, lookup), now)
    session.flush()
    return Opened(opened, token, office)
