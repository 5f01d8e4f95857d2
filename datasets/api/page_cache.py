"""Rendered pages of rows, kept in each worker's memory within a byte budget.

A release never changes once published, so its answer to one query (filters, sort,
fields, page, language, host) never changes either: the rows API renders a page once
and serves the same bytes until the entry is pushed out by newer ones. Entries are
keyed by the page's ETag, which names the release's contents, so a new release is
never answered from an old one's entry. `API_PAGE_CACHE_MB` sets the budget (0 turns
the cache off).
"""

from __future__ import annotations

from flask import Flask, current_app

from datasets.api.lru import LruMap

_KEY = "datasets.page_cache"
# A page larger than this share of the budget is not kept: it would push out many others.
LARGEST_SHARE = 8


class PageCache:
    """Rendered bodies by key, the least recently used pushed out beyond the byte budget."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self._pages: LruMap[str, bytes] = LruMap(budget_bytes, weight=len)

    @property
    def used(self) -> int:
        """Bytes kept."""
        return self._pages.used

    def get(self, key: str) -> bytes | None:
        """The body kept under `key`, if any."""
        return self._pages.get(key)

    def put(self, key: str, body: bytes) -> None:
        """Keep `body`, unless it alone would take too large a share of the budget."""
        if len(body) * LARGEST_SHARE <= self.budget:
            self._pages.put(key, body)

    def __len__(self) -> int:
        return len(self._pages)


def init_app(app: Flask) -> None:
    """Give the application its page cache (none when the budget is 0)."""
    budget = int(app.config.get("API_PAGE_CACHE_MB", 0)) * 1024 * 1024
    app.extensions[_KEY] = PageCache(budget) if budget > 0 else None


def page_cache(app: Flask | None = None) -> PageCache | None:
    """The page cache of `app` (by default the current application), or None when it is off."""
    return (app or current_app).extensions.get(_KEY)
