"""The OpenAPI 3.1 document of the REST API, built from the URL map and what each view declares.

Every rule under `/api/v1` whose view carries an `Operation` (see `datasets.api.spec`)
becomes a path; Flask's converters become path parameters. A test fails when an API
view has no description, so the document always covers the whole API.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, url_for

from datasets.api.openapi_parts import SCHEMAS
from datasets.api.spec import Operation

API_PREFIX = "/api/v1"
TAGS = (
    {"name": "catalogue", "description": "Datasets, releases and their files."},
    {"name": "rows", "description": "The rows of a release: filters, search, sorting, paging and exports."},
    {"name": "publishing", "description": "Publishing new releases (needs an API key)."},
    {"name": "search", "description": "Full-text search across the site's pages, documents and datasets."},
)


def described_operations(app: Flask) -> list[tuple[str, str, Operation]]:
    """(OpenAPI path, method, operation) for every API rule; raises when a view is undescribed."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX + "/") or rule.endpoint == "api_docs.openapi":
            continue
        view = app.view_functions[rule.endpoint]
        described: Operation | None = getattr(view, "__api_operation__", None)
        if described is None:
            raise LookupError(f"API view {rule.endpoint} has no operation description")
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((path, method.lower(), described))
    return found


def _with_examples(parameters: list[dict[str, Any]], examples: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**parameter, "example": examples[parameter["name"]]}
        if parameter["in"] == "path" and parameter["name"] in examples
        else parameter
        for parameter in parameters
    ]


def _live_examples() -> dict[str, Any]:
    """A published dataset and its current release, so that examples (and generated tests) reach real rows."""
    from sqlalchemy import select

    from datasets.models import Dataset, Release
    from portal.db import db

    found = db.session.execute(
        select(Dataset.slug, Release.number)
        .join(Release, Release.id == Dataset.current_release_id)
        .where(Dataset.published.is_(True))
        .order_by(Dataset.id)
        .limit(1)
    ).first()
    return {"slug": found[0], "number": found[1]} if found else {}


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI document (call within a request or app context with SERVER_NAME)."""
    paths: dict[str, dict[str, Any]] = {}
    examples = _live_examples()
    for path, method, described in described_operations(app):
        operation: dict[str, Any] = {
            "operationId": described.operation_id,
            "tags": [described.tag],
            "summary": described.summary_en,
            "description": (described.summary_zh + "\n\n" + described.description).strip(),
            "parameters": _with_examples(list(described.parameters), examples),
            "responses": described.responses,
        }
        if described.security:
            operation["security"] = [{name: []} for name in described.security]
        if described.request_body:
            operation["requestBody"] = described.request_body
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Open data API",
            "version": "1.0.0",
            "summary": "開放資料 API: datasets, releases and their rows.",
            "description": (
                "Every answer is JSON; errors are RFC 9457 problem details in the language of "
                "`Accept-Language` (Traditional Chinese or English). Responses carry ETag and "
                "Last-Modified validators and RateLimit headers. CKAN clients can use `/api/3/action/`."
            ),
            "license": {"name": "OGDL-Taiwan-1.0", "identifier": "OGDL-Taiwan-1.0"},
        },
        "servers": [{"url": url_for("web.home", _external=True).rstrip("/")}],
        "tags": list(TAGS),
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "apiKey": {"type": "http", "scheme": "bearer", "description": "A staff API key: `pk_...`."}
            },
        },
    }
