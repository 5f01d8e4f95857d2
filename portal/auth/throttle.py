"""Slowing password guesses down without letting a stranger lock anyone out.

Failed password checks (at login, and of the current password when changing it) are
counted under keys: the user name as typed, the client's address, and, when the browser
shows a device cookie the named account once signed in with, that device instead of the
other two. Each key gets `LOGIN_FREE_FAILURES` (address: `LOGIN_ADDRESS_FREE_FAILURES`)
failures free; after that every failure makes the key wait, doubling from
`LOGIN_FIRST_DELAY_SECONDS` up to `LOGIN_LONGEST_DELAY_MINUTES`, and a key that has not
failed for `LOGIN_FORGET_HOURS` starts again. While any key of an attempt waits, the
attempt is refused before its password is checked.

The user name is counted as typed, whether an account has it or not, so unknown and real
names behave alike. A stranger can keep a name waiting on browsers it never signed in
from; the owner's own browser (the device key) is unaffected and the owner can always
sign in there, and an administrator can clear a name's wait. docs/security.md explains
the design, the attacks it stops and the one it accepts.

Keys are stored as keyed hashes (HMAC with `SECRET_KEY`): the table holds no user name
typed by a stranger and no address.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, Integer, String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, db


class LoginThrottle(Base):
    """The failed password checks of one key (a user name, an address or a device)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime]
    wait_until: Mapped[datetime | None]


@dataclass(frozen=True)
class Schedule:
    """How many failures are free, and how the wait grows after them."""

    free: int
    first_delay: float  # seconds
    longest_delay: float  # seconds

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after the `failures`-th failure in a row: 0 while free, then doubling."""
        if failures < self.free:
            return 0.0
        steps = failures - self.free
        if steps > 60:  # 2**60 seconds is past any longest delay
            return self.longest_delay
        return min(self.longest_delay, self.first_delay * 2**steps)


@dataclass(frozen=True)
class Key:
    """One counted key: its stored name and its schedule."""

    name: str
    schedule: Schedule


def _digest(kind: str, value: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    mac = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:48]
    return f"{kind}:{mac}"


def _schedule(free_setting: str) -> Schedule:
    config = current_app.config
    return Schedule(
        free=int(config[free_setting]),
        first_delay=float(config["LOGIN_FIRST_DELAY_SECONDS"]),
        longest_delay=float(config["LOGIN_LONGEST_DELAY_MINUTES"]) * 60,
    )


def name_key(username: str) -> Key:
    """The key of a user name as typed (normalised), whether or not an account has it."""
    return Key(_digest("name", username), _schedule("LOGIN_FREE_FAILURES"))


def address_key(address: str | None) -> Key:
    """The key of a client address."""
    return Key(_digest("address", address or "unknown"), _schedule("LOGIN_ADDRESS_FREE_FAILURES"))


def device_key(device_id: str) -> Key:
    """The key of a known device (a browser the account signed in with before)."""
    return Key(_digest("device", device_id), _schedule("LOGIN_FREE_FAILURES"))


def _forgotten_before(now: datetime) -> datetime:
    return now - timedelta(hours=float(current_app.config["LOGIN_FORGET_HOURS"]))


def seconds_to_wait(keys: list[Key], now: datetime) -> int:
    """Whole seconds until every key may try again (0: the attempt may go ahead)."""
    names = [key.name for key in keys]
    rows = db.session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(names))).all()
    waits = [(row.wait_until - now).total_seconds() for row in rows if row.wait_until is not None]
    longest = max(waits, default=0.0)
    return math.ceil(longest) if longest > 0 else 0


def record_failure(keys: list[Key], now: datetime) -> int:
    """Count one failure under each key; returns the most failures in a row any key now has."""
    most = 0
    forget = _forgotten_before(now)
    for key in keys:
        row = db.session.get(LoginThrottle, key.name)
        if row is None:
            row = _insert(key.name, now)
        if row.last_failure_at < forget:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        delay = key.schedule.delay_after(row.failures)
        row.wait_until = now + timedelta(seconds=delay) if delay else None
        most = max(most, row.failures)
    db.session.flush()
    return most


def _insert(name: str, now: datetime) -> LoginThrottle:
    """A new row for `name`, or the one another process inserted at the same moment."""
    row = LoginThrottle(key=name, failures=0, last_failure_at=now, wait_until=None)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        existing = db.session.get(LoginThrottle, name, populate_existing=True)
        assert existing is not None
        return existing
    return row


def clear(keys: list[Key]) -> None:
    """Forget the failures of `keys` (after a success, or when an administrator clears a name)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_([key.name for key in keys])))


def waiting_until(keys: list[Key], now: datetime) -> dict[str, datetime]:
    """When each of `keys` that is waiting at `now` may try again, by key name (one query)."""
    rows = db.session.scalars(
        select(LoginThrottle).where(
            LoginThrottle.key.in_([key.name for key in keys]), LoginThrottle.wait_until > now
        )
    )
    return {row.key: row.wait_until for row in rows if row.wait_until is not None}


def purge(now: datetime) -> int:
    """Delete keys that are not waiting and have not failed for `LOGIN_FORGET_HOURS`."""
    result = db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < _forgotten_before(now),
            (LoginThrottle.wait_until.is_(None)) | (LoginThrottle.wait_until < now),
        )
    )
    return cast("CursorResult[Any]", result).rowcount or 0
