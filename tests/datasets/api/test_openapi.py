"""The OpenAPI document: valid OpenAPI 3.1, complete, and true to what the API answers (schemathesis)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from datasets.api.openapi import API_PREFIX, described_operations
from tests.datasets.api.conftest import PublishedDataset


def test_the_document_is_valid_openapi_31(client: Any, api_dataset: PublishedDataset) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert document["openapi"] == "3.1.0"
    rows = document["paths"]["/api/v1/datasets/{slug}/rows"]["get"]
    assert {parameter["name"] for parameter in rows["parameters"]} >= {
        "slug",
        "filters",
        "q",
        "sort",
        "limit",
        "cursor",
    }
    assert set(rows["responses"]) >= {"200", "400", "404", "429"}
    publish = document["paths"]["/api/v1/datasets/{slug}/releases"]["post"]
    assert publish["security"] == [{"apiKey": []}]
    assert "multipart/form-data" in publish["requestBody"]["content"]


def test_every_api_route_is_described(app: Flask) -> None:
    rules = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIX + "/") and rule.endpoint != "api_docs.openapi"
    }
    with app.test_request_context():
        described = {path for path, _method, _operation in described_operations(app)}
    assert len(described) == len(rules)
    assert all(
        operation.summary_zh and operation.summary_en for *_rest, operation in described_operations(app)
    )


def test_an_undescribed_api_view_fails_the_document(app: Flask) -> None:
    from flask import Flask as Bare

    bare = Bare("bare")
    bare.add_url_rule(f"{API_PREFIX}/secret", "secret", lambda: "x")
    with pytest.raises(LookupError, match="secret"):
        described_operations(bare)


def test_the_developer_page_lists_every_operation_in_both_languages(pages: Any, app: Flask) -> None:
    chinese = pages.get("/developers").get_text()
    english = pages.get("/en/developers").get_text()
    with app.test_request_context():
        paths = {path for path, _method, _operation in described_operations(app)}
    for path in paths:
        assert path in chinese
        assert path in english
    assert "curl" in chinese
    assert "urllib.request" in english
    assert "For developers" in english


@pytest.fixture
def api_schema(app: Flask, db_transaction: Any, api_dataset: PublishedDataset) -> Any:
    """The schema as the running application serves it, with a real dataset in its examples."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_api_answers_as_documented(api_schema: Any) -> None:
    """Generated requests to every operation: no 5xx, and every status, content type and body as documented."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            # The in-process transport does not decompress; gzip has its own test.
            case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

        check()
