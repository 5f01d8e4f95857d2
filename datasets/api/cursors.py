"""Cursors: an opaque, signed token that continues a listing after the last row of a page.

A cursor names the release and the selection (filters, `q`, sort) it was made for, so
it cannot be replayed against another release or another query, and the sort values
of the row it follows, typed again from the schema when it comes back.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from datasets.api.rowquery import Fields, QueryError, RowQuery
from portal.i18n import _

_SALT = "datasets.rows.cursor"


def _serializer() -> URLSafeSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=4)
def _serializer_for(secret: str) -> URLSafeSerializer:
    # Built once per secret: every page with more rows after it signs a cursor.
    return URLSafeSerializer(secret, salt=_SALT)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def make_cursor(release_key: str, query: RowQuery, key: list[Any], secret: str) -> str:
    """The cursor that continues after the row whose sort values and row number are `key`, signed with `secret`."""
    payload = [release_key, query.selection_key(), [_plain(value) for value in key]]
    return str(_serializer_for(secret).dumps(payload))


def _typed(value: Any, field_type: str) -> Any:
    if value is None:
        return None
    if field_type == "date":
        return date.fromisoformat(value)
    if field_type == "datetime":
        return datetime.fromisoformat(value)
    if field_type in {"integer", "year"} and not isinstance(value, int):
        raise ValueError(value)
    if field_type == "number" and not isinstance(value, int | float):
        raise ValueError(value)
    if field_type == "string" and not isinstance(value, str):
        raise ValueError(value)
    return value


def read_cursor(token: str, release_key: str, query: RowQuery, fields: Fields) -> list[Any]:
    """The sort key a cursor carries, or a QueryError when it is forged, stale or for another query."""
    invalid = QueryError("cursor", _("這個 cursor 無效，或不屬於這個查詢；請從第一頁重新開始。"))
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        raise invalid from None
    if not isinstance(payload, list) or len(payload) != 3:
        raise invalid
    cursor_release, selection, key = payload
    if cursor_release != release_key or selection != query.selection_key() or not isinstance(key, list):
        raise invalid
    if len(key) != len(query.sort) + 1 or not isinstance(key[-1], int):
        raise invalid
    try:
        values = [
            _typed(value, fields.types[name]) for value, (name, _desc) in zip(key, query.sort, strict=False)
        ]
    except (ValueError, TypeError):
        raise invalid from None
    return [*values, key[-1]]
