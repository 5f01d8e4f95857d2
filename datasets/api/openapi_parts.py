"""Parameters and component schemas the API's operations share in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from datasets.api.rowquery import MAX_IN_VALUES, MAX_LIMIT, MAX_OFFSET, MAX_Q_LENGTH
from datasets.api.spec import query_param

SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The dataset's identifier in URLs.",
    "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 80},
}
NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "description": "The release number (1 for the first release).",
    "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
}
PAGE_PARAMETERS = (
    query_param("limit", "Items a page (at most 100).", {"type": "integer", "minimum": 1, "maximum": 100}),
    query_param("offset", "Items to skip.", {"type": "integer", "minimum": 0, "maximum": 100_000}),
)
DATASET_FILTER_PARAMETERS = (
    query_param("q", "Words in titles, descriptions or keywords.", {"type": "string", "maxLength": 100}),
    query_param("theme", "主題 classification code.", {"type": "string", "maxLength": 10}),
    query_param("cake", "施政 classification code.", {"type": "string", "maxLength": 10}),
    query_param("service", "服務 classification code.", {"type": "string", "maxLength": 10}),
    query_param("office", "Code of the publishing office.", {"type": "string", "maxLength": 20}),
    query_param("format", "A file format: csv, ods, json or pdf.", {"type": "string", "maxLength": 10}),
    query_param("keyword", "One keyword, exactly.", {"type": "string", "maxLength": 50}),
)
ROW_FILTERS = {
    "name": "filters",
    "in": "query",
    "required": False,
    "description": (
        "Conditions on fields: `field=value` (equals) or `field__op=value`, where op is one of "
        f"eq, ne, in (comma-separated, at most {MAX_IN_VALUES} values), gt, gte, lt, lte, contains "
        "(text fields) and null (true or false). Several conditions all apply. An unknown field or "
        "operator, or a value not of the field's type, is a 400."
    ),
    "style": "form",
    "explode": True,
    "schema": {"type": "object", "additionalProperties": {"type": "string"}},
}
SELECTION_PARAMETERS = (
    ROW_FILTERS,
    query_param(
        "q",
        "Words to find in any text field, as typed (Chinese works).",
        {"type": "string", "maxLength": MAX_Q_LENGTH},
    ),
    query_param(
        "sort",
        "Fields to order by, comma-separated, `-` before a field for descending (at most 3). Nulls come last.",
        {"type": "string"},
    ),
    query_param("fields", "The fields to return, comma-separated (default: all).", {"type": "string"}),
)
ROW_PARAMETERS = (
    *SELECTION_PARAMETERS,
    query_param(
        "limit",
        f"Rows a page (default 100, at most {MAX_LIMIT}).",
        {"type": "integer", "minimum": 0, "maximum": MAX_LIMIT},
    ),
    query_param(
        "offset",
        f"Rows to skip (at most {MAX_OFFSET}; use the cursor for deeper pages).",
        {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
    ),
    query_param("cursor", "The `next_cursor` of the previous page.", {"type": "string"}),
    query_param("count", "Whether to count the matching rows (default true).", {"type": "boolean"}),
)
EXPORT_PARAMETERS = SELECTION_PARAMETERS


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


ERRORS: dict[str, dict[str, Any]] = {
    "400": _problem("A parameter is unknown or invalid; `parameter` names it."),
    "404": _problem("No such dataset, release or resource."),
    "429": _problem("Too many requests; wait for `Retry-After` seconds."),
}
KEY_ERRORS: dict[str, dict[str, Any]] = {
    "401": _problem("No API key, or an unknown or revoked one."),
    "403": _problem("The key lacks the scope this needs."),
}

_TEXT = {"type": "object", "properties": {"zh-Hant-TW": {"type": "string"}, "en": {"type": "string"}}}
_NULLABLE_STRING = {"type": ["string", "null"]}
_LINKS = {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "parameter": {"type": "string", "description": "The parameter at fault."},
        },
    },
    "Text": _TEXT,
    "Distribution": {
        "type": "object",
        "required": ["id", "format", "media_type", "url", "size"],
        "properties": {
            "id": {"type": "string"},
            "kind": {"type": "string", "enum": ["csv", "ods", "json", "pdf", "datapackage"]},
            "format": {"type": "string"},
            "media_type": {"type": "string"},
            "name": {"type": "string"},
            "size": {"type": "integer"},
            "sha256": {"type": "string"},
            "encoding": _NULLABLE_STRING,
            "url": {"type": "string", "format": "uri"},
            "downloads": {"type": "integer"},
        },
    },
    "Release": {
        "type": "object",
        "required": ["dataset", "number", "row_count", "distributions"],
        "properties": {
            "dataset": {"type": "string"},
            "number": {"type": "integer"},
            "current": {"type": "boolean"},
            "published_at": _NULLABLE_STRING,
            "row_count": {"type": "integer"},
            "rows_added": {"type": ["integer", "null"]},
            "rows_removed": {"type": ["integer", "null"]},
            "rows_changed": {"type": ["integer", "null"]},
            "rows_dropped": {"type": "integer"},
            "notes": {"$ref": "#/components/schemas/Text"},
            "schema": {"type": "object", "description": "Frictionless Table Schema"},
            "deidentification": {"type": ["object", "null"]},
            "distributions": {"type": "array", "items": {"$ref": "#/components/schemas/Distribution"}},
            "links": _LINKS,
        },
    },
    "ReleaseList": {
        "type": "object",
        "required": ["total", "releases"],
        "properties": {
            "total": {"type": "integer"},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "releases": {"type": "array", "items": {"$ref": "#/components/schemas/Release"}},
        },
    },
    "DatasetSummary": {
        "type": "object",
        "required": ["id", "title", "links"],
        "properties": {
            "id": {"type": "string"},
            "identifier": _NULLABLE_STRING,
            "title": {"$ref": "#/components/schemas/Text"},
            "description": {"$ref": "#/components/schemas/Text"},
            "keywords": {"type": "array", "items": {"type": "string"}},
            "office": {},
            "modified": _NULLABLE_STRING,
            "current_release": {"type": ["integer", "null"]},
            "links": _LINKS,
        },
    },
    "Dataset": {
        "allOf": [
            {"$ref": "#/components/schemas/DatasetSummary"},
            {
                "type": "object",
                "properties": {
                    "classification": {"type": "object"},
                    "contact": {"type": "object"},
                    "update_frequency": {"type": "object"},
                    "next_due": _NULLABLE_STRING,
                    "licence": {"type": "object"},
                    "release": {"oneOf": [{"$ref": "#/components/schemas/Release"}, {"type": "null"}]},
                },
            },
        ]
    },
    "DatasetList": {
        "type": "object",
        "required": ["total", "datasets"],
        "properties": {
            "total": {"type": "integer"},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "datasets": {"type": "array", "items": {"$ref": "#/components/schemas/DatasetSummary"}},
            "links": _LINKS,
        },
    },
    "PublishJob": {
        "type": "object",
        "required": ["id", "state", "progress", "links"],
        "properties": {
            "id": {"type": "integer"},
            "state": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
            "stage": {"type": "string"},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "message": {"type": "string"},
            "release": {"type": ["integer", "null"]},
            "refused_for": {"type": "array", "items": {"type": "string"}},
            "findings": {"type": "object"},
            "problem": {
                "type": "object",
                "description": "A failed job's reason, as RFC 9457 problem details in the request's language.",
                "required": ["type", "title", "status", "detail"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "instance": {"type": "string"},
                },
            },
            "links": _LINKS,
        },
    },
    "RowPage": {
        "type": "object",
        "required": ["dataset", "release", "fields", "rows", "total", "limit", "next_cursor"],
        "properties": {
            "dataset": {"type": "string"},
            "release": {"type": "integer"},
            "fields": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "type": {"type": "string"}},
                    "required": ["name", "type"],
                },
            },
            "rows": {"type": "array", "items": {"type": "object"}},
            "total": {"type": ["integer", "null"], "description": "Exact count of matching rows."},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "next_cursor": _NULLABLE_STRING,
            "links": _LINKS,
        },
    },
}
