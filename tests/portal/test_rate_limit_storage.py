"""Rate limits are shared through Redis when REDIS_URL is set, and kept in memory otherwise."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
import redis
from flask import Flask
from limits.storage import MemoryStorage, RedisStorage

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def test_memory_without_redis(make_app: Callable[..., Flask]) -> None:
    application = make_app(REDIS_URL=None)
    assert isinstance(application.extensions["portal.limiter"].storage, MemoryStorage)


def test_counters_are_shared_between_workers_through_redis(make_app: Callable[..., Flask]) -> None:
    if not redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is not reachable")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable")
    # Two applications stand for two gunicorn workers (or two machines) behind one proxy.
    shared = {
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_DEFAULT": "4 per minute",
        "RATELIMIT_KEY_PREFIX": f"shared-{os.getpid()}-{id(make_app)}",
    }
    first = make_app(**shared)
    second = make_app(**shared)
    assert isinstance(first.extensions["portal.limiter"].storage, RedisStorage)
    statuses = [
        app.test_client().get("/sitemap").status_code for app in (first, second, first, second, first)
    ]
    assert statuses == [200, 200, 200, 200, 429]
