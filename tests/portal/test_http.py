"""HTTP for programs: validators and 304, gzip, CORS, RateLimit fields and 429, file names in any script."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Flask

from portal.http import attachment, weak_etag

CACHEABLE = [
    "/api/v1/datasets",
    "/api/v1/datasets/outages",
    "/api/v1/openapi.json",
    "/data.json",
    "/catalog.jsonld",
]


def test_validators_give_304_and_survive_gzip(client: Any) -> None:
    for url in CACHEABLE:
        first = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert first.status_code == 200, url
        etag = first.headers["ETag"]
        assert etag.startswith('W/"'), url
        assert first.headers["Cache-Control"].startswith("public")
        again = client.get(url, headers={"If-None-Match": etag})  # identity this time: same weak tag
        assert again.status_code == 304, url
        assert again.get_data() == b""
        changed = client.get(url, headers={"If-None-Match": 'W/"something-else"'})
        assert changed.status_code == 200, url


def test_last_modified_answers_if_modified_since(client: Any) -> None:
    first = client.get("/api/v1/datasets/outages")
    stamp = first.headers["Last-Modified"]
    assert client.get("/api/v1/datasets/outages", headers={"If-Modified-Since": stamp}).status_code == 304


def test_large_json_is_gzipped_only_when_accepted(client: Any) -> None:
    plain = client.get("/api/v1/openapi.json")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 2


def test_cors_on_reads_of_public_data_only(client: Any) -> None:
    answer = client.get("/api/v1/datasets", headers={"Origin": "https://example.org"})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in answer.headers
    preflight = client.options(
        "/api/v1/datasets", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "POST" not in preflight.headers["Access-Control-Allow-Methods"]
    page = client.get("/datasets", headers={"Origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in page.headers
    staff = client.get("/staff/login", headers={"Origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in staff.headers


def test_program_answers_do_not_vary_by_cookie(client: Any) -> None:
    client.set_cookie("portal_session", "anything")
    answer = client.get("/api/v1/datasets")
    assert "Cookie" not in answer.headers.get("Vary", "")
    assert "Set-Cookie" not in answer.headers


def test_rate_limit_fields_and_429(make_app: Callable[..., Flask]) -> None:
    limited = make_app(RATELIMIT_DEFAULT="3 per minute")
    client = limited.test_client()
    answers = [client.get("/api/v1/openapi.json", headers={"Accept-Language": "en"}) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    first = answers[0].headers
    assert first["RateLimit-Limit"] == "3"
    assert first["RateLimit-Remaining"] == "2"
    assert 0 <= int(first["RateLimit-Reset"]) <= 61
    assert first["RateLimit-Policy"] == "3;w=60"
    assert "Retry-After" not in first
    refused = answers[-1]
    assert refused.mimetype == "application/problem+json"
    assert refused.json["status"] == 429
    assert refused.json["title"] == "Too many requests"
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["RateLimit-Remaining"] == "0"


def test_attachment_names_carry_any_script() -> None:
    value = attachment("停水紀錄-第3版.csv")
    assert value.startswith('attachment; filename="')
    assert "filename*=UTF-8''" + quote("停水紀錄-第3版.csv") in value
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii()
    assert fallback.endswith(".csv")
    assert '"' not in attachment('a"b.csv').split("filename=", 1)[1].split(";")[0].strip('"')


def test_api_language_follows_accept_language_or_the_prefix(client: Any) -> None:
    english = client.get("/api/v1/datasets/nope", headers={"Accept-Language": "en-US,en;q=0.8"}).json
    chinese = client.get("/api/v1/datasets/nope", headers={"Accept-Language": "zh-TW"}).json
    prefixed = client.get("/en/api/v1/datasets/nope").json
    assert english["title"] == prefixed["title"]
    assert english["title"] != chinese["title"]
    assert english["title"].isascii()


def test_entity_tags_keep_their_parts_apart() -> None:
    assert weak_etag("a\x1fb") != weak_etag("a", "b")
    assert weak_etag("a", "b") != weak_etag("a,b") != weak_etag('a", "b')
    assert weak_etag("rows", 1) == weak_etag("rows", "1"), "parts are compared as text"
