"""The REST API under `/api/v1`: the catalogue, releases and their files, and rows with filters.

Every answer is JSON; every error is an RFC 9457 problem with the message in the
language asked for (`Accept-Language`, or the `/en` prefix). Rows of a release are
filtered with `field=value` or `field__op=value` (ops: eq, ne, in, gt, gte, lt, lte,
contains, null), searched with `q`, ordered with `sort=a,-b`, trimmed with
`fields=a,b`, and paged with `limit` and `offset` or the `next_cursor` of the page
before. `total` is the exact count, kept per release and query.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from datasets.api import count_cache, cursors, rowsql
from datasets.api.documents import dataset_document, dataset_summary, release_document
from datasets.api.export import csv_chunks, ndjson_chunks
from datasets.api.openapi_parts import (
    DATASET_FILTER_PARAMETERS,
    ERRORS,
    EXPORT_PARAMETERS,
    NUMBER,
    PAGE_PARAMETERS,
    ROW_PARAMETERS,
    SLUG,
)
from datasets.api.page_cache import page_cache
from datasets.api.release_lookups import RowsSource, rows_source, schema_fields
from datasets.api.rowquery import QueryError, RowQuery, parse_int, parse_rest
from datasets.api.rows_page import CATALOGUE_MAX_AGE, render_page, rows_etag, rows_max_age
from datasets.api.spec import json_response, operation
from datasets.api.streaming import open_rows
from datasets.downloads import download_counts
from datasets.models import Dataset, Release
from datasets.services import search_datasets
from portal.db import db
from portal.errors import problem_response
from portal.http import attachment, cacheable, is_current, not_modified
from portal.i18n import _, current_language

bp = Blueprint("datasets_api", __name__, url_prefix="/api/v1")

LIST_MAX_LIMIT = 100
DATASET_FILTERS = ("q", "theme", "cake", "service", "office", "format", "keyword")


@bp.errorhandler(QueryError)
def _bad_query(error: QueryError) -> Response:
    return problem_response(400, error.message, parameter=error.parameter)


def _reject_unknown(args: MultiDict[str, str], allowed: tuple[str, ...]) -> None:
    for name in args:
        if name not in allowed:
            raise QueryError(name, _("不認得的參數「%(name)s」。", name=name[:60]))


def _published(slug: str) -> Dataset:
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug, Dataset.published.is_(True)))
    if dataset is None:
        abort(404)
    return dataset


@bp.route("/datasets")
@operation(
    "catalogue",
    "列出與搜尋資料集",
    "List and search datasets",
    parameters=(*DATASET_FILTER_PARAMETERS, *PAGE_PARAMETERS),
    responses={"200": json_response("A page of datasets", "DatasetList"), **ERRORS},
)
def datasets() -> Response:
    """Published datasets, filtered and paged."""
    _reject_unknown(request.args, (*DATASET_FILTERS, "limit", "offset"))
    filters = {key: (request.args.get(key) or "").strip()[:100] for key in DATASET_FILTERS}
    limit = parse_int(request.args.get("limit"), "limit", 20, LIST_MAX_LIMIT, minimum=1)
    offset = parse_int(request.args.get("offset"), "offset", 0, 100_000)
    query = search_datasets(filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(db.session.scalars(query.limit(limit).offset(offset)))
    body: dict[str, Any] = {
        "total": total,
        "limit": limit,
        "offset": offset,
        "datasets": [dataset_summary(dataset) for dataset in items],
        "links": {},
    }
    if offset + limit < total:
        args = request.args.to_dict() | {"offset": str(offset + limit), "limit": str(limit)}
        body["links"]["next"] = url_for("datasets_api.datasets", _external=True, **args)
    return cacheable(jsonify(body), max_age=CATALOGUE_MAX_AGE)


@bp.route("/datasets/<slug>")
@operation(
    "catalogue",
    "一個資料集的完整說明",
    "One dataset, with its current release",
    parameters=(SLUG,),
    responses={"200": json_response("The dataset", "Dataset"), **ERRORS},
)
def dataset(slug: str) -> Response:
    """Everything about one dataset."""
    _reject_unknown(request.args, ())
    found = _published(slug)
    body = dataset_document(found, download_counts(found.id))
    return cacheable(jsonify(body), max_age=CATALOGUE_MAX_AGE, last_modified=found.updated_at)


@bp.route("/datasets/<slug>/releases")
@operation(
    "catalogue",
    "資料集的所有版本",
    "Every release of a dataset",
    parameters=(SLUG, *PAGE_PARAMETERS),
    responses={"200": json_response("Releases, newest first", "ReleaseList"), **ERRORS},
)
def releases(slug: str) -> Response:
    """A dataset's releases, newest first."""
    _reject_unknown(request.args, ("limit", "offset"))
    found = _published(slug)
    limit = parse_int(request.args.get("limit"), "limit", 20, LIST_MAX_LIMIT, minimum=1)
    offset = parse_int(request.args.get("offset"), "offset", 0, 100_000)
    total = db.session.scalar(select(func.count()).where(Release.dataset_id == found.id)) or 0
    items = db.session.scalars(
        select(Release)
        .where(Release.dataset_id == found.id)
        .order_by(Release.number.desc())
        .limit(limit)
        .offset(offset)
    )
    body = {
        "total": total,
        "limit": limit,
        "offset": offset,
        "releases": [release_document(found, release) for release in items],
    }
    return cacheable(jsonify(body), max_age=CATALOGUE_MAX_AGE)


