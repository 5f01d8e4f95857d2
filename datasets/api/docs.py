"""The API's OpenAPI document and its documentation page for people, in both languages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, url_for
from sqlalchemy import select

from datasets.api.openapi import build_document, described_operations
from datasets.models import Dataset
from portal.db import db
from portal.http import cacheable
from portal.i18n import current_language

bp = Blueprint("api_docs", __name__)


@bp.route("/api/v1/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3.1 document."""
    return cacheable(jsonify(build_document(current_app)), max_age=300)


@bp.route("/developers")
def developers() -> Any:
    """How to use the API, with examples that run as they are."""
    example = db.session.scalar(
        select(Dataset)
        .where(Dataset.published.is_(True), Dataset.current_release_id.is_not(None))
        .order_by(Dataset.id)
        .limit(1)
    )
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
    return render_template(
        "datasets/api/developers.html",
        operations=operations,
        example=example,
        field=field,
        base=base,
        openapi_url=url_for("api_docs.openapi", _external=True),
    )
