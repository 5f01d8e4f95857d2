"""Cases for the citizen-side tests, each made in an application context of its own (closed before any request)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask

from feedback.cases.calendar import office_calendar
from feedback.cases.handling import move
from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
from feedback.cases.states import CaseState, Channel
from portal.db import db, utcnow


def keys(app: Flask) -> IntakeKeys:
    return IntakeKeys(app.config["CASE_PASSWORD_KEY"], app.config["SECRET_KEY"])


@dataclass(frozen=True)
class Made:
    """A case made for a test: its id, number and password."""

    id: int
    number: str
    password: str


def new_case(app: Flask, state: CaseState = CaseState.ASSIGNED, **changes: Any) -> Made:
    """A phone case (in its office's queue), moved to `state`."""
    with app.app_context():
        return _new_case(app, state, **changes)


def _new_case(app: Flask, state: CaseState, **changes: Any) -> Made:
    draft = CaseDraft(
        "complaint", "KL", Channel.PHONE, "水錶漏水", "水錶箱一直滴水", "黃志明",
        contact_email="huang@example.org", contact_phone="0912-000-111", **changes,
    )  # fmt: skip
    now = utcnow()
    opened = open_case(
        db.session,
        draft,
        today=now.date(),
        calendar=office_calendar(),
        keys=keys(app),
        needs_confirmation=False,
    )
    case = opened.case
    if state in {CaseState.WAITING, CaseState.CLOSED}:
        move(case, state, calendar=office_calendar(), now=now, staff_id=None)
    db.session.commit()
    return Made(case.id, case.number, opened.password)
