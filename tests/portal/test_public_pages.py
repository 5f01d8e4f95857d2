"""Public pages render in both languages with the shell every page needs."""

from __future__ import annotations

import pytest

from portal.security import CONTENT_SECURITY_POLICY
from tests.support.pages import PageClient

PUBLIC_PATHS = [
    "/",
    "/sitemap",
    "/offices",
    "/pages/about",
    "/pages/privacy",
    "/pages/security",
    "/pages/accessibility",
    "/staff/login",
    "/developers",
]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_has_the_shell(pages: PageClient, prefix: str, path: str) -> None:
    url = f"{prefix}{path}"
    page = pages.get(url)
    # ::: access keys U, C and Z, in that order, and the skip link first of all.
    keys = [anchor["accesskey"] for anchor in page.select("a[accesskey]")]
    assert keys == ["U", "C", "Z"]
    first_link = page.find("a")
    assert first_link["href"] == "#main-content"
    assert page.find(id="main-content") is not None
    assert page.select_one("footer .contact-list"), "footer has the agency's contact details"
    footer_links = [a["href"] for a in page.select("footer nav a")]
    assert f"{prefix}/pages/privacy" in footer_links
    assert f"{prefix}/pages/security" in footer_links
    # Dublin Core: all fifteen elements and the three classification codes.
    names = {meta["name"] for meta in page.find_all("meta", attrs={"name": True})}
    for element in (
        "Title",
        "Creator",
        "Subject",
        "Description",
        "Publisher",
        "Contributor",
        "Date",
        "Type",
        "Format",
        "Identifier",
        "Source",
        "Language",
        "Relation",
        "Coverage",
        "Rights",
    ):
        assert f"DC.{element}" in names
    assert {"Category.Theme", "Category.Cake", "Category.Service"} <= names


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_language_switch_keeps_the_page(pages: PageClient, path: str) -> None:
    chinese = pages.get(path)
    to_english = chinese.select_one('.utility-nav a[lang="en"]')
    assert to_english["href"] == f"/en{path}"
    english = pages.get(f"/en{path}")
    to_chinese = english.select_one('.utility-nav a[lang="zh-Hant-TW"]')
    assert to_chinese["href"] == path


def test_language_switch_keeps_the_query_string(pages: PageClient) -> None:
    page = pages.get("/offices?page=2&q=%E5%9F%BA")
    assert page.select_one('.utility-nav a[lang="en"]')["href"] == "/en/offices?page=2&q=%E5%9F%BA"


def test_links_stay_in_the_visitors_language(pages: PageClient) -> None:
    page = pages.get("/en/")
    internal = [a["href"] for a in page.select("header a, footer a, main a") if a["href"].startswith("/")]
    assert internal
    for href in internal:
        if href.startswith("/static/"):
            continue
        assert href.startswith("/en/") or href == "/", href
    chinese_link = [a for a in page.select("a[lang]") if a["lang"] == "zh-Hant-TW"]
    assert chinese_link
    assert chinese_link[0]["href"] == "/"


def test_static_files_are_shared_by_both_languages(pages: PageClient) -> None:
    page = pages.get("/en/sitemap")
    stylesheet = page.select_one('link[rel="stylesheet"]')["href"]
    assert stylesheet == "/static/css/site.css"
    assert pages.get_response(stylesheet).status_code == 200


def test_home_shows_services_and_offices(pages: PageClient) -> None:
    page = pages.get("/")
    services = page.select(".service-card a")
    assert any(a["href"] == "/offices" for a in services)
    offices = [item.get_text(" ", strip=True) for item in page.select(".office-summary li")]
    assert any("基隆服務所" in text for text in offices)
    english = pages.get("/en/")
    assert any("Keelung Service Office" in item.get_text() for item in english.select(".office-summary li"))


def test_content_page_shows_its_last_updated_date(pages: PageClient) -> None:
    page = pages.get("/pages/privacy")
    stamp = page.select_one(".last-updated time")
    assert stamp is not None
    assert len(stamp["datetime"]) == 10
    assert page.h1.get_text(strip=True) == "隱私權保護政策"
    assert pages.get("/en/pages/privacy").h1.get_text(strip=True) == "Privacy Policy"


def test_sitemap_explains_the_access_keys(pages: PageClient) -> None:
    page = pages.get("/sitemap")
    text = page.select_one("main").get_text(" ", strip=True)
    for key in ("Alt + U", "Alt + C", "Alt + Z"):
        assert key in text
    assert page.select_one('main a[href="/pages/privacy"]') is not None


def test_unpublished_page_is_not_found(pages: PageClient) -> None:
    pages.get("/pages/no-such-page", status=404)


@pytest.mark.parametrize("path", ["/", "/en/sitemap", "/staff/login"])
def test_security_headers(pages: PageClient, path: str) -> None:
    response = pages.get_response(path)
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_is_protected(pages: PageClient) -> None:
    response = pages.get_response("/staff/login")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_staff_pages_are_never_cached(pages: PageClient) -> None:
    assert pages.get_response("/staff/login").headers["Cache-Control"] == "no-store"
