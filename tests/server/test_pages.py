"""The real server serves both languages, its static files and its missing pages."""

from __future__ import annotations

import pytest
import requests
from bs4 import BeautifulSoup

from tests.server.conftest import Server

pytestmark = pytest.mark.server


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/", "zh-Hant-TW", "台灣自來水公司第一區管理處"),
        ("/en/", "en", "Taiwan Water Corporation, 1st Branch"),
        ("/offices", "zh-Hant-TW", "服務據點"),
        ("/en/offices", "en", "Service offices"),
        ("/en/pages/privacy", "en", "Privacy Policy"),
        ("/staff/login", "zh-Hant-TW", "員工登入"),
    ],
)
def test_pages_in_both_languages(server: Server, path: str, lang: str, heading: str) -> None:
    response = requests.get(server.url + path, timeout=10)
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["lang"] == lang
    assert page.h1.get_text(strip=True) == heading
    assert "Content-Security-Policy" in response.headers


def test_static_files_and_missing_pages(server: Server) -> None:
    response = requests.get(server.url + "/static/css/site.css", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    missing = requests.get(server.url + "/en/nowhere", timeout=10)
    assert missing.status_code == 404
    assert "Page not found" in missing.text
