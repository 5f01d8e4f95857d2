"""Every public route and API operation, asked of the real server with real demo values.

The routes come from the URL map and the operations from the OpenAPI document, so a
route added tomorrow is asked tomorrow; one this suite cannot fill in fails
`test_every_public_route_is_asked` until tests/support/routes.py knows its parameters
or lists it in EXCLUDED with a reason. Answers are checked, not only their status.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from flask import Flask

from tests.server.answers import media_type, problems
from tests.server.conftest import Server
from tests.support.routes import EXCLUDED, Ask, DemoValues, demo_values, plan, public_rules

pytestmark = pytest.mark.server

Answers = list[tuple[Ask, requests.Response]]


@pytest.fixture(scope="session")
def values(site_app: Flask) -> DemoValues:
    return demo_values(site_app)


def _fetch(server: Server, ask: Ask) -> requests.Response:
    headers = {"Content-Type": "application/json"} if ask.body is not None else {}
    return requests.request(
        ask.method, server.url + ask.path, data=ask.body, headers=headers, timeout=60, allow_redirects=False
    )


def fetch_all(server: Server, asks: list[Ask]) -> Answers:
    """Ask everything, a few requests at a time (the server has two workers)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(zip(asks, pool.map(lambda ask: _fetch(server, ask), asks), strict=True))


@pytest.fixture(scope="module")
def answers(server: Server, site_app: Flask, values: DemoValues) -> Answers:
    """Every public route asked once, then every HTML page asked again in English."""
    asks, _unknown = plan(site_app, values)
    first = fetch_all(server, asks)
    english = [
        Ask(ask.endpoint, ask.template, ask.method, "/en" + ask.path, ask.expect, ask.body)
        for ask, response in first
        if media_type(response) == "text/html"
    ]
    assert english, "no HTML page answered"
    return first + fetch_all(server, english)


def test_every_public_route_is_asked(site_app: Flask, values: DemoValues, answers: Answers) -> None:
    _asks, unknown = plan(site_app, values)
    assert not unknown, (
        f"public routes the suite cannot fill in (add them to tests/support/routes.py): {unknown}"
    )
    asked = {ask.endpoint for ask, _response in answers}
    for rule in public_rules(site_app):
        assert rule.endpoint in asked or rule.endpoint in EXCLUDED, f"{rule.endpoint} was not asked"


def test_every_openapi_operation_is_asked(server: Server, answers: Answers) -> None:
    document = requests.get(server.url + "/api/v1/openapi.json", timeout=10).json()
    operations = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    asked = {(ask.method, ask.template) for ask, _response in answers}
    assert operations, "the OpenAPI document lists no operation"
    assert operations <= asked, f"operations not asked: {sorted(operations - asked)}"


def test_every_answer_is_what_it_should_be(answers: Answers) -> None:
    found = [
        f"{ask.method} {ask.path}: {problem}"
        for ask, response in answers
        for problem in problems(response, ask.expect)
    ]
    assert not found, "\n".join(found)


def test_every_release_file_and_format_was_asked(values: DemoValues, answers: Answers) -> None:
    kinds = {media_type(response) for ask, response in answers if ask.endpoint == "datasets.download"}
    assert {
        "text/csv",
        "application/json",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/pdf",
    } <= kinds
    downloads = {ask.path for ask, _response in answers if ask.endpoint == "datasets.download"}
    assert len(downloads) == len(values.files) > 0
