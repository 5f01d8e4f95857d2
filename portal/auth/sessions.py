"""Signing in and out, and finding the signed-in staff member of each request.

A successful login creates a `StaffSession` row and puts a random token in the
signed session cookie; the database keeps only the token's hash. Each request looks
the token up and ends the session when it has been idle longer than
`SESSION_IDLE_MINUTES` or open longer than `SESSION_MAX_HOURS`. Failed logins are
counted per account; `LOGIN_MAX_FAILURES` in a row lock it for `LOGIN_LOCK_MINUTES`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from flask import current_app, flash, g, request, session
from sqlalchemy import delete, select

from portal import audit
from portal.auth.models import Staff, StaffSession
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.db import db, utcnow
from portal.http import is_program_path
from portal.i18n import _
from portal.mail import send_mail

_SESSION_KEY = "staff_token"
# Writing last_seen_at on every request would make every page view a write.
_TOUCH_INTERVAL = timedelta(seconds=60)


class LoginOutcome(Enum):
    """Why a login attempt ended as it did."""

    SUCCESS = "success"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt and, on success, the staff member."""

    outcome: LoginOutcome
    staff: Staff | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def normalise_username(username: str) -> str:
    """User names are compared case-insensitively and without surrounding spaces."""
    return username.strip().lower()


def attempt_login(username: str, password: str) -> LoginResult:
    """Check credentials, count failures, lock after too many, and start a session."""
    session_db = db.session
    now = utcnow()
    staff = session_db.scalar(select(Staff).where(Staff.username == normalise_username(username)))
    if staff is not None and staff.is_locked(now):
        verify_password(None, password)
        audit.record(
            session_db, "login_refused_locked", "staff", staff.id, actor=audit.Actor(staff.username, staff.id)
        )
        session_db.commit()
        return LoginResult(LoginOutcome.LOCKED)
    if staff is None or not verify_password(staff.password_hash, password):
        if staff is not None:
            _count_failure(staff, now)
        audit.record(
            session_db,
            "login_failed",
            "staff",
            staff.id if staff else None,
            after={"username": normalise_username(username)[:64]},
            actor=audit.Actor("anonymous"),
        )
        session_db.commit()
        if staff is not None and staff.is_locked(now):
            return LoginResult(LoginOutcome.LOCKED)
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    if not staff.active:
        audit.record(
            session_db,
            "login_refused_disabled",
            "staff",
            staff.id,
            actor=audit.Actor(staff.username, staff.id),
        )
        session_db.commit()
        return LoginResult(LoginOutcome.DISABLED)
    staff.failed_logins = 0
    staff.locked_until = None
    staff.last_login_at = now
    if needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    _start_session(staff)
    audit.record(session_db, "login", "staff", staff.id, actor=audit.Actor(staff.username, staff.id))
    session_db.commit()
    return LoginResult(LoginOutcome.SUCCESS, staff)


def _count_failure(staff: Staff, now: datetime) -> None:
    config = current_app.config
    staff.failed_logins += 1
    if staff.failed_logins >= config["LOGIN_MAX_FAILURES"]:
        staff.locked_until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
        staff.failed_logins = 0
        _tell_owner_about_lock(staff)
        audit.record(
            db.session,
            "account_locked",
            "staff",
            staff.id,
            after={"locked_until": staff.locked_until},
            actor=audit.Actor("system"),
        )


def _tell_owner_about_lock(staff: Staff) -> None:
    """Mail the account's owner, who may not be the one typing wrong passwords."""
    if not staff.email:
        return
    minutes = current_app.config["LOGIN_LOCK_MINUTES"]
    body = _(
        "%(name)s 您好：\n\n您的員工帳號 %(username)s 因連續登入失敗，已暫時鎖定 %(minutes)d 分鐘。"
        "如果不是您本人嘗試登入，請立即通知系統管理員。",
        name=staff.display_name,
        username=staff.username,
        minutes=minutes,
    )
    send_mail(staff.email, _("員工帳號已暫時鎖定"), body)


def _start_session(staff: Staff) -> None:
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
    return result.rowcount or 0