def _release_of(found: Dataset, number: int) -> Release:
    release = db.session.scalar(
        select(Release).where(Release.dataset_id == found.id, Release.number == number)
    )
    if release is None:
        abort(404)
    return release


@bp.route("/datasets/<slug>/releases/<int:number>")
@operation(
    "catalogue",
    "一個版本：說明、欄位與檔案",
    "One release: notes, schema and files",
    parameters=(SLUG, NUMBER),
    responses={"200": json_response("The release", "Release"), **ERRORS},
)
def release(slug: str, number: int) -> Response:
    """One release of a dataset."""
    _reject_unknown(request.args, ())
    found = _published(slug)
    chosen = _release_of(found, number)
    body = release_document(found, chosen)
    return cacheable(jsonify(body), max_age=CATALOGUE_MAX_AGE, last_modified=chosen.published_at)


def _rows_response(source: RowsSource) -> Response:
    max_age = rows_max_age(source, request.path)
    query = parse_rest(request.args, {"fields": schema_fields(source)})
    etag = rows_etag(source, query, current_language().code, request.path)
    if is_current(etag):
        return not_modified(etag, max_age=max_age)
    cache = page_cache()
    # Links in the page name the host it was asked on; the ETag is fixed-length hex, so the pair reads one way.
    cache_key = f"{etag} {request.host_url}"
    kept = cache.get(cache_key) if cache is not None else None
    if kept is not None:
        return cacheable(Response(kept, mimetype="application/json"), max_age=max_age, etag=etag)
    target = source.target
    after = (
        cursors.read_cursor(query.cursor, target.cache_key, query, target.fields) if query.cursor else None
    )
    # A published release's table never changes: autocommit reads need no transaction.
    connection = db.reader()
    total = (
        count_cache.cached_total(
            target.cache_key, query.count_key(), lambda: rowsql.count(connection, target, query)
        )
        if query.count
        else None
    )
    data = render_page(
        connection,
        source,
        query,
        total,
        after=after,
        base_url=request.base_url,
        args=request.args.items(multi=True),
        secret=current_app.config["SECRET_KEY"],
    )
    if cache is not None:
        cache.put(cache_key, data)
    return cacheable(Response(data, mimetype="application/json"), max_age=max_age, etag=etag)


@bp.route("/datasets/<slug>/rows")
@operation(
    "rows",
    "查詢目前版本的資料列",
    "Query the rows of the current release",
    description=(
        "Filter with `field=value` or `field__op=value` (eq, ne, in, gt, gte, lt, lte, contains, null). "
        "`total` is the exact number of matching rows."
    ),
    parameters=(SLUG, *ROW_PARAMETERS),
    responses={"200": json_response("A page of rows", "RowPage"), **ERRORS},
)
def rows(slug: str) -> Response:
    """A page of the current release's rows."""
    return _rows_response(rows_source(slug))


@bp.route("/datasets/<slug>/releases/<int:number>/rows")
@operation(
    "rows",
    "查詢某一版本的資料列",
    "Query the rows of one release",
    parameters=(SLUG, NUMBER, *ROW_PARAMETERS),
    responses={"200": json_response("A page of rows", "RowPage"), **ERRORS},
)
def release_rows(slug: str, number: int) -> Response:
    """A page of one release's rows."""
    return _rows_response(rows_source(slug, number))


def _export(source: RowsSource, kind: str) -> Response:
    args = MultiDict([(key, value) for key, value in request.args.items(multi=True)])
    for name in ("limit", "offset", "cursor", "count"):
        if name in args:
            raise QueryError(name, _("匯出會包含所有符合的資料列，不接受「%(name)s」。", name=name))
    query: RowQuery = parse_rest(args, {"fields": schema_fields(source)})
    names = query.fields or source.target.fields.names
    # The body is read after this request's session is closed: the rows own a connection of their own.
    rows = open_rows(db.snapshot(), source.target, query, read_ahead=db.in_test_transaction)
    body = csv_chunks(names, rows) if kind == "csv" else ndjson_chunks(names, rows)
    media = "text/csv; charset=utf-8" if kind == "csv" else "application/x-ndjson"
    response = Response(body, mimetype=media)
    response.call_on_close(rows.close)  # also when the client leaves before the last row
    filename = f"{source.title}-{source.number}.{kind}"
    response.headers["Content-Disposition"] = attachment(filename)
    response.headers["Cache-Control"] = f"public, max-age={CATALOGUE_MAX_AGE}"
    return response


@bp.route("/datasets/<slug>/rows.csv")
@operation(
    "rows",
    "匯出符合條件的所有資料列（CSV）",
    "Export every matching row as CSV",
    parameters=(SLUG, *EXPORT_PARAMETERS),
    responses={
        "200": {
            "description": "CSV, UTF-8 with a byte-order mark",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **ERRORS,
    },
)
def rows_csv(slug: str) -> Response:
    """Every matching row of the current release, streamed as CSV."""
    return _export(rows_source(slug), "csv")


@bp.route("/datasets/<slug>/rows.ndjson")
@operation(
    "rows",
    "匯出符合條件的所有資料列（NDJSON）",
    "Export every matching row as NDJSON",
    parameters=(SLUG, *EXPORT_PARAMETERS),
    responses={
        "200": {
            "description": "One JSON object a line",
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
        },
        **ERRORS,
    },
)
def rows_ndjson(slug: str) -> Response:
    """Every matching row of the current release, streamed as NDJSON."""
    return _export(rows_source(slug), "ndjson")
