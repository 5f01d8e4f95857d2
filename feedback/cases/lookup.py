"""Looking a case up by its number and password, with limits that lock out guessing.

Failures are counted per case number (as issued, or as typed when it cannot be one) and
per address, in fixed windows on the site's rate-limit counters (shared by every worker
with Redis). Past either limit, lookups are refused until the window ends, even with the
right password, so a guesser learns nothing from the last try. Every refusal reads the
same whether the number exists or not: an unknown number is verified against a dummy
hash (the same work), counted and locked exactly like a known one.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.models import Case
from feedback.cases.numbers import normalise_case_number
from feedback.cases.passwords import verify_case_password
from portal.ratelimit_storage import Counters


class Outcome(StrEnum):
    """What a lookup came to."""

    FOUND = "found"
    REFUSED = "refused"  # wrong password, or no such number: never told apart
    LOCKED = "locked"


@dataclass(frozen=True)
class LookupLimits:
    """How many failed lookups a window allows, per case number and per address."""

    per_number: int = 5
    per_address: int = 30
    window_seconds: int = 900


@dataclass(frozen=True)
class LookupAnswer:
    """The outcome, the case when found, and how long to wait when locked."""

    outcome: Outcome
    case: Case | None = None
    retry_after: int = 0


def number_key(typed: str) -> str:
    """What failures on a typed number are counted under: the number as issued, else a digest of the text."""
    issued = normalise_case_number(typed)
    if issued is not None:
        return issued
    return "typed-" + hashlib.sha256(typed.strip().encode()).hexdigest()[:24]


class LookupGuard:
    """The failure counters of case lookups."""

    def __init__(self, counters: Counters, limits: LookupLimits, prefix: str = "") -> None:
        self.counters = counters
        self.limits = limits
        self.prefix = prefix

    def _keys(self, address: str, number: str) -> tuple[str, str]:
        return f"{self.prefix}case-lookup:number:{number}", f"{self.prefix}case-lookup:address:{address}"

    def retry_after(self, address: str, number: str) -> int:
        """Seconds until lookups of `number` from `address` are allowed again (0: allowed now)."""
        by_number, by_address = self._keys(address, number)
        window = self.limits.window_seconds
        now = time.time()
        waits = []
        for key, limit in ((by_number, self.limits.per_number), (by_address, self.limits.per_address)):
            count, ends = self.counters.hit(key, window, 0)
            if count >= limit:
                waits.append(max(1, int(ends - now + 0.999)))
        return max(waits, default=0)

    def failed(self, address: str, number: str) -> None:
        """Count one failed lookup of `number` from `address`."""
        for key in self._keys(address, number):
            self.counters.hit(key, self.limits.window_seconds)

    def succeeded(self, number: str) -> None:
        """Forget the failures on a number once its password was given."""
        self.counters.clear(self._keys("", number)[0])


def look_up(
    session: Session,
    guard: LookupGuard,
    password_key: str,
    address: str,
    typed_number: str,
    typed_password: str,
) -> LookupAnswer:
    """The case a number and password open, unless locked out; counts the failure otherwise."""
    key = number_key(typed_number)
    wait = guard.retry_after(address, key)
    if wait:
        return LookupAnswer(Outcome.LOCKED, retry_after=wait)
    case = session.scalar(select(Case).where(Case.number == key)) if not key.startswith("typed-") else None
    if verify_case_password(password_key, case.password_hash if case else None, typed_password) and case:
        guard.succeeded(key)
        return LookupAnswer(Outcome.FOUND, case)
    guard.failed(address, key)
    wait = guard.retry_after(address, key)
    return LookupAnswer(Outcome.LOCKED, retry_after=wait) if wait else LookupAnswer(Outcome.REFUSED)
