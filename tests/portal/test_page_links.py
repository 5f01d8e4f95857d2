"""Every page names its canonical URL and its other languages with absolute URLs (search engines)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.support.pages import PageClient


def links_of(pages: PageClient, path: str) -> tuple[str, dict[str, str]]:
    page = pages.get(path)
    canonical = page.select_one('link[rel="canonical"]')["href"]
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
    return canonical, alternates


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/", "http://localhost/"),
        ("/en/", "http://localhost/en/"),
        ("/datasets?page=2", "http://localhost/datasets?page=2"),
        ("/en/datasets?page=2", "http://localhost/en/datasets?page=2"),
    ],
)
def test_canonical_and_alternates_are_absolute(pages: PageClient, path: str, canonical: str) -> None:
    found, alternates = links_of(pages, path)
    assert found == canonical
    bare = path.removeprefix("/en")
    assert alternates == {
        "zh-Hant-TW": f"http://localhost{bare}",
        "en": f"http://localhost/en{bare}",
        "x-default": f"http://localhost{bare}",
    }


def test_the_site_url_setting_names_the_host(make_app: Callable[..., Flask], db_transaction) -> None:
    from portal.db import db

    application = make_app(SITE_URL="https://opendata.example.gov.tw/ignored-path")
    db.bind_to(application, db_transaction)
    canonical, alternates = links_of(PageClient(application.test_client()), "/en/datasets")
    assert canonical == "https://opendata.example.gov.tw/en/datasets"
    assert alternates["zh-Hant-TW"] == "https://opendata.example.gov.tw/datasets"


def test_css_and_javascript_are_compressed_for_browsers_that_accept_it(client) -> None:
    import gzip

    for path in ("/static/css/site.css", "/static/js/site.js"):
        plain = client.get(path)
        assert "Content-Encoding" not in plain.headers
        assert "Accept-Encoding" in plain.headers["Vary"]
        packed = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert packed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.get_data()) == plain.get_data()
        assert len(packed.get_data()) < len(plain.get_data()) / 2
        assert packed.headers["ETag"] != plain.headers["ETag"]
        again = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
        assert again.status_code == 304
        assert again.get_data() == b""


def test_compression_can_be_left_to_a_proxy(make_app: Callable[..., Flask]) -> None:
    application = make_app(STATIC_GZIP=False)
    answer = application.test_client().get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in answer.headers
