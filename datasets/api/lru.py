"""A least-recently-used map bounded by its entries' total weight, safe across threads.

The API's per-worker caches (exact totals without Redis, built statements, release
tables and lookups, rendered pages) all keep a bounded amount and drop what was used
least recently; this is that map, once. Each entry weighs 1 unless a `weight` function
is given (the page cache weighs a page by its bytes).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def _one(_value: object) -> int:
    return 1


class LruMap(Generic[K, V]):
    """Entries weighing at most `size` in all; reading or writing an entry makes it the most recently used."""

    def __init__(self, size: int, weight: Callable[[V], int] = _one) -> None:
        self.size = size
        self.used = 0  # the entries' total weight
        self._weight = weight
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value kept under `key`, if any."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep `value` under `key`, dropping the least recently used entries beyond `size`."""
        with self._lock:
            previous = self._items.pop(key, None)
            if previous is not None:
                self.used -= self._weight(previous)
            self._items[key] = value
            self.used += self._weight(value)
            while self.used > self.size and self._items:
                _key, dropped = self._items.popitem(last=False)
                self.used -= self._weight(dropped)

    def pop(self, key: K) -> None:
        """Forget `key`, if it is kept."""
        with self._lock:
            previous = self._items.pop(key, None)
            if previous is not None:
                self.used -= self._weight(previous)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def __iter__(self) -> Iterator[K]:
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
