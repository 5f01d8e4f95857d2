"""Where rate-limit counters live: the worker's memory, or Redis when `REDIS_URL` is set.

Both count fixed windows and answer a hit in one step with the count and the moment
the window ends, which is all the limiter and its RateLimit header fields need: one
lock in memory, one round trip to Redis (a short Lua script), where the `limits`
package's storages took three round trips and, in memory, started a timer thread after
nearly every request to expire old counters (in a sync worker that thread start, and the
interpreter lock passing to and fro with it, cost more than the rest of the limiter).

In memory, counters expire lazily: one past its window reads as new, and every
`SWEEP_SECONDS` the next hit drops the expired ones, so memory stays bounded by the
addresses seen in one window. Keys are those Flask-Limiter used (and, in Redis, under
the same `LIMITS:` prefix), so counters carry over.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

SWEEP_SECONDS = 10.0
MEMORY_SCHEMES = ("process-memory://", "memory://")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
REDIS_PREFIX = "LIMITS:"
# Adds to a key's count, starting its window (expiry) when the key is new; returns the
# count and the milliseconds left in the window.
_REDIS_HIT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}
"""


class Counters(Protocol):
    """A store of fixed-window counters."""

    def hit(self, key: str, window_seconds: int, amount: int = 1) -> tuple[int, float]:
        """Add `amount` to `key`'s window; returns the count now and when the window ends (Unix time)."""
        ...

    def clear(self, key: str) -> None:
        """Forget `key`'s counter."""
        ...


class MemoryCounters:
    """Counters in a dictionary, key -> [count, moment the window ends]; safe across threads."""

    def __init__(self) -> None:
        self._counters: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = time.time() + SWEEP_SECONDS

    def _sweep(self, now: float) -> None:
        # Called with the lock held.
        self._next_sweep = now + SWEEP_SECONDS
        expired = [key for key, (_count, ends) in self._counters.items() if ends <= now]
        for key in expired:
            del self._counters[key]

    def hit(self, key: str, window_seconds: int, amount: int = 1) -> tuple[int, float]:
        """Add `amount` to `key`'s window, opening a window when none is open."""
        now = time.time()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            counter = self._counters.get(key)
            if counter is None or counter[1] <= now:
                counter = [0, now + window_seconds]
                self._counters[key] = counter
            counter[0] += amount
            return int(counter[0]), counter[1]

    def clear(self, key: str) -> None:
        """Forget `key`'s counter."""
        with self._lock:
            self._counters.pop(key, None)

    def reset(self) -> int:
        """Forget every counter; returns how many there were."""
        with self._lock:
            count = len(self._counters)
            self._counters.clear()
        return count

    def __len__(self) -> int:
        return len(self._counters)


class RedisCounters:
    """Counters in Redis, shared by every worker and machine; one round trip a hit."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._script = self._redis.register_script(_REDIS_HIT)

    def hit(self, key: str, window_seconds: int, amount: int = 1) -> tuple[int, float]:
        """Add `amount` to `key`'s window in Redis, opening a window when none is open."""
        count, left_ms = self._script(keys=[REDIS_PREFIX + key], args=[int(window_seconds * 1000), amount])
        return int(count), time.time() + int(left_ms) / 1000

    def clear(self, key: str) -> None:
        """Forget `key`'s counter."""
        self._redis.delete(REDIS_PREFIX + key)


def counters_for(uri: str) -> MemoryCounters | RedisCounters:
    """The counters `uri` names (`RATELIMIT_STORAGE_URI`): `process-memory://` or a Redis URL."""
    if uri.startswith(MEMORY_SCHEMES):
        return MemoryCounters()
    if uri.startswith(REDIS_SCHEMES):
        return RedisCounters(uri)
    raise ValueError(f"RATELIMIT_STORAGE_URI: no rate-limit storage for {uri.split(':', 1)[0]!r}")
