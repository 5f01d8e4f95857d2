"""Helpers of the Open311 view tests: counting stored cases, and sending a good case."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback.cases.models import Case
from portal.db import db
from tests.feedback.cases.open311.conftest import good_form
from tests.feedback.cases.open311.spec_client import SpecClient


def cases_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Case)) or 0


def submitted(spec: SpecClient, key: str, fmt: str = "json", **changes: str) -> Case:
    """POST a good form; the stored case."""
    answer = spec.submit(fmt, good_form(key, **changes))
    assert answer.status == 201, answer.body
    token = answer.document[0]["token"]
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.open311_token == token))
    assert case is not None
    return case
