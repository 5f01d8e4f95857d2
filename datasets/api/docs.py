"""The API's OpenAPI document and its documentation page for people, in both languages.

The page's try-it form asks the rows API of any published dataset from the browser; the
script shows the answer in place, and without the script `/developers/try` sends the
browser to the same API address.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from datasets.api.openapi import build_document, described_operations
from datasets.models import Dataset
from portal.db import db
from portal.http import cacheable
from portal.i18n import _, current_language

bp = Blueprint("api_docs", __name__)


@bp.route("/api/v1/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3.1 document."""
    return cacheable(jsonify(build_document(current_app)), max_age=300)


TRY_QUERY_MAX_LENGTH = 1000


QUERYABLE = (Dataset.published.is_(True), Dataset.current_release_id.is_not(None))


def _queryable() -> list[Dataset]:
    """Published datasets with rows to ask for, for the try-it form."""
    return list(db.session.scalars(select(Dataset).where(*QUERYABLE).order_by(Dataset.slug)))


def _page(try_error: str | None = None, chosen: str = "", query: str = "") -> tuple[str, int]:
    datasets = _queryable()
    example = datasets[0] if datasets else None
    field = None
    if example is not None and example.current_release is not None:
        fields = example.current_release.table_schema.get("fields", [])
        field = next((item for item in fields if item.get("index")), fields[0] if fields else None)
    english = current_language().code == "en"
    operations = [
        {
            "path": path,
            "method": method.upper(),
            "summary": described.summary_en if english else described.summary_zh,
            "parameters": [parameter for parameter in described.parameters if parameter["in"] == "query"],
        }
        for path, method, described in described_operations(current_app)
    ]
    base = url_for("web.home", _external=True).rstrip("/")
    body = render_template(
        "datasets/api/developers.html",
        operations=operations,
        example=example,
        field=field,
        base=base,
        openapi_url=url_for("api_docs.openapi", _external=True),
        datasets=datasets,
        try_error=try_error,
        try_dataset=chosen or (example.slug if example else ""),
        try_query=query or "limit=5",
    )
    return body, 400 if try_error else 200


@bp.route("/developers")
def developers() -> Any:
    """How to use the API, with examples that run as they are and a form to try it."""
    return _page()


@bp.route("/developers/try")
def try_rows() -> Any:
    """The try-it form without JavaScript: on to the rows API with the query as typed, or the page with why not."""
    slug = (request.args.get("dataset") or "").strip()
    query = (request.args.get("query") or "").strip().lstrip("?")
    if len(query) > TRY_QUERY_MAX_LENGTH:
        return _page(_("查詢字串太長，最多 %(count)d 個字。", count=TRY_QUERY_MAX_LENGTH), slug, query[:100])
    if db.session.scalar(select(Dataset.id).where(Dataset.slug == slug, *QUERYABLE)) is None:
        return _page(_("請從清單中選擇一個已發布的資料集。"), "", query)
    pairs = parse_qsl(query, keep_blank_values=True)
    target = url_for("datasets_api.rows", slug=slug)
    return redirect(f"{target}?{urlencode(pairs)}" if pairs else target, 303)
