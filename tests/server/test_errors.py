"""Every failure answers the site's own error page or problem document, with the security headers.

Through the real server: a view that fails on a real database error, requests refused
before the application sees them (by the server, or by `portal/request_limits.py`), a
405, 404s under /api/ and on pages in both languages, and a form sent without its CSRF
token.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import requests
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import text

from portal.db import db
from tests.server.answers import SECURITY_HEADERS, missing_security_headers
from tests.server.conftest import Server

pytestmark = pytest.mark.server

PROBLEM = "application/problem+json"


def _page(response: requests.Response, status: int, lang: str) -> BeautifulSoup:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"].startswith("text/html")
    assert not missing_security_headers(response)
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["lang"] == lang
    # The site's layout (its header and footer), not a bare page.
    assert page.find("header") is not None
    assert page.find("footer") is not None
    return page


def _problem(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"].startswith(PROBLEM)
    assert not missing_security_headers(response)
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    return body


@contextmanager
def table_renamed(app: Flask, name: str) -> Iterator[None]:
    """The server's table `name` missing for a while: every query of it fails for real."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text(f'ALTER TABLE "{name}" RENAME TO "{name}_away"'))
    try:
        yield
    finally:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text(f'ALTER TABLE "{name}_away" RENAME TO "{name}"'))


def test_a_failing_view_answers_the_sites_error_page(server: Server, site_app: Flask) -> None:
    with table_renamed(site_app, "dataset_download_count"):
        zh = _page(requests.get(server.url + "/datasets/water-quality", timeout=10), 500, "zh-Hant-TW")
        en = _page(requests.get(server.url + "/en/datasets/water-quality", timeout=10), 500, "en")
        api = requests.get(server.url + "/api/v1/datasets/water-quality", timeout=10)
    assert "系統發生錯誤" in zh.title.get_text()
    # The failed transaction was rolled back, so the page still names the agency.
    assert "台灣自來水公司第一區管理處" in zh.title.get_text()
    assert "Taiwan Water Corporation" in en.title.get_text()
    body = _problem(api, 500)
    assert "dataset_download_count" not in api.text  # nothing of the failure is told
    assert body["instance"] == "/api/v1/datasets/water-quality"
    assert "Traceback" in server.log_text()  # ...but it is logged
    # And the site recovers as soon as the table is back.
    assert requests.get(server.url + "/datasets/water-quality", timeout=10).status_code == 200


def test_missing_pages_in_both_languages(server: Server) -> None:
    zh = _page(requests.get(server.url + "/nowhere", timeout=10), 404, "zh-Hant-TW")
    assert "找不到這個頁面" in zh.h1.get_text()
    en = _page(requests.get(server.url + "/en/nowhere", timeout=10), 404, "en")
    assert "Page not found" in en.h1.get_text()


def test_missing_api_resources_answer_problem_documents(server: Server) -> None:
    body = _problem(requests.get(server.url + "/api/v1/datasets/no-such-dataset", timeout=10), 404)
    assert body["instance"] == "/api/v1/datasets/no-such-dataset"
    english = requests.get(server.url + "/api/v1/nowhere", headers={"Accept-Language": "en"}, timeout=10)
    assert _problem(english, 404)["title"] == "Page not found"


def test_a_method_not_allowed(server: Server) -> None:
    page = requests.post(server.url + "/offices", timeout=10)
    _page(page, 405, "zh-Hant-TW")
    assert page.headers["Allow"]
    api = requests.delete(server.url + "/api/v1/datasets", timeout=10)
    _problem(api, 405)
    assert "GET" in api.headers["Allow"]


def test_a_form_without_its_token(server: Server) -> None:
    response = requests.post(server.url + "/staff/login", data={"username": "admin"}, timeout=10)
    page = _page(response, 400, "zh-Hant-TW")
    assert "表單已逾時" in page.get_text()


def _raw(server: Server, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (no client library would send these) and read the whole answer."""
    address = urlsplit(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as client:
        client.sendall(request)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    head, _separator, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


# The limits portal/request_limits.py keeps: the site's own refusal page.
REFUSED_WITH_THE_SITES_PAGE = [
    pytest.param(b"GET /?" + b"q" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, id="request-line-too-long"),
    pytest.param(
        b"GET /?" + b"q" * 1000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 200, id="a-long-line-within-the-limit"
    ),
    pytest.param(
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 9000 + b"\r\n\r\n", 431, id="header-too-large"
    ),
]
# What the server cannot parse, or more header fields than it reads: its own answer, with no body.
REFUSED_BY_THE_SERVER = [
    pytest.param(
        b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-N%d: 1\r\n" % n for n in range(120)) + b"\r\n",
        431,
        id="too-many-headers",
    ),
    pytest.param(b"GET / HTTP/1.1\r\nHost: x\r\nBad<Name>: 1\r\n\r\n", 400, id="bad-header-name"),
    pytest.param(b"GET /<script> HTTP/9.9\r\nHost: x\r\n\r\n", 400, id="bad-http-version"),
]
ECHOES = ("qqqq", "vvvv", "Bad<Name>", "<script>", "X-N")


def _closing(request_bytes: bytes) -> bytes:
    # Ask the server to close the connection after its answer, so that reading to the end ends.
    head, separator, rest = request_bytes.partition(b"\r\n")
    return head + separator + b"Connection: close\r\n" + rest


@pytest.mark.parametrize(("request_bytes", "status"), REFUSED_WITH_THE_SITES_PAGE)
def test_requests_over_the_limits_get_the_sites_refusal_page(
    server: Server, request_bytes: bytes, status: int
) -> None:
    code, headers, body = _raw(server, _closing(request_bytes))
    assert code == status
    for name in SECURITY_HEADERS:
        assert name.lower() in headers, name
    if status == 200:
        return
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert int(headers["content-length"]) == len(body)
    text_body = body.decode("utf-8")
    assert '<html lang="zh-Hant-TW">' in text_body
    for echoed in ECHOES:  # nothing of the refused request comes back
        assert echoed not in text_body


@pytest.mark.parametrize(("request_bytes", "status"), REFUSED_BY_THE_SERVER)
def test_requests_the_server_refuses_get_an_empty_answer(
    server: Server, request_bytes: bytes, status: int
) -> None:
    code, headers, body = _raw(server, request_bytes)
    assert code == status
    assert body == b""  # no page to frame, sniff or script, and nothing of the request repeated
    assert int(headers["content-length"]) == 0
