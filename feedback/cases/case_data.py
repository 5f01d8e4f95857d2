"""What we hold about a case, as the citizen may download it (個資法 §3, §10): their own data and the public timeline.

`case_record` is a plain dictionary, the same for the JSON download and the printable page:
the case's number, type, office, channel, dates and state; what the citizen gave us (name,
contact details, address, subject, description); the public timeline with its texts (replies,
extensions, what the citizen added); and the files the citizen may see. Never an internal note,
a staff member's name or id, the e-mail fingerprint or the password hash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from feedback.cases.handling import OFFICE_ZONE
from feedback.cases.models import Case, CaseAttachment, CaseEvent
from portal.offices.models import Office

TEXT_KINDS = ("reply", "extension", "merged", "citizen_added")  # entries whose text is public


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(OFFICE_ZONE).isoformat(timespec="seconds") if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _name(thing: Any, language: str) -> str:
    return (thing.name_en if language == "en" else "") or thing.name_zh


def _entry(event: CaseEvent, offices: Mapping[int, Office], language: str) -> dict[str, Any]:
    office = offices.get(event.office_id) if event.office_id else None
    return {
        "at": _moment(event.at),
        "kind": event.kind,
        "state_from": event.state_from,
        "state_to": event.state_to,
        "text": event.body if event.kind in TEXT_KINDS else None,
        "working_days": event.days,
        "due_on": _day(event.due_on),
        "office": _name(office, language) if office else None,
    }


def _file(attachment: CaseAttachment) -> dict[str, Any]:
    return {
        "name": attachment.name,
        "media_type": attachment.media_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "added_at": _moment(attachment.created_at),
        "from_you": attachment.from_citizen,
    }


def case_record(
    case: Case,
    *,
    events: Sequence[CaseEvent],
    attachments: Sequence[CaseAttachment],
    offices: Mapping[int, Office],
    language: str,
    now: datetime,
) -> dict[str, Any]:
    """What we hold about `case` that its citizen may have: `events` are its public entries, `attachments` the visible files."""
    office = offices.get(case.office_id)
    kind = case.case_type
    return {
        "number": case.number,
        "type": {"code": kind.code, "name": _name(kind, language)},
        "office": _name(office, language) if office else None,
        "channel": case.channel,
        "state": case.state,
        "language": case.language,
        "received_on": _day(case.received_on),
        "due_on": _day(case.due_on),
        "answered_on": _day(case.answered_on),
        "closed_at": _moment(case.closed_at),
        "personal_data_erased_at": _moment(case.purged_at),
        "you_gave_us": {
            "name": case.contact_name or None,
            "email": case.contact_email,
            "phone": case.contact_phone,
            "address": case.address,
            "district": case.district or None,
            "subject": case.subject or None,
            "description": case.description or None,
        },
        "timeline": [_entry(event, offices, language) for event in events],
        "attachments": [_file(attachment) for attachment in attachments],
        "generated_at": _moment(now),
    }
