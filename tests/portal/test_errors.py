"""Error pages in both languages, and the single JSON error shape for programs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, abort
from sqlalchemy import select

from portal.auth.roles import Role
from portal.db import db
from portal.pages.models import Page
from tests.support.pages import PageClient, check_page

# Opens databases or services of its own: runs on each database.
pytestmark = pytest.mark.services

TITLES = {
    400: ("無法處理這個要求", "could not process"),
    403: ("沒有權限", "permission"),
    404: ("找不到這個頁面", "not found"),
    429: ("要求太頻繁", "too many requests"),
    500: ("系統發生錯誤", "problem with the service"),
}


@pytest.fixture(scope="module")
def failing_app(make_app_module: Callable[..., Flask]) -> Flask:
    """An application with routes that fail on purpose."""
    application = make_app_module()

    @application.route("/boom")
    def boom() -> str:
        raise RuntimeError("deliberate failure")

    @application.route("/forbidden")
    def forbidden() -> str:
        abort(403)

    @application.route("/bad")
    def bad() -> str:
        abort(400)

    return application


@pytest.fixture(scope="module")
def make_app_module(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Callable[..., Flask]:
    from portal import create_app
    from tests.conftest import app_overrides

    def factory(**extra: object) -> Flask:
        return create_app(app_overrides(database_url, tmp_path_factory.mktemp("errors"), **extra))

    return factory


@pytest.mark.parametrize(
    ("path", "status"), [("/boom", 500), ("/forbidden", 403), ("/bad", 400), ("/missing", 404)]
)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_error_pages_in_both_languages(failing_app: Flask, path: str, status: int, prefix: str) -> None:
    url = prefix + path
    response = failing_app.test_client().get(url)
    assert response.status_code == status
    page = check_page(response, url)
    chinese, english = TITLES[status]
    heading = page.h1.get_text(strip=True)
    if prefix:
        assert english in heading.lower()
    else:
        assert heading == chinese
    assert "deliberate failure" not in response.get_data(as_text=True)


def test_unexpected_error_is_logged(failing_app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    failing_app.test_client().get("/boom")
    assert any("deliberate failure" in (record.exc_text or "") for record in caplog.records)


def test_too_many_requests_page(make_app: Callable[..., Flask]) -> None:
    application = make_app(RATELIMIT_DEFAULT="3 per minute")
    client = application.test_client()
    statuses = [client.get("/en/sitemap").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/sitemap")
    assert response.status_code == 429
    page = check_page(response, "/sitemap")
    assert page.h1.get_text(strip=True) == TITLES[429][0]
    assert response.headers["Retry-After"]
    assert response.headers["RateLimit-Limit"] == "3"


def test_api_errors_are_problem_details(pages: PageClient) -> None:
    response = pages.get_response("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 404
    assert body["title"] == TITLES[404][0]
    assert body["instance"] == "/api/v1/nothing-here"
    english = pages.get_response("/en/api/v1/nothing-here").get_json()
    assert TITLES[404][1] in english["title"].lower()


def test_json_clients_get_problem_details(pages: PageClient) -> None:
    response = pages.get_response("/missing", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_method_not_allowed_says_what_is(pages: PageClient) -> None:
    response = pages.client.delete("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_form_without_csrf_token_is_refused_in_the_visitors_language(pages: PageClient) -> None:
    response = pages.client.post("/en/staff/login", data={"username": "admin", "password": "x"})
    assert response.status_code == 400
    page = check_page(response, "/en/staff/login")
    assert "form" in page.select_one("main").get_text(" ").lower()


def test_error_page_renders_when_the_database_is_down(make_app: Callable[..., Flask], tmp_path) -> None:
    application = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite3'}")
    response = application.test_client().get("/pages/privacy")
    assert response.status_code == 500
    check_page(response, "/pages/privacy")


def test_failed_request_leaves_stored_data_alone(pages: PageClient, sign_in, app: Flask) -> None:
    sign_in(Role.PUBLISHER)
    response = pages.post_form("/staff/pages/new", {"slug": "Not A Slug", "title_zh": "", "title_en": ""})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Page).where(Page.slug == "Not A Slug")) is None
