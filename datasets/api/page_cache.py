"""Rendered pages of rows, kept in each worker's memory within a byte budget.

A release never changes once published, so its answer to one query (filters, sort,
fields, page, language, host) never changes either: the rows API renders a page once
and serves the same bytes until the entry is pushed out by newer ones. Entries are
keyed by the page's ETag, which names the release's contents, so a new release is
never answered from an old one's entry. `API_PAGE_CACHE_MB` sets the budget (0 turns
the cache off).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, current_app

_KEY = "datasets.page_cache"
# A page larger than this share of the budget is not kept: it would push out many others.
LARGEST_SHARE = 8


class PageCache:
    """A least-recently-used map of rendered bodies, bounded by their total size."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self.used = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """The body kept under `key`, if any."""
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        """Keep `body`, pushing out the least recently used entries beyond the budget."""
        if len(body) * LARGEST_SHARE > self.budget:
            return
        with self._lock:
            previous = self._items.pop(key, None)
            if previous is not None:
                self.used -= len(previous)
            self._items[key] = body
            self.used += len(body)
            while self.used > self.budget:
                _key, dropped = self._items.popitem(last=False)
                self.used -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)


def init_app(app: Flask) -> None:
    """Give the application its page cache (none when the budget is 0)."""
    budget = int(app.config.get("API_PAGE_CACHE_MB", 0)) * 1024 * 1024
    app.extensions[_KEY] = PageCache(budget) if budget > 0 else None


def page_cache() -> PageCache | None:
    """The current application's page cache, or None when it is off."""
    return current_app.extensions.get(_KEY)
