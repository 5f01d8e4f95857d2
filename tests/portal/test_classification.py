"""Browsing by classification: the three schemes and their codes, and what each code holds, from every domain."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from datasets.models import Dataset
from disclosure.models import DisclosureDocument
from portal.db import db
from tests.support.pages import PageClient


def _classified(app: Flask) -> tuple[str, list[str]]:
    """A service code that both a dataset and a disclosure document of the demo carry, and their titles."""
    with app.app_context():
        datasets = dict(
            db.session.execute(
                select(Dataset.service_code, Dataset.title_zh).where(
                    Dataset.published.is_(True), Dataset.service_code != ""
                )
            ).all()
        )
        for code, title in db.session.execute(
            select(DisclosureDocument.service_code, DisclosureDocument.title_zh).where(
                DisclosureDocument.published.is_(True), DisclosureDocument.service_code != ""
            )
        ):
            if code in datasets:
                return code, [datasets[code], title]
    raise AssertionError("the demo has no service code shared by a dataset and a disclosure document")


def test_the_index_lists_the_three_schemes_with_their_codes(pages: PageClient) -> None:
    page = pages.get("/classification/")
    headings = [h2.get_text(strip=True) for h2 in page.select("main h2")]
    assert headings == ["主題分類", "施政分類", "服務分類"]
    service = page.find(id="scheme-service").find_parent("section")
    assert len(service.select("li")) == 18  # the eighteen 服務分類 codes, each listed
    assert "I00 公共資訊" in service.get_text()
    english = pages.get("/en/classification/")
    assert [h2.get_text(strip=True) for h2 in english.select("main h2")] == [
        "Theme",
        "Policy area",
        "Service category",
    ]


def test_a_code_lists_what_every_domain_published_under_it(app: Flask, pages: PageClient) -> None:
    code, titles = _classified(app)
    index = pages.get("/classification/")
    link = index.find("a", href=f"/classification/service/{code}")
    assert link is not None
    page = pages.get(f"/classification/service/{code}")
    listed = [a.get_text(strip=True) for a in page.select(".link-list a")]
    for title in titles:
        assert title in listed
    kinds = {tag.get_text(strip=True) for tag in page.select(".link-list .tag")}
    assert {"開放資料", "主動公開資訊"} <= kinds
    assert page.find("meta", attrs={"name": "Category.Service"})["content"] == code


def test_unknown_schemes_and_codes_are_not_found(pages: PageClient) -> None:
    pages.get("/classification/colour/I00", status=404)
    pages.get("/classification/service/Z99", status=404)
    pages.get("/en/classification/service/Z99", status=404)


def test_content_pages_carry_their_codes_in_meta_tags_and_under_each_code(pages: PageClient) -> None:
    about = pages.get("/pages/about")
    meta = {
        name: about.find("meta", attrs={"name": name})["content"]
        for name in ("Category.Theme", "Category.Cake", "Category.Service")
    }
    assert meta == {"Category.Theme": "600", "Category.Cake": "E30", "Category.Service": "I00"}
    listing = pages.get("/classification/theme/600")
    entries = {
        a.get_text(strip=True): a.find_next("span", class_="tag").get_text(strip=True)
        for a in listing.select(".link-list a")
    }
    assert entries["關於本處"] == "網頁"
