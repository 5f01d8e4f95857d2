"""`/sitemap.xml` lists every public page in both languages with its alternates; `/robots.txt` names it."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from flask import Flask
from sqlalchemy import select

from datasets.models import Dataset
from portal.db import db
from portal.pages.models import Page

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _sitemap(client: Any) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} of every url in the sitemap."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.get_data())
    found = {}
    for item in root.findall("s:url", NS):
        loc = item.findtext("s:loc", namespaces=NS)
        found[loc] = {link.get("hreflang"): link.get("href") for link in item.findall("x:link", NS)}
    return found


def test_every_public_page_is_listed_in_both_languages_with_its_alternates(app: Flask, client: Any) -> None:
    urls = _sitemap(client)
    base = "http://localhost"
    for path in ("/", "/sitemap", "/offices", "/datasets", "/cases/new", "/cases/lookup", "/surveys/q/"):
        assert base + path in urls, path
        assert base + "/en" + path in urls, path
        assert urls[base + path] == urls[base + "/en" + path]
        assert urls[base + path]["zh-Hant-TW"] == base + path
        assert urls[base + path]["en"] == base + "/en" + path
        assert urls[base + path]["x-default"] == base + path
    with app.app_context():
        slugs = db.session.scalars(select(Dataset.slug).where(Dataset.published.is_(True))).all()
        pages = db.session.scalars(select(Page.slug).where(Page.published.is_(True))).all()
    assert slugs
    assert pages
    for slug in slugs:
        assert f"{base}/datasets/{slug}" in urls
    for slug in pages:
        assert f"{base}/en/pages/{slug}" in urls


def test_unpublished_staff_and_session_pages_are_not_listed(app: Flask, client: Any) -> None:
    with app.app_context():
        db.session.add(Page(slug="draft-notes", title_zh="草稿", body_zh="", published=False))
        db.session.commit()
    urls = " ".join(_sitemap(client))
    assert "draft-notes" not in urls
    assert "/staff" not in urls
    assert "/cases/status" not in urls


def test_robots_keeps_crawlers_out_of_staff_and_case_pages_and_names_the_sitemap(client: Any) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "Disallow: /staff/" in lines
    assert "Allow: /staff/login" in lines  # a public page: Lighthouse's crawlable audit holds there too
    assert "Disallow: /cases/status" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
