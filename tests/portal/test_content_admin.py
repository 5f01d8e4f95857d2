"""Staff edit offices, the agency's details and content pages; visitors see the result."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from portal.auth.roles import Role
from portal.db import db
from portal.offices.models import Agency, Office
from portal.pages.markdown import render_markdown
from portal.pages.models import Page
from tests.conftest import StaffAccount
from tests.support.pages import PageClient

OFFICE = {
    "code": "RF",
    "name_zh": "瑞芳服務所",
    "name_en": "Ruifang Service Office",
    "phone": "(02) 2497-0000",
    "address_zh": "新北市瑞芳區",
    "address_en": "Ruifang Dist., New Taipei City",
    "sort_order": "35",
    "active": "y",
}


def test_add_office_appears_publicly(pages: PageClient, sign_in: Callable[..., StaffAccount]) -> None:
    sign_in(Role.ADMINISTRATOR)
    assert pages.post_form("/staff/offices/new", OFFICE).status_code == 302
    public = pages.get("/offices")
    assert "瑞芳服務所" in public.select_one("main").get_text()
    assert "Ruifang Service Office" in pages.get("/en/offices").select_one("main").get_text()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "KL"}, "code"),
        ({"code": "kl"}, "code"),
        ({"code": "has space"}, "code"),
        ({"name_zh": ""}, "name_zh"),
        ({"phone": "call me maybe"}, "phone"),
        ({"sort_order": "-3"}, "sort_order"),
        ({"sort_order": "many"}, "sort_order"),
    ],
)
def test_office_refusals(pages: PageClient, sign_in, app: Flask, changes: dict, field: str) -> None:
    sign_in(Role.ADMINISTRATOR)
    page = pages.post_form_page("/staff/offices/new", {**OFFICE, **changes}, status=400)
    assert f"#{field}" in [a["href"] for a in page.select(".error-summary a")]
    with app.app_context():
        assert db.session.scalar(select(Office).where(Office.name_en == OFFICE["name_en"])) is None


def test_hidden_office_is_not_public(pages: PageClient, sign_in, app: Flask) -> None:
    sign_in(Role.ADMINISTRATOR)
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "XS"))
        form = {key: getattr(office, key) or "" for key in OFFICE if key != "active"}
    assert pages.post_form(f"/staff/offices/{office.id}", form).status_code == 302
    assert "新山給水廠" not in pages.get("/offices").select_one(".office-list").get_text()


def test_agency_details_change_every_page(pages: PageClient, sign_in, app: Flask) -> None:
    sign_in(Role.ADMINISTRATOR)
    with app.app_context():
        agency = db.session.scalar(select(Agency))
        form = {
            column: getattr(agency, column) or ""
            for column in (
                "name_zh",
                "name_en",
                "parent_zh",
                "parent_en",
                "address_zh",
                "address_en",
                "phone",
                "fax",
                "hotline",
                "email",
                "hours_zh",
                "hours_en",
            )
        }
    form["phone"] = "(02) 2222-3333"
    assert pages.post_form("/staff/agency", form).status_code == 302
    assert "(02) 2222-3333" in pages.get("/sitemap").select_one("footer").get_text()
    form["email"] = "not an address"
    page = pages.post_form_page("/staff/agency", form, status=400)
    assert "#email" in [a["href"] for a in page.select(".error-summary a")]


def test_agency_details_need_site_permission(pages: PageClient, sign_in) -> None:
    sign_in(Role.PUBLISHER)
    pages.get("/staff/agency", status=403)


PAGE = {
    "slug": "water-rates",
    "title_zh": "水價說明",
    "title_en": "Water rates",
    "summary_zh": "",
    "summary_en": "",
    "body_zh": "## 基本費\n\n依水表口徑計收。",
    "body_en": "## Basic charge\n\nBy meter size.",
    "published": "y",
    "sort_order": "50",
}


def test_publisher_writes_a_page(pages: PageClient, sign_in) -> None:
    sign_in(Role.PUBLISHER)
    assert pages.post_form("/staff/pages/new", PAGE).status_code == 302
    shown = pages.get("/pages/water-rates")
    assert shown.select_one("article h2").get_text() == "基本費"
    assert pages.get("/en/pages/water-rates").select_one("article h2").get_text() == "Basic charge"
    assert "water-rates" in pages.get("/sitemap").select_one("main").get_text(" ") or pages.get(
        "/sitemap"
    ).select_one('a[href="/pages/water-rates"]')


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "privacy"}, "slug"),
        ({"slug": "Has Caps"}, "slug"),
        ({"title_en": ""}, "title_en"),
        ({"body_zh": ""}, "body_zh"),
    ],
)
def test_page_refusals(pages: PageClient, sign_in, app: Flask, changes: dict, field: str) -> None:
    sign_in(Role.PUBLISHER)
    page = pages.post_form_page("/staff/pages/new", {**PAGE, **changes}, status=400)
    assert f"#{field}" in [a["href"] for a in page.select(".error-summary a")]
    assert page.select_one("#title_zh")["value"] == PAGE["title_zh"], "input kept on error"
    with app.app_context():
        assert db.session.scalar(select(Page).where(Page.title_zh == PAGE["title_zh"])) is None


def test_unpublished_page_is_hidden(pages: PageClient, sign_in) -> None:
    sign_in(Role.PUBLISHER)
    pages.post_form("/staff/pages/new", {**PAGE, "published": ""})
    pages.get("/pages/water-rates", status=404)


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[click](javascript:alert(1))", 'href="javascript:'),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:'),
        ('<img src=x onerror="alert(1)">', "<img"),
    ],
)
def test_markdown_is_safe(source: str, forbidden: str) -> None:
    assert forbidden not in str(render_markdown(source))


def test_markdown_keeps_ordinary_links_and_shifts_headings() -> None:
    html = str(
        render_markdown("# 標題\n\n[官網](https://www.water.gov.tw/) [電話](tel:1910) [頁](/pages/about)")
    )
    assert "<h2>標題</h2>" in html
    assert 'href="https://www.water.gov.tw/"' in html
    assert 'href="tel:1910"' in html
    assert 'href="/pages/about"' in html
