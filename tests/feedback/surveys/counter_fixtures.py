"""Fixtures of the counter-survey tests: test counters, fresh rate-limit counters, limits a test may lower."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from feedback.surveys.counter_limits import AnswerLimits, limits_from
from feedback.surveys.models import Counter, CounterResponse
from portal.db import db
from portal.offices.models import Office
from portal.ratelimit_storage import MemoryCounters

# Limits no test reaches unless it lowers one (every test client answers from 127.0.0.1).
HIGH = "100000 per minute"


@dataclass(frozen=True)
class Counters:
    """The counters a test answers at (codes unlike the demo's, so demo answers never mix in)."""

    kl: Counter  # KL/T1, active
    kl_other: Counter  # KL/T2, active
    closed: Counter  # KL/T9, not in use
    xz: Counter  # XZ/T1, active


def office(code: str) -> Office:
    found = db.session.scalar(select(Office).where(Office.code == code))
    assert found is not None
    return found


def make_counter(office_code: str, code: str, *, active: bool = True) -> Counter:
    counter = Counter(
        office_id=office(office_code).id, code=code, name_zh=f"測試櫃台{code}", name_en=f"Test counter {code}"
    )
    counter.active = active
    db.session.add(counter)
    db.session.commit()
    return counter


@pytest.fixture
def limits_config(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Fresh counter keys for the test, limits out of reach; call it to set some (settings' names without the prefix)."""
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"counter-test-{uuid.uuid4().hex}")
    for name in ("KIOSK_LIMIT", "ADDRESS_LIMIT", "COUNTER_LIMITS"):
        monkeypatch.setitem(app.config, f"COUNTER_SURVEY_{name}", HIGH)
    monkeypatch.setitem(app.config, "COUNTER_SURVEY_BURST", "8 per 5 minutes")

    def choose(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setitem(app.config, f"COUNTER_SURVEY_{name.upper()}", value)

    return choose


@pytest.fixture
def counters(app_context: None, limits_config: Callable[..., None]) -> Counters:
    return Counters(
        kl=make_counter("KL", "T1"),
        kl_other=make_counter("KL", "T2"),
        closed=make_counter("KL", "T9", active=False),
        xz=make_counter("XZ", "T1"),
    )


def answers_at(counter: Counter) -> list[CounterResponse]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(CounterResponse)
            .where(CounterResponse.counter_id == counter.id)
            .order_by(CounterResponse.id)
        )
    )


def count_at(counter: Counter) -> int:
    return (
        db.session.scalar(
            select(func.count(CounterResponse.id)).where(CounterResponse.counter_id == counter.id)
        )
        or 0
    )


def quiet_limits(**extra: Any) -> AnswerLimits:
    """Limits on a store of the test's own, out of reach unless `extra` sets some."""
    base = limits_from(
        dict.fromkeys(
            ("COUNTER_SURVEY_KIOSK_LIMIT", "COUNTER_SURVEY_ADDRESS_LIMIT", "COUNTER_SURVEY_COUNTER_LIMITS"),
            HIGH,
        ),
        MemoryCounters(),
    )
    return AnswerLimits(**{**base.__dict__, **extra})
