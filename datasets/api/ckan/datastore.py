"""CKAN's DataStore: `datastore_search` over the rows of a dataset's current release.

Filters, full-text `q`, fields, sort, limit and offset are read here into the rows API's
own `RowQuery` and run by the same SQL (`datasets.api.rowsql`), so both APIs answer a
question the same way; `_id` numbers rows in source order, as the rows API does.
"""

from __future__ import annotations

import json
from typing import Any

from flask import url_for
from werkzeug.exceptions import NotFound

from datasets.api import count_cache, rowsql
from datasets.api.ckan.arguments import bool_argument, int_argument, not_found, validation_error
from datasets.api.ckan.packages import resource_id_of
from datasets.api.export import json_value
from datasets.api.release_lookups import rows_source
from datasets.api.rowquery import (
    MAX_LIMIT,
    MAX_OFFSET,
    Fields,
    QueryError,
    RowQuery,
    make_filter,
    parse_fields,
    parse_q,
    parse_sort,
)
from portal.db import db
from portal.i18n import _

CKAN_TYPES = {
    "string": "text",
    "integer": "int",
    "year": "int",
    "number": "numeric",
    "date": "date",
    "datetime": "timestamp",
    "boolean": "bool",
}
TABULAR_KINDS = ("csv", "json", "ods")


def _without_row_order(sort: str) -> str:
    """`sort` without trailing `_id` (ascending) terms, which change nothing: rows always end in
    source order, the order `_id` numbers them in.

    Only whole terms go, so a field such as `outage_id` stays; an `_id` term that would
    change the order (`_id desc`, or `_id` before another field) is left for `parse_sort`
    to refuse rather than being silently ignored.
    """
    parts = sort.split(",")
    while parts and [word.lower() for word in parts[-1].split()] in ([], ["_id"], ["_id", "asc"]):
        parts.pop()
    return ",".join(parts)


def _datastore_query(arguments: dict[str, Any], fields: Fields) -> RowQuery:
    query = RowQuery()
    filters = arguments.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            raise validation_error("filters", _("filters 必須是 JSON 物件。")) from None
    if not isinstance(filters, dict):
        raise validation_error("filters", _("filters 必須是 JSON 物件。"))
    try:
        for name, value in filters.items():
            if isinstance(value, list):
                query.filters.append(make_filter(fields, name, "in", value, "filters"))
            elif isinstance(value, dict) or value is None:
                raise QueryError("filters", _("filters 的值必須是文字、數字或陣列。"))
            else:
                query.filters.append(make_filter(fields, name, "eq", value, "filters"))
        q = arguments.get("q") or ""
        if isinstance(q, dict):
            for name, text in q.items():
                query.filters.append(make_filter(fields, name, "contains", text, "q"))
        elif isinstance(q, str):
            query.q = parse_q(q)
        else:
            raise QueryError("q", _("q 必須是文字或 JSON 物件。"))
        chosen = arguments.get("fields") or ""
        if isinstance(chosen, str):
            chosen = chosen.split(",")
        if not isinstance(chosen, list) or not all(isinstance(name, str) for name in chosen):
            raise QueryError("fields", _("fields 必須是欄位名稱的清單。"))
        query.fields = parse_fields(fields, [name for name in chosen if name.strip() != "_id"])
        sort = arguments.get("sort") or ""
        if not isinstance(sort, str):
            raise QueryError("sort", _("sort 必須是文字，例如「日期 desc」。"))
        query.sort = parse_sort(fields, _without_row_order(sort))
    except QueryError as error:
        raise validation_error(error.parameter, error.message) from None
    query.limit = int_argument(arguments, "limit", 100, MAX_LIMIT)
    query.offset = int_argument(arguments, "offset", 0, MAX_OFFSET)
    query.count = bool_argument(arguments, "include_total", True)
    return query


def datastore_search(arguments: dict[str, Any]) -> Any:
    """Rows of the current release behind a tabular resource."""
    slug, kind = resource_id_of(arguments)
    if kind not in TABULAR_KINDS:
        raise not_found(_("資料表"))
    try:
        source = rows_source(slug)
    except NotFound:  # no such dataset, or it has no release yet
        raise not_found(_("資源")) from None
    target = source.target
    query = _datastore_query(arguments, target.fields)
    connection = db.session.connection()
    page = rowsql.fetch_page(connection, target, query, None)
    names = page.names
    records = [
        {"_id": row_id, **{name: json_value(value) for name, value in zip(names, row, strict=True)}}
        for row_id, row in zip(page.row_ids, page.rows, strict=True)
    ]
    resource_id = f"{slug}.{kind}"
    base = url_for("ckan_api.action", name="datastore_search")
    result: dict[str, Any] = {
        "resource_id": resource_id,
        "fields": [{"id": "_id", "type": "int"}]
        + [{"id": name, "type": CKAN_TYPES.get(target.fields.types[name], "text")} for name in names],
        "records": records,
        "limit": query.limit,
        "offset": query.offset,
        "include_total": query.count,
        "records_format": "objects",
        "_links": {
            "start": f"{base}?resource_id={resource_id}",
            "next": f"{base}?resource_id={resource_id}&offset={query.offset + query.limit}",
        },
    }
    if query.count:
        result["total"] = count_cache.cached_total(
            target.cache_key, query.count_key(), lambda: rowsql.count(connection, target, query)
        )
        result["total_was_estimated"] = False
    return result
