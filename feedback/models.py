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
from feedback.surveys.models import CaseSurvey, Counter, CounterResponse, FollowUp
from feedback.surveys.questionnaire_models import Invitation, Questionnaire, QuestionnaireVersion, Response

__all__ = [
    "Case",
    "CaseAttachment",
    "CaseDayCounter",
    "CaseEvent",
    "CaseLinkToken",
    "CaseMail",
    "CaseSurvey",
    "CaseType",
    "Counter",
    "CounterResponse",
    "FollowUp",
    "Invitation",
    "OfficeDay",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "StaffMail",
]
