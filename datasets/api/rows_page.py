"""One page of the rows API as sent: its ETag, its JSON document and the link to the next page.

Both the Flask view (`datasets/api/rest.py`) and the WSGI shortcut
(`datasets/api/rows_shortcut.py`) answer with these functions, so that the two give the
same bytes for the same request by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.engine import Connection

from datasets.api import cursors, rowsql
from datasets.api.export import page_json
from datasets.api.release_lookups import RowsSource
from datasets.api.rowquery import RowQuery
from portal.http import weak_etag

CATALOGUE_MAX_AGE = 60
RELEASE_MAX_AGE = 86400


def rows_max_age(source: RowsSource, path: str) -> int:
    """How long caches may keep a page: a day for a numbered or superseded release, a minute for the current one."""
    return RELEASE_MAX_AGE if not source.current or "/releases/" in path else CATALOGUE_MAX_AGE


def rows_etag(source: RowsSource, query: RowQuery, language_code: str, path: str) -> str:
    """The page's ETag: the release's contents and the parsed query, never the raw query string,
    in which `city=X%26limit%3D7` and `city=X&limit=7` would read the same."""
    return weak_etag("rows", source.target.cache_key, query.page_key(), language_code, path)


def next_page_url(base_url: str, args: Iterable[tuple[str, str]], cursor: str) -> str:
    """The address of the next page: the same parameters (repeated ones kept), the new cursor, no offset."""
    kept = [(name, value) for name, value in args if name not in {"cursor", "offset"}]
    return f"{base_url}?{urlencode([*kept, ('cursor', cursor)])}"


def render_page(
    connection: Connection,
    source: RowsSource,
    query: RowQuery,
    total: int | None,
    *,
    after: Sequence[Any] | None,
    base_url: str,
    args: Iterable[tuple[str, str]],
    secret: str,
) -> bytes:
    """The JSON of one page of `source`'s rows; `total` is the exact count, or None when not asked for."""
    target = source.target
    page = rowsql.fetch_page(connection, target, query, after)
    names = page.names
    body: dict[str, Any] = {
        "dataset": source.slug,
        "release": source.number,
        "fields": [{"name": name, "type": target.fields.types[name]} for name in names],
        "rows": [dict(zip(names, row, strict=True)) for row in page.rows],
        "total": total,
        "limit": query.limit,
        "offset": query.offset,
        "next_cursor": None,
        "links": {},
    }
    if page.next_key is not None:
        token = cursors.make_cursor(target.cache_key, query, page.next_key, secret)
        body["next_cursor"] = token
        body["links"]["next"] = next_page_url(base_url, args, token)
    return page_json(body)
