"""The route walk's requests for the Open311 endpoint (`/open311/v2/…`), each resource in both formats.

Every Open311 rule ends in `.<fmt>`: each is asked as `.json` and `.xml`, with a real
service code, a case number GET requests lists (the demo's cases, when it has them; a
number no case has otherwise, answered 404 in the errors shape), and a token no POST
was ever answered with (404). POST requests is sent bare, without an api_key: 403.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from feedback.cases.models import Case, CaseType

FORMATS = ("json", "xml")
NO_SUCH_CASE = "1010101-0001"  # 2012-01-01, before any case of this site
NO_SUCH_TOKEN = "a-token-no-post-was-answered-with"
WITHOUT_KEY = 403


def open311_values(session: Session) -> dict[str, Any]:
    """A service code and a published case number (None when the demo has no case yet)."""
    code = session.scalar(
        select(CaseType.code)
        .where(CaseType.active.is_(True), CaseType.web_intake.is_(True))
        .order_by(CaseType.id)
    )
    listed = session.scalar(
        select(Case.number)
        .where(Case.state != "received", Case.merged_into_id.is_(None), Case.purged_at.is_(None))
        .order_by(Case.id.desc())
        .limit(1)
    )
    return {"code": code, "request_id": listed}


def open311_asks(rule: Rule, values: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(method, path, expected status) for each way the walk asks `rule`."""
    filled = {
        "code": (values["code"], 200),
        "request_id": (values["request_id"] or NO_SUCH_CASE, 200 if values["request_id"] else 404),
        "token": (NO_SUCH_TOKEN, 404),
    }
    asks = []
    for fmt in FORMATS:
        path, expect = rule.rule.replace("<fmt>", fmt), 200
        for name in set(rule.arguments) - {"fmt"}:
            value, expect = filled[name]
            path = path.replace(f"<{name}>", str(value))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            asks.append((method, path, WITHOUT_KEY if method == "POST" else expect))
    return asks
