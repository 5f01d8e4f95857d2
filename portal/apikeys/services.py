"""Issuing, checking and revoking API keys.

A key reads `pk_<prefix>_<secret>`: the prefix finds the row, and the SHA-256 of the
whole key must match the stored hash (compared in constant time). Secrets are 256
random bits, so a fast hash is as safe here as a slow one is for passwords. A key acts
only while its owner is active and still holds the permission each scope needs, and not
while it is suspended: a password reset or change suspends every key of the account
until its owner confirms each one, and disabling an account revokes them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.apikeys.models import ApiKey
from portal.auth.models import Staff
from portal.auth.roles import Permission
from portal.db import db, utcnow
from portal.i18n import _l

TOKEN_PREFIX = "pk_"  # noqa: S105 - the public marker of a key, not a secret
# What each scope lets a key do, and the permission its owner needs for it.
SCOPES: dict[str, tuple[object, Permission]] = {
    "datasets:publish": (_l("發布資料集新版本"), Permission.PUBLISH_DATASETS),
    "open311:submit": (_l("以 Open311 代民眾送出案件"), Permission.HANDLE_CASES),
}


# `last_used_at` is a hint for the key's owner; writing it at most this often keeps a
# program that polls from writing to the database on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    """A new key and its secret, which is shown to its owner once."""

    key: ApiKey
    token: str


def issue_key(staff: Staff, name: str, scopes: list[str], expires_at: datetime | None = None) -> IssuedKey:
    """Create a key for `staff` (the caller commits)."""
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"unknown scopes: {unknown}")
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        prefix=prefix,
        secret_hash=_digest(token),
        name=name.strip()[:100],
        staff_id=staff.id,
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    db.session.add(key)
    db.session.flush()
    return IssuedKey(key, token)


def revoke_key(key: ApiKey) -> None:
    """Stop a key from working (the caller commits)."""
    if key.revoked_at is None:
        key.revoked_at = utcnow()


def _live_keys_of(staff: Staff) -> list[ApiKey]:
    now = utcnow()
    query = select(ApiKey).where(ApiKey.staff_id == staff.id, ApiKey.revoked_at.is_(None))
    return [key for key in db.session.scalars(query) if key.expires_at is None or key.expires_at > now]


def suspend_keys_of(staff: Staff) -> list[ApiKey]:
    """Suspend every live key of `staff` that is not suspended yet; returns them (the caller commits)."""
    now = utcnow()
    suspended = [key for key in _live_keys_of(staff) if key.suspended_at is None]
    for key in suspended:
        key.suspended_at = now
    return suspended


def revoke_keys_of(staff: Staff) -> list[ApiKey]:
    """Revoke every live key of `staff`; returns them (the caller commits)."""
    revoked = _live_keys_of(staff)
    for key in revoked:
        revoke_key(key)
    return revoked


def confirm_key(key: ApiKey) -> None:
    """The owner confirms a suspended key: it works again (the caller commits)."""
    key.suspended_at = None


class KeyRefusedError(Exception):
    """A key that may not do what was asked: `status` is 401 (not a valid key) or 403 (lacks the scope)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def authenticate(token: str, scope: str) -> ApiKey:
    """The key `token` names, if it is valid now and may act in `scope`; else KeyRefusedError."""
    parts = token.strip().split("_")
    if len(parts) < 3 or not token.startswith(TOKEN_PREFIX):
        raise KeyRefusedError(401, "malformed")
    prefix = parts[1]
    key = db.session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None or not hmac.compare_digest(key.secret_hash, _digest(token.strip())):
        raise KeyRefusedError(401, "unknown")
    now = utcnow()
    if key.revoked_at is not None:
        raise KeyRefusedError(401, "revoked")
    if key.suspended_at is not None:
        raise KeyRefusedError(401, "suspended")
    if key.expires_at is not None and key.expires_at <= now:
        raise KeyRefusedError(401, "expired")
    if not key.staff.active:
        raise KeyRefusedError(401, "owner inactive")
    if scope not in key.scopes or not key.staff.can(SCOPES[scope][1]):
        raise KeyRefusedError(403, "scope")
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        key.last_used_at = now
    return key
