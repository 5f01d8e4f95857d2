"""The lookup session: after a lookup (or a one-time link), the citizen's browser may open that one case for a while.

Kept in Flask's signed session cookie (HttpOnly, SameSite=Lax, signed with `SECRET_KEY`):
the case's id, a random session id, when it began and when it was last used. It needs no
table and no write per page, works on every worker and machine, and ends by itself: after
`IDLE_MINUTES` without a page of the case, and `LONGEST_HOURS` after it began however
active. A cookie alone cannot be recalled, so "leave" also records the session id as ended
on the rate-limit counters (Redis when `REDIS_URL` is set) for the session's longest life:
a copy of the cookie taken before leaving opens nothing afterwards.

Only the case's id travels in the cookie, never its number, password or a citizen's detail
(Flask's cookie is signed, not encrypted). A staff member's sign-in clears the cookie, and
with it any lookup session of the same browser.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from flask import current_app, session
from sqlalchemy.orm import Session

from feedback.cases.models import Case
from portal.ratelimits import limiter_of

SESSION_KEY = "case_lookup"
IDLE_MINUTES = 30
LONGEST_HOURS = 3


@dataclass(frozen=True)
class LookupSession:
    """What the cookie holds: which case, which session, when it began and was last used (Unix seconds)."""

    case_id: int
    session_id: str
    started: float
    seen: float


def read_state(value: Any) -> LookupSession | None:
    """The lookup session a cookie's value describes, or None when it is not one."""
    if not isinstance(value, dict):
        return None
    case_id, session_id, started, seen = (value.get(key) for key in ("case", "id", "started", "seen"))
    if not isinstance(case_id, int) or not isinstance(session_id, str):
        return None
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        return None
    return LookupSession(case_id, session_id, float(started), float(seen))


def is_current(state: LookupSession, now: float) -> bool:
    """Whether a lookup session is still open at `now`: used recently enough, and not begun too long ago."""
    # Machines' clocks may differ by a little: a `seen` slightly ahead of `now` is no reason to end it.
    return now < state.seen + IDLE_MINUTES * 60 and now < state.started + LONGEST_HOURS * 3600


def _ended_key(session_id: str) -> str:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return f"{prefix}case-lookup-ended:{session_id}"


def _was_ended(session_id: str) -> bool:
    count, _ends = limiter_of(current_app).storage.hit(_ended_key(session_id), LONGEST_HOURS * 3600, 0)
    return count > 0


def open_lookup_session(case: Case) -> None:
    """Let this browser open `case` without its password for a while (a new session id each time)."""
    now = time.time()
    session[SESSION_KEY] = {"case": case.id, "id": secrets.token_urlsafe(16), "started": now, "seen": now}


def lookup_case(db_session: Session) -> Case | None:
    """The case this browser's lookup session opens, or None (and the session forgotten) when it has ended."""
    state = read_state(session.get(SESSION_KEY))
    if state is None:
        session.pop(SESSION_KEY, None)
        return None
    now = time.time()
    if not is_current(state, now) or _was_ended(state.session_id):
        session.pop(SESSION_KEY, None)
        return None
    case = db_session.get(Case, state.case_id)
    if case is None:
        session.pop(SESSION_KEY, None)
        return None
    if now - state.seen > 60:  # a new cookie at most once a minute, not on every page
        session[SESSION_KEY] = {**session[SESSION_KEY], "seen": now}
    return case


def had_lookup_session() -> bool:
    """Whether this browser's cookie names a lookup session at all (ended or not)."""
    return read_state(session.get(SESSION_KEY)) is not None


def end_lookup_session() -> None:
    """End this browser's lookup session, so that no copy of its cookie opens the case again."""
    state = read_state(session.pop(SESSION_KEY, None))
    if state is not None:
        limiter_of(current_app).storage.hit(_ended_key(state.session_id), LONGEST_HOURS * 3600)
