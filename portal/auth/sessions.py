"""Signing in and out, and finding the signed-in staff member of each request.

A successful login creates a `StaffSession` row and puts a random token in the
signed session cookie; the database keeps only the token's hash. Each request looks
the token up and ends the session when it has been idle longer than
`SESSION_IDLE_MINUTES` or open longer than `SESSION_MAX_HOURS`. The password check before a login is in `portal.auth.login`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, cast

from flask import current_app, flash, g, request, session
from sqlalchemy import CursorResult, delete, select

from portal import audit
from portal.auth.models import Staff, StaffSession
from portal.db import db, utcnow
from portal.http import is_program_path
from portal.i18n import _

_SESSION_KEY = "staff_token"
# Writing last_seen_at on every request would make every page view a write.
_TOUCH_INTERVAL = timedelta(seconds=60)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def start_session(staff: Staff) -> None:
    """Sign `staff` in on this browser: a new session row and a new token in the cookie."""
    token = secrets.token_urlsafe(32)
    session.clear()  # a new session identity on login defeats session fixation
    session[_SESSION_KEY] = token
    session.permanent = True
    db.session.add(
        StaffSession(
            token_hash=_token_hash(token),
            staff_id=staff.id,
            ip_address=request.remote_addr,
            user_agent=(request.user_agent.string or "")[:255],
        )
    )


def _session_expired(row: StaffSession) -> bool:
    config = current_app.config
    now = utcnow()
    idle = now - row.last_seen_at > timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    too_old = now - row.created_at > timedelta(hours=config["SESSION_MAX_HOURS"])
    return idle or too_old


def load_signed_in_staff() -> None:
    """Put the signed-in, active staff member of this request in `g.staff` (or None).

    A session that has ended leaves a message explaining why the visitor must sign in again.
    """
    g.staff = None
    # Programs never sign in with a cookie (the API takes keys); not reading the session
    # also keeps `Vary: Cookie` off their cacheable answers.
    if request.endpoint == "static" or is_program_path(request.path):
        return
    token = session.get(_SESSION_KEY)
    if not token:
        return
    session_db = db.session
    row = session_db.scalar(select(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
    if row is None or not row.staff.active or _session_expired(row):
        if row is not None:
            session_db.delete(row)
            session_db.commit()
        session.pop(_SESSION_KEY, None)
        flash(_("您的登入已逾時或已在其他地方結束，請重新登入。"), "notice")
        return
    now = utcnow()
    if now - row.last_seen_at > _TOUCH_INTERVAL:
        row.last_seen_at = now
        session_db.commit()
    g.staff = row.staff


def logout() -> None:
    """End the current session, in the database and in the browser."""
    token = session.pop(_SESSION_KEY, None)
    staff = g.get("staff")
    if token:
        db.session.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
    if staff is not None:
        audit.record(db.session, "logout", "staff", staff.id)
    db.session.commit()
    session.clear()
    g.staff = None


def end_all_sessions(staff: Staff) -> None:
    """Sign `staff` out everywhere (after a password change or when disabled)."""
    db.session.execute(delete(StaffSession).where(StaffSession.staff_id == staff.id))


def keep_current_session_only(staff: Staff) -> None:
    """Sign `staff` out of every session except this request's."""
    token = session.get(_SESSION_KEY)
    query = delete(StaffSession).where(StaffSession.staff_id == staff.id)
    if token:
        query = query.where(StaffSession.token_hash != _token_hash(token))
    db.session.execute(query)


def purge_expired_sessions() -> int:
    """Delete sessions past the idle or absolute limit; returns how many."""
    config = current_app.config
    now = utcnow()
    idle_cut = now - timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    age_cut = now - timedelta(hours=config["SESSION_MAX_HOURS"])
    result = db.session.execute(
        delete(StaffSession).where(
            (StaffSession.last_seen_at < idle_cut) | (StaffSession.created_at < age_cut)
        )
    )
    db.session.commit()
    return cast("CursorResult[Any]", result).rowcount or 0
