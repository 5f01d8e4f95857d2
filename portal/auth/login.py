"""Checking a staff member's password: at login, and before a password change.

Every check that may go ahead costs one password hash, whether the user name exists or
not, and every refusal says the same thing: an unknown name, a wrong password and a
disabled account cannot be told apart from outside, by their words or their time. Too
many failures make the user name (and the client's address) wait, with growing delays,
instead of locking the account (`portal.auth.throttle`); the owner's known device
(`portal.auth.devices`) is counted apart and gets through. What happened is in the audit
log, with the real reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from flask import current_app, request
from sqlalchemy import select

from portal import audit
from portal.auth import devices, throttle
from portal.auth.models import Staff
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.sessions import start_session
from portal.db import db, utcnow
from portal.i18n import _
from portal.mail import send_mail


class LoginOutcome(Enum):
    """How a password check ended, as the visitor may learn it."""

    SUCCESS = "success"
    REFUSED = "refused"  # unknown name, wrong password or disabled account: never said which
    THROTTLED = "throttled"  # too many failures: try again after `retry_after` seconds


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a password check and, on success, the staff member."""

    outcome: LoginOutcome
    staff: Staff | None = None
    retry_after: int = 0


def normalise_username(username: str) -> str:
    """User names are compared case-insensitively and without surrounding spaces."""
    return username.strip().lower()


def _keys(name: str, staff: Staff | None) -> list[throttle.Key]:
    device = devices.known_device(staff)
    if device is not None:
        return [throttle.device_key(device)]
    return [throttle.name_key(name), throttle.address_key(request.remote_addr)]


def check_password(username: str, password: str, *, action: str) -> LoginResult:
    """Check `password` for `username` under the throttle; counts and audits a failure.

    `action` names the check in the audit log ("login", "password_change"). Does not
    commit and starts no session.
    """
    now = utcnow()
    name = normalise_username(username)
    staff = db.session.scalar(select(Staff).where(Staff.username == name))
    keys = _keys(name, staff)
    wait = throttle.seconds_to_wait(keys, now)
    if wait:
        _audit(f"{action}_throttled", staff, name)
        return LoginResult(LoginOutcome.THROTTLED, retry_after=wait)
    matches = verify_password(staff.password_hash if staff is not None else None, password)
    if staff is None or not matches or not staff.active:
        failures = throttle.record_failure(keys, now)
        reason = "disabled" if staff is not None and matches else "bad_credentials"
        _audit(f"{action}_failed", staff, name, reason=reason)
        if staff is not None and failures == keys[0].schedule.free:
            _tell_owner(staff)
        return LoginResult(LoginOutcome.REFUSED)
    if len(keys) == 2:  # proven from an unknown device: the name's count starts again
        throttle.clear(keys[:1])
    else:  # a known device clears only its own count, not a stranger's wait on the name
        throttle.clear(keys)
    if needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    return LoginResult(LoginOutcome.SUCCESS, staff)


def _audit(action: str, staff: Staff | None, name: str, *, reason: str | None = None) -> None:
    after = {"username": name[:64]}
    if reason:
        after["reason"] = reason
    audit.record(
        db.session, action, "staff", staff.id if staff else None, after=after, actor=audit.Actor("anonymous")
    )


def _tell_owner(staff: Staff) -> None:
    """Mail the account's owner, who may not be the one typing wrong passwords."""
    if not staff.email:
        return
    body = _(
        "%(name)s 您好：\n\n有人以您的員工帳號 %(username)s 連續輸入錯誤的密碼，"
        "在其他裝置上的登入嘗試因此須稍候才能再試；您曾登入過的裝置仍可照常登入。"
        "如果不是您本人，請通知系統管理員，並考慮變更密碼。",
        name=staff.display_name,
        username=staff.username,
    )
    send_mail(staff.email, _("員工帳號有多次登入失敗"), body)


def refusal_message(result: LoginResult) -> str:
    """What the visitor is told when a password check did not succeed."""
    if result.outcome is LoginOutcome.THROTTLED:
        return _(
            "嘗試次數過多，請於 %(seconds)d 秒後再試。在您曾登入過的裝置上可以照常登入，"
            "也可以請系統管理員協助。",
            seconds=result.retry_after,
        )
    return _("帳號或密碼不正確，或這個帳號目前無法使用。如需協助，請洽系統管理員。")


def attempt_login(username: str, password: str) -> LoginResult:
    """Check credentials under the throttle and, on success, start a session; commits."""
    result = check_password(username, password, action="login")
    if result.outcome is LoginOutcome.SUCCESS and result.staff is not None:
        staff = result.staff
        staff.last_login_at = utcnow()
        start_session(staff)
        audit.record(db.session, "login", "staff", staff.id, actor=audit.Actor(staff.username, staff.id))
    db.session.commit()
    return result


def longest_delay_minutes() -> int:
    """The longest wait, in minutes, for the login page's hint."""
    return int(current_app.config["LOGIN_LONGEST_DELAY_MINUTES"])
