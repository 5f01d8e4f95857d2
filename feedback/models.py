"""Every model of the feedback domain, gathered here for migrations (`migrations/env.py`)."""

from __future__ import annotations

from feedback.cases.models import (
    Case,
    CaseAttachment,
    CaseDayCounter,
    CaseEvent,
    CaseLinkToken,
    CaseMail,
    CaseType,
    OfficeDay,
    StaffMail,
)

__all__ = [
    "Case",
    "CaseAttachment",
    "CaseDayCounter",
    "CaseEvent",
    "CaseLinkToken",
    "CaseMail",
    "CaseType",
    "OfficeDay",
    "StaffMail",
]
