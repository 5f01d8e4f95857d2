"""Checks of what the real server answers: the headers every answer needs, and that the body parses."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from xml.etree import ElementTree

import rdflib
import requests
from bs4 import BeautifulSoup

from tests.support.pages import expected_lang

# Headers the application adds to everything it answers (portal/security.py).
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
)


def missing_security_headers(response: requests.Response) -> list[str]:
    """The security headers `response` lacks."""
    return [name for name in SECURITY_HEADERS if name not in response.headers]


def _html(response: requests.Response) -> None:
    page = BeautifulSoup(response.content, "html.parser")
    path = response.url.split("://", 1)[1].split("/", 1)[1]
    assert page.html is not None, "no <html>"
    assert page.html.get("lang") == expected_lang("/" + path), f"lang {page.html.get('lang')}"
    assert page.title, "no <title>"
    assert page.title.get_text(strip=True), "empty <title>"
    assert len(page.find_all("h1")) == 1, "not exactly one <h1>"


def _json(response: requests.Response) -> None:
    json.loads(response.content)


def _csv(response: requests.Response) -> None:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows, "empty"
    assert rows[0], "no header row"
    assert all(len(row) == len(rows[0]) for row in rows), "rows of different lengths"


def _ndjson(response: requests.Response) -> None:
    for line in response.content.decode("utf-8").splitlines():
        assert isinstance(json.loads(line), dict), f"not an object: {line[:80]}"


def _odf(response: requests.Response) -> None:
    """An OpenDocument file (spreadsheet, text, presentation) whose package declares the answer's type."""
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read("mimetype").decode() == media_type(response)
        ElementTree.fromstring(archive.read("content.xml"))


def _pdf(response: requests.Response) -> None:
    assert response.content.startswith(b"%PDF"), "does not start with %PDF"


def _turtle(response: requests.Response) -> None:
    assert len(rdflib.Graph().parse(data=response.text, format="turtle")) > 0, "no triples"


def _xml(response: requests.Response) -> None:
    ElementTree.fromstring(response.content)


def _text(response: requests.Response) -> None:
    assert response.content.strip(), "empty"


def _robots(response: requests.Response) -> None:
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *", lines[:1]
    assert all(
        not line or line.split(":", 1)[0] in {"User-agent", "Allow", "Disallow", "Sitemap"} for line in lines
    )


def _text_plain(response: requests.Response) -> None:
    if response.url.endswith("/robots.txt"):
        _robots(response)
    else:
        _text(response)


PARSERS: dict[str, Callable[[requests.Response], None]] = {
    "text/html": _html,
    "application/json": _json,
    "application/problem+json": _json,
    "application/ld+json": _json,
    "text/csv": _csv,
    "application/x-ndjson": _ndjson,
    "application/vnd.oasis.opendocument.spreadsheet": _odf,
    "application/vnd.oasis.opendocument.text": _odf,
    "application/vnd.oasis.opendocument.presentation": _odf,
    "application/pdf": _pdf,
    "text/turtle": _turtle,
    "application/atom+xml": _xml,
    "text/xml": _xml,  # Open311
    "application/xml": _xml,  # sitemap.xml
    "text/plain": _text_plain,  # robots.txt
    "text/css": _text,
}


def media_type(response: requests.Response) -> str:
    """The answer's media type without parameters."""
    return response.headers.get("Content-Type", "").split(";")[0].strip()


def problems(response: requests.Response, expect: int) -> list[str]:
    """What is wrong with `response` (empty when nothing is)."""
    found = []
    if response.status_code != expect:
        found.append(f"status {response.status_code}, expected {expect}: {response.text[:200]!r}")
    missing = missing_security_headers(response)
    if missing:
        found.append(f"no {', '.join(missing)}")
    if 300 <= response.status_code < 400:
        if not response.headers.get("Location"):
            found.append("a redirect without Location")
        return found
    kind = media_type(response)
    parse = PARSERS.get(kind)
    if parse is None:
        found.append(f"no check for {kind!r}")
        return found
    try:
        parse(response)
    except Exception as error:  # any failure to parse is a finding, reported with the rest
        found.append(f"{kind} does not parse: {error!r}"[:300])
    return found
