"""Known devices: a browser an account signed in with carries a signed cookie saying so.

The cookie names the account, a random device id and when the account's password was
last set, signed with `SECRET_KEY`. It proves only that this browser completed a login
for that account since its password last changed; a password change or reset makes
every such cookie stale. Login throttling (`portal.auth.throttle`) counts a known
device's failures on their own, so a stranger guessing at a user name from elsewhere
cannot keep the owner's own browser waiting.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from portal.auth.models import Staff

COOKIE_NAME = "staff_device"
_SALT = "staff-known-device"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt=_SALT)


def _password_stamp(staff: Staff) -> int:
    return int(staff.password_changed_at.timestamp())


def _payload() -> dict[str, Any] | None:
    raw = request.cookies.get(COOKIE_NAME)
    if not raw or len(raw) > 400:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, dict) else None


def known_device(staff: Staff | None) -> str | None:
    """The id of this browser if `staff` signed in with it since the password was last set."""
    payload = _payload()
    if staff is None or payload is None:
        return None
    if payload.get("staff") != staff.id or payload.get("since") != _password_stamp(staff):
        return None
    device = payload.get("device")
    return device if isinstance(device, str) and device else None


def remember(response: Response, staff: Staff) -> None:
    """Mark this browser as a known device of `staff` (after a successful login)."""
    device = known_device(staff) or secrets.token_urlsafe(16)
    value = _serializer().dumps({"staff": staff.id, "device": device, "since": _password_stamp(staff)})
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=int(current_app.config["LOGIN_DEVICE_DAYS"]) * 86400,
        path="/",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        httponly=True,
        samesite="Lax",
    )
