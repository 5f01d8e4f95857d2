"""How often the counter survey may be answered: per device and per counter (pure but for the counters).

Answers are counted in the site's fixed-window rate-limit counters
(`portal.ratelimit_storage`: the worker's memory, or Redis shared by every worker), never
in the answer's row, so nothing links an answer to a device.

- A device's cool-down: a kiosk set up by staff is named by its signed cookie and may
  give `KIOSK_DEVICE` answers (one per 10 seconds: one visitor at a time); any other
  device is named by its client address, which visitors on the office's Wi-Fi or one
  mobile network may share, so it gets `ADDRESS_DEVICE` (two a minute).
- A counter's limits: `COUNTER_LIMITS` (6 a minute, 60 an hour), far above what one
  counter serves; beyond them answers are refused, so a stuffer cannot bury the real
  ones.

Each may be changed by a setting holding a rate-limit string (`"1 per 10 seconds"`,
`"6 per minute;60 per hour"`): `COUNTER_SURVEY_KIOSK_LIMIT`, `COUNTER_SURVEY_ADDRESS_LIMIT`,
`COUNTER_SURVEY_COUNTER_LIMITS`, and `COUNTER_SURVEY_BURST` (`"8 per 5 minutes"`: more
than 8 answers in 5 minutes is a burst, see `counter_bursts`), registered in
`portal/config.py`; `check_settings` refuses a malformed one when the site starts.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from limits import parse_many

from feedback.surveys.counter_bursts import BURST_ANSWERS, BURST_MINUTES, BurstRule
from portal.ratelimit_storage import Counters


@dataclass(frozen=True)
class Window:
    """At most `answers` answers in a fixed window of `seconds`."""

    answers: int
    seconds: int

    def __post_init__(self) -> None:
        if self.answers < 1 or self.seconds < 1:
            raise ValueError("a window needs at least one answer and one second")


KIOSK_DEVICE = Window(1, 10)
ADDRESS_DEVICE = Window(2, 60)
COUNTER_LIMITS = (Window(6, 60), Window(60, 3600))


@dataclass(frozen=True)
class Device:
    """Who answers, for the cool-down: a set-up kiosk (its id) or a client address."""

    kind: str  # "kiosk" or "address"
    ident: str

    @classmethod
    def kiosk(cls, device_id: str) -> Device:
        """A kiosk named by its cookie's device id."""
        return cls("kiosk", device_id)

    @classmethod
    def address(cls, address: str) -> Device:
        """A phone or browser named by its client address."""
        return cls("address", address)

    @property
    def digest(self) -> str:
        """A short fixed-length name for counter keys (no address kept in clear)."""
        return hashlib.sha256(f"{self.kind}:{self.ident}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class AnswerLimits:
    """The counters to count in and the limits to hold answers to."""

    store: Counters
    prefix: str = ""
    kiosk_device: Window = KIOSK_DEVICE
    address_device: Window = ADDRESS_DEVICE
    counter: tuple[Window, ...] = COUNTER_LIMITS
    burst: BurstRule = field(default_factory=BurstRule)

    def device_window(self, device: Device) -> Window:
        """The cool-down `device` gets."""
        return self.kiosk_device if device.kind == "kiosk" else self.address_device

    def key(self, *parts: object) -> str:
        """A counter key of the counter survey, under the site's rate-limit prefix."""
        return "/".join(str(part) for part in (self.prefix, "counter-survey", *parts) if part != "")


@dataclass(frozen=True)
class Refusal:
    """A count over its limit: which one, and the seconds until it may be tried again."""

    scope: str  # "device" or "counter"
    retry_after: int


def _hit(store: Counters, key: str, window: Window, now: float) -> int | None:
    """Count one answer in `key`'s window; the seconds to wait when it is one too many, else None."""
    count, window_end = store.hit(key, window.seconds)
    if count <= window.answers:
        return None
    return max(1, math.ceil(window_end - now))


def count_answer(limits: AnswerLimits, device: Device, counter_id: int) -> Refusal | None:
    """Count one answer of `device` at counter `counter_id`; the refusal when a limit is passed.

    The device is counted first: a device told to wait does not use up its counter's
    limits, so one person's tapping cannot lock the counter for the next visitors.
    """
    now = time.time()
    device_window = limits.device_window(device)
    wait = _hit(limits.store, limits.key("device", device.kind, device.digest), device_window, now)
    if wait is not None:
        return Refusal("device", wait)
    for window in limits.counter:
        wait = _hit(limits.store, limits.key("counter", counter_id, window.seconds), window, now)
        if wait is not None:
            return Refusal("counter", wait)
    return None


def parse_windows(text: str) -> tuple[Window, ...]:
    """A rate-limit string (`"6 per minute;60 per hour"`) as windows; ValueError when it is not one."""
    items = parse_many(text)
    if not items:
        raise ValueError(f"no limit in {text!r}")
    return tuple(Window(item.amount, int(item.get_expiry())) for item in items)


def _one(text: str) -> Window:
    windows = parse_windows(text)
    if len(windows) != 1:
        raise ValueError(f"one limit expected in {text!r}")
    return windows[0]


def _burst(text: str) -> BurstRule:
    window = _one(text)
    if window.seconds % 60:
        raise ValueError(f"a burst is measured in whole minutes: {text!r}")
    return BurstRule(window.answers, window.seconds // 60)


_SETTINGS = {
    "COUNTER_SURVEY_KIOSK_LIMIT": _one,
    "COUNTER_SURVEY_ADDRESS_LIMIT": _one,
    "COUNTER_SURVEY_COUNTER_LIMITS": parse_windows,
    "COUNTER_SURVEY_BURST": _burst,
}


def check_settings(config: Mapping[str, Any]) -> None:
    """Refuse a malformed limit setting when the site starts, naming it, rather than at the first answer."""
    for name, parse in _SETTINGS.items():
        value = config.get(name)
        if not value:
            continue
        try:
            parse(str(value))
        except ValueError as problem:
            raise ValueError(f"{name}={value!r} is not a limit: {problem}") from None


def limits_from(config: Mapping[str, Any], store: Counters) -> AnswerLimits:
    """The limits the settings name (each optional), counting in `store` under the site's prefix."""
    return AnswerLimits(
        store=store,
        prefix=str(config.get("RATELIMIT_KEY_PREFIX") or ""),
        kiosk_device=_one(config.get("COUNTER_SURVEY_KIOSK_LIMIT") or "1 per 10 seconds"),
        address_device=_one(config.get("COUNTER_SURVEY_ADDRESS_LIMIT") or "2 per minute"),
        counter=parse_windows(config.get("COUNTER_SURVEY_COUNTER_LIMITS") or "6 per minute;60 per hour"),
        burst=_burst(config.get("COUNTER_SURVEY_BURST") or f"{BURST_ANSWERS} per {BURST_MINUTES} minutes"),
    )
