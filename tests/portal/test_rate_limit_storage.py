"""Rate limits are shared through Redis when REDIS_URL is set, and kept in the worker's memory otherwise."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable

import pytest
import redis
from flask import Flask

from portal import ratelimit_storage
from portal.ratelimit_storage import MemoryCounters, RedisCounters, counters_for

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def require_redis() -> None:
    if not redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is not reachable")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable")


def test_memory_without_redis(make_app: Callable[..., Flask]) -> None:
    application = make_app(REDIS_URL=None)
    assert isinstance(application.extensions["portal.limiter"].storage, MemoryCounters)


def test_counters_without_redis_refuse_past_the_limit(make_app: Callable[..., Flask]) -> None:
    application = make_app(REDIS_URL=None, RATELIMIT_DEFAULT="3 per minute")
    client = application.test_client()
    statuses = [client.get("/api/v1/datasets").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_counters_are_shared_between_workers_through_redis(make_app: Callable[..., Flask]) -> None:
    require_redis()
    # Two applications stand for two worker processes (or two machines) behind one proxy.
    shared = {
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_DEFAULT": "4 per minute",
        "RATELIMIT_KEY_PREFIX": f"shared-{os.getpid()}-{id(make_app)}",
    }
    first = make_app(**shared)
    second = make_app(**shared)
    assert isinstance(first.extensions["portal.limiter"].storage, RedisCounters)
    statuses = [
        app.test_client().get("/sitemap").status_code for app in (first, second, first, second, first)
    ]
    assert statuses == [200, 200, 200, 200, 429]


def test_a_redis_window_counts_and_ends() -> None:
    require_redis()
    counters = RedisCounters(REDIS_URL)
    key = f"test-window-{uuid.uuid4().hex}"
    try:
        before = time.time()
        first = counters.hit(key, 60)
        second = counters.hit(key, 60, amount=2)
        assert first[0] == 1
        assert second[0] == 3
        assert before + 58 <= second[1] <= time.time() + 60.5
        counters.clear(key)
        assert counters.hit(key, 1)[0] == 1
        time.sleep(1.2)
        assert counters.hit(key, 1)[0] == 1  # the one-second window ended: a new one starts
    finally:
        counters.clear(key)


def test_a_memory_window_ends_and_counting_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(ratelimit_storage.time, "time", lambda: now[0])
    counters = MemoryCounters()
    assert [counters.hit("a", 60)[0] for _ in range(3)] == [1, 2, 3]
    assert counters.hit("a", 60) == (4, 1060.0)
    now[0] = 1059.9
    assert counters.hit("a", 60) == (5, 1060.0)
    now[0] = 1060.0  # the window is over: the next hit opens a new one
    assert counters.hit("a", 60) == (1, 1120.0)


def test_expired_memory_counters_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(ratelimit_storage.time, "time", lambda: now[0])
    counters = MemoryCounters()
    for address in range(100):
        counters.hit(f"client-{address}", 1)
    counters.hit("long", 3600)
    assert len(counters) == 101
    now[0] += ratelimit_storage.SWEEP_SECONDS
    counters.hit("new", 1)  # the first hit after the sweep interval drops what has expired
    assert len(counters) == 2
    assert counters.hit("long", 3600)[0] == 2


def test_memory_clear_and_reset() -> None:
    counters = MemoryCounters()
    counters.hit("a", 60)
    counters.hit("b", 60, amount=2)
    counters.clear("a")
    assert counters.hit("a", 60)[0] == 1
    assert counters.reset() == 2
    assert counters.hit("b", 60)[0] == 1


def test_storage_names() -> None:
    assert isinstance(counters_for("process-memory://"), MemoryCounters)
    assert isinstance(counters_for("redis://127.0.0.1:6379/0"), RedisCounters)
    with pytest.raises(ValueError, match="RATELIMIT_STORAGE_URI"):
        counters_for("mongodb://somewhere")
