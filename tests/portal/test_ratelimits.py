"""What each request counts against: the route's default window, a route's own limit, or nothing."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask


def test_each_route_counts_on_its_own_and_methods_share_it(make_app: Callable[..., Flask]) -> None:
    application = make_app(REDIS_URL=None, RATELIMIT_DEFAULT="2 per minute")
    client = application.test_client()
    assert client.options("/api/v1/datasets").status_code == 200
    assert client.head("/api/v1/datasets").status_code == 200
    refused = client.get("/en/api/v1/datasets")  # the same route under the English prefix
    assert refused.status_code == 429
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert 0 < int(refused.headers["Retry-After"]) <= 61
    other = client.get("/api/v1/openapi.json")  # another route has a window of its own
    assert other.status_code == 200
    assert other.headers["RateLimit-Remaining"] == "1"


def test_unmatched_paths_and_static_files_are_not_counted(make_app: Callable[..., Flask]) -> None:
    application = make_app(REDIS_URL=None, RATELIMIT_DEFAULT="1 per minute")
    client = application.test_client()
    missing = [client.get("/no-such-page") for _ in range(3)]
    assert [answer.status_code for answer in missing] == [404, 404, 404]
    assert "RateLimit-Limit" not in missing[-1].headers
    static = [client.get("/static/css/site.css") for _ in range(3)]
    assert [answer.status_code for answer in static] == [200, 200, 200]
    assert "RateLimit-Limit" not in static[-1].headers


def test_a_routes_own_limit_replaces_the_default_for_its_methods(make_app: Callable[..., Flask]) -> None:
    application = make_app(REDIS_URL=None, RATELIMIT_DEFAULT="3 per minute", RATELIMIT_LOGIN="1 per minute")
    client = application.test_client()
    # GET of the login page counts against the default window...
    page = client.get("/staff/login")
    assert page.headers["RateLimit-Limit"] == "3"
    assert page.headers["RateLimit-Remaining"] == "2"
    # ...a POST only against the login limit, as the view is called: a form refused for its
    # token never gets there, so it is neither counted nor refused for the rate.
    refused = [client.post("/staff/login", data={"username": "a", "password": "b"}) for _ in range(3)]
    assert [answer.status_code for answer in refused] == [400, 400, 400]
    assert "RateLimit-Limit" not in refused[-1].headers
    assert client.get("/staff/login").headers["RateLimit-Remaining"] == "1"


def test_turned_off_nothing_is_counted(make_app: Callable[..., Flask]) -> None:
    application = make_app(REDIS_URL=None, RATELIMIT_DEFAULT="1 per minute", RATELIMIT_ENABLED=False)
    client = application.test_client()
    answers = [client.get("/api/v1/datasets") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert "RateLimit-Limit" not in answers[-1].headers
