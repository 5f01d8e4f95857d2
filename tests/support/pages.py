"""Checks every page fetched in a test gets: status, title, unique ids, language, forms."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

CSRF_FIELD = "csrf_token"


def expected_lang(url: str) -> str:
    """The `<html lang>` a page at `url` must have."""
    path = url.split("?", 1)[0]
    return "en" if path == "/en" or path.startswith("/en/") else "zh-Hant-TW"


def check_page(response: TestResponse, url: str) -> BeautifulSoup:
    """Parse an HTML response and assert what every page of the site must satisfy."""
    assert response.mimetype == "text/html", f"{url}: not HTML but {response.mimetype}"
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser", multi_valued_attributes=None)
    html = soup.find("html")
    assert html is not None, f"{url}: no <html> element"
    assert html.get("lang") == expected_lang(url), f"{url}: lang is {html.get('lang')}"
    title = soup.title.get_text(strip=True) if soup.title else ""
    assert title, f"{url}: empty <title>"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [value for value, count in ids.items() if count > 1]
    assert not duplicates, f"{url}: duplicate ids {duplicates}"
    assert len(soup.find_all("h1")) == 1, f"{url}: needs exactly one <h1>"
    for label in soup.find_all("label", attrs={"for": True}):
        assert label["for"] in ids, f"{url}: label for missing id {label['for']!r}"
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", attrs={"name": CSRF_FIELD}), f"{url}: POST form without CSRF token"
    # The content security policy forbids inline script and style; nothing may rely on them.
    assert not soup.find_all(style=True), f"{url}: inline style attribute"
    for script in soup.find_all("script"):
        assert script.get("src"), f"{url}: inline <script>"
    return soup


def csrf_token_of(html: str) -> str:
    """The CSRF token of the first form in `html`."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


class PageClient:
    """A test client that checks each page it fetches."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, status: int = 200, **kwargs: Any) -> BeautifulSoup:
        """GET `url`, assert `status` and the page checks; return the parsed page."""
        response = self.client.get(url, **kwargs)
        assert response.status_code == status, (
            f"GET {url}: {response.status_code}, expected {status}: {response.get_data(as_text=True)[:500]}"
        )
        return check_page(response, url)

    def get_response(self, url: str, **kwargs: Any) -> TestResponse:
        """GET `url` without checks (redirects, files)."""
        return self.client.get(url, **kwargs)

    def post_form(self, url: str, data: dict[str, Any], form_url: str | None = None) -> TestResponse:
        """Fetch the form page, then POST `data` with its CSRF token."""
        page = self.client.get(form_url or url)
        payload = {CSRF_FIELD: csrf_token_of(page.get_data(as_text=True)), **data}
        return self.client.post(url, data=payload)

    def post_form_page(self, url: str, data: dict[str, Any], status: int) -> BeautifulSoup:
        """POST a form that answers with a page (an error), and check that page."""
        response = self.post_form(url, data)
        assert response.status_code == status, (
            f"POST {url}: {response.status_code}, expected {status}: {response.get_data(as_text=True)[:500]}"
        )
        return check_page(response, url)
