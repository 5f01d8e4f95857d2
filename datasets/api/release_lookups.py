"""Finding the release a request reads, cheaply: one small query and a cache of table objects.

A release never changes once published, so the SQLAlchemy table built from its schema
is kept per worker and reused by every request that reads it. Which release a slug
(and number) names can change (a new release, an unpublished dataset), so each worker
reuses its answer only for `API_RELEASE_LOOKUP_SECONDS`: a change reaches the rows API
at most that much later, well within the minute HTTP caches may keep a current page.
A page already rendered is then served without touching the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from flask import Flask, abort, current_app
from sqlalchemy import Select, bindparam, select

from datasets import query_store
from datasets.api.lru import LruMap
from datasets.api.rowquery import Fields
from datasets.api.rowsql import ReleaseTable
from datasets.models import Dataset, Release
from portal.db import db

_CACHE_SIZE = 256
_tables: LruMap[str, ReleaseTable] = LruMap(_CACHE_SIZE)
_LOOKUPS_KEY = "datasets.release_lookups"


@dataclass(frozen=True)
class RowsSource:
    """The release a rows request reads."""

    dataset_id: int
    slug: str
    title: str  # the Chinese title, for the names of exported files
    number: int
    target: ReleaseTable
    current: bool


def _target(release_id: int, table_name: str, published_at: datetime | None) -> ReleaseTable:
    # Ids alone could name another release in another database (or after a rolled-back
    # test), so the key adds the table and the moment of publication.
    key = f"{release_id}:{table_name}:{published_at.timestamp() if published_at else 0}"
    cached = _tables.get(key)
    if cached is not None:
        return cached
    found = db.reader().scalar(select(Release.table_schema).where(Release.id == release_id))
    schema = found or {"fields": []}
    target = ReleaseTable(release_id, query_store.build_table(table_name, schema), Fields(schema), key)
    _tables.put(key, target)
    return target


@cache
def _release_statement(current: bool) -> Select[int, str, int | None, int, int, str, datetime | None]:
    """The query that finds a published dataset's release, built once: building it costs more than running it."""
    statement = (
        select(
            Dataset.id,
            Dataset.title_zh,
            Dataset.current_release_id,
            Release.id,
            Release.number,
            Release.query_table,
            Release.published_at,
        )
        .join(Release, Release.dataset_id == Dataset.id)
        .where(Dataset.slug == bindparam("slug"), Dataset.published.is_(True))
    )
    if current:
        return statement.where(Release.id == Dataset.current_release_id)
    return statement.where(Release.number == bindparam("number"))


class ReleaseLookups:
    """Recent answers to "which release does this slug (and number) name", each kept for `seconds`."""

    def __init__(self, seconds: float, size: int = 1024) -> None:
        self.seconds = seconds
        self._items: LruMap[tuple[str, int | None], tuple[float, RowsSource]] = LruMap(size)

    def get(self, key: tuple[str, int | None]) -> RowsSource | None:
        """The source found for `key` less than `seconds` ago, if any."""
        kept = self._items.get(key)
        if kept is None:
            return None
        deadline, source = kept
        if deadline <= time.monotonic():
            self._items.pop(key)
            return None
        return source

    def put(self, key: tuple[str, int | None], source: RowsSource) -> None:
        """Keep `source` for `seconds`, dropping the least recently used answers beyond the size."""
        self._items.put(key, (time.monotonic() + self.seconds, source))


def init_app(app: Flask) -> None:
    """Give the application its release lookups (none when `API_RELEASE_LOOKUP_SECONDS` is 0)."""
    seconds = float(app.config.get("API_RELEASE_LOOKUP_SECONDS", 0))
    app.extensions[_LOOKUPS_KEY] = ReleaseLookups(seconds) if seconds > 0 else None


def kept_source(app: Flask, slug: str) -> RowsSource | None:
    """The current release of `slug` as a recent lookup found it, or None (nothing is asked of the database)."""
    lookups: ReleaseLookups | None = app.extensions.get(_LOOKUPS_KEY)
    return lookups.get((slug, None)) if lookups is not None else None


def rows_source(slug: str, number: int | None = None) -> RowsSource:
    """The current release of a published dataset (or release `number`), or a 404."""
    lookups: ReleaseLookups | None = current_app.extensions.get(_LOOKUPS_KEY)
    key = (slug, number)
    if lookups is not None:
        kept = lookups.get(key)
        if kept is not None:
            return kept
    parameters: dict[str, Any] = {"slug": slug}
    if number is not None:
        parameters["number"] = number
    # Columns only, one statement on the autocommit reader: no ORM session, no transaction.
    found = db.reader().execute(_release_statement(number is None), parameters).first()
    if found is None:
        abort(404)
    dataset_id, title, current_id, release_id, release_number, table_name, published_at = found
    target = _target(release_id, table_name, published_at)
    source = RowsSource(dataset_id, slug, title, release_number, target, release_id == current_id)
    if lookups is not None:
        lookups.put(key, source)
    return source


def schema_fields(source: RowsSource) -> list[dict[str, str]]:
    """The release's fields as the query parser takes them: name and type."""
    target = source.target
    return [{"name": name, "type": target.fields.types[name]} for name in target.fields.names]
