"""The outermost limits: a request line or header field too long is refused with the site's fixed page."""

from __future__ import annotations

from typing import Any

import pytest

from portal.request_limits import MAX_HEADER_FIELD, MAX_HEADER_FIELDS, MAX_REQUEST_LINE, error_page, refusal
from portal.security import SECURITY_HEADERS


def environ(path: str = "/", query: str = "", **headers: str) -> dict[str, Any]:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, **headers}


def test_a_line_at_the_limit_passes_and_one_byte_more_is_414() -> None:
    # "GET /?" + query + " HTTP/1.1": 4 + 1 + 1 + len(query) + 9
    fits = "q" * (MAX_REQUEST_LINE - 15)
    assert refusal(environ(query=fits)) is None
    assert refusal(environ(query=fits + "q")) == 414


def test_the_path_is_measured_as_sent_percent_encoded() -> None:
    # 水 is nine characters on the wire (%E6%B0%B4); PATH_INFO holds its UTF-8 bytes as Latin-1.
    water = "水".encode().decode("latin-1")
    assert refusal(environ(path="/" + water * 454)) == 414  # "GET " + 1 + 4086 + " HTTP/1.1": 4100 bytes
    assert refusal(environ(path="/" + water * 453)) is None


def test_a_header_field_too_large_or_too_many_fields_is_431() -> None:
    # "X-Big: " and the value: 7 bytes more than the value.
    assert refusal(environ(HTTP_X_BIG="v" * (MAX_HEADER_FIELD - 7))) is None
    assert refusal(environ(HTTP_X_BIG="v" * (MAX_HEADER_FIELD - 6))) == 431
    many = {f"HTTP_X_N{n}": "1" for n in range(MAX_HEADER_FIELDS + 1)}
    assert refusal(environ(**many)) == 431
    assert refusal(environ(**dict(list(many.items())[:MAX_HEADER_FIELDS]))) is None


@pytest.mark.parametrize("status", [414, 431])
def test_the_refusal_page_is_fixed_bilingual_and_carries_the_security_headers(status: int) -> None:
    line, headers, body = error_page(status)
    assert line.startswith(str(status))
    fields = dict(headers)
    for name, value in SECURITY_HEADERS.items():
        assert fields[name] == value
    assert fields["Content-Length"] == str(len(body))
    assert fields["Cache-Control"] == "no-store"
    text = body.decode()
    assert '<html lang="zh-Hant-TW">' in text
    assert 'lang="en"' in text


def test_the_application_refuses_before_anything_reads_the_request(client: Any) -> None:
    refused = client.get("/?" + "q" * 5000)
    assert refused.status_code == 414
    assert "qqqq" not in refused.get_data(as_text=True)
    assert refused.headers["X-Frame-Options"] == "DENY"
    assert client.get("/", headers={"X-Big": "v" * 9000}).status_code == 431
    assert client.get("/?" + "q" * 1000).status_code == 200
