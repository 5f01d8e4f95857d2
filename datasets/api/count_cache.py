"""The exact totals of row queries, kept per release and query.

Releases never change once published, so a total, once counted, stays true: it is kept
in Redis when `REDIS_URL` is set (shared by every worker) and otherwise in a bounded
dictionary in the worker's memory.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from datasets.api.lru import LruMap

_KEY = "datasets.count_cache"
MEMORY_ENTRIES = 20_000
REDIS_TTL_SECONDS = 7 * 24 * 3600


class MemoryCounts(LruMap[str, int]):
    """A least-recently-used map of totals, safe across threads."""

    def __init__(self, size: int = MEMORY_ENTRIES) -> None:
        super().__init__(size)


class RedisCounts:
    """Totals in Redis, with an expiry so that old releases' entries fade."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)

    def get(self, key: str) -> int | None:
        value = self._redis.get("rows-count:" + key)
        return int(value) if value is not None else None

    def put(self, key: str, value: int) -> None:
        self._redis.set("rows-count:" + key, value, ex=REDIS_TTL_SECONDS)


def init_app(app: Flask) -> None:
    """Choose where totals are kept."""
    url = app.config.get("REDIS_URL")
    app.extensions[_KEY] = RedisCounts(url) if url else MemoryCounts()


def kept_total(app: Flask, release_key: str, count_key: str) -> int | None:
    """The total for `count_key` on a release if it was counted already, else None (no counting)."""
    return app.extensions[_KEY].get(f"{release_key}:{count_key}")


def cached_total(release_key: str, count_key: str, counter: Callable[[], int]) -> int:
    """The total for `count_key` on a release (`ReleaseTable.cache_key`), counted by `counter` the first time only."""
    store = current_app.extensions[_KEY]
    key = f"{release_key}:{count_key}"
    total = store.get(key)
    if total is None:
        total = counter()
        store.put(key, total)
    return total
