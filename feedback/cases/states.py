"""The words of the case domain: kinds of case type, intake channels and a case's states.

Stored as their values (short English words); their labels in both languages are in
`feedback/cases/labels.py`.
"""

from __future__ import annotations

from enum import StrEnum


class CaseKind(StrEnum):
    """What a case type is: the opinion mailbox's kinds, or an application."""

    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    INQUIRY = "inquiry"
    COMMENDATION = "commendation"
    APPLICATION = "application"


class Channel(StrEnum):
    """How a case reached us."""

    WEB = "web"
    COUNTER = "counter"  # 臨櫃
    PHONE = "phone"  # 1910 customer service
    LETTER = "letter"
    EMAIL = "email"
    OPEN311 = "open311"  # a program sending for the citizen, with an API key (/open311/v2/)


class CaseState(StrEnum):
    """Where a case stands."""

    RECEIVED = "received"  # a web case waiting for its e-mail to be confirmed
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"  # waiting for the citizen
    REPLIED = "replied"
    CLOSED = "closed"


OPEN_STATES = frozenset({CaseState.ASSIGNED, CaseState.IN_PROGRESS, CaseState.WAITING, CaseState.REPLIED})
