"""The frame every page shows (agency, footer pages, offices): kept by each worker, never stale."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from portal.db import db
from portal.offices.models import Agency, Office
from portal.pages.models import Page
from portal.site_frame import footer_pages, placeholder_agency, shown_agency, shown_offices, site_frame


def _footer_of(client: Any, path: str = "/") -> str:
    page = client.get(path).get_data(as_text=True)
    return page[page.index('<footer class="site-footer">') :]


def test_a_saved_change_shows_on_the_next_page_of_every_worker(
    app: Flask, client: Any, bound_app: Callable[..., Flask]
) -> None:
    other_worker = bound_app().test_client()
    for worker in (client, other_worker):
        assert "(02) 2345-6789" not in _footer_of(worker)
    with app.app_context():
        agency = db.session.scalar(select(Agency))
        agency.phone = "(02) 2345-6789"
        page = db.session.scalar(select(Page).where(Page.slug == "privacy"))
        page.title_zh = "隱私權保護政策（修訂）"
        db.session.commit()
    for worker in (client, other_worker):
        footer = _footer_of(worker)
        assert "(02) 2345-6789" in footer
        assert "隱私權保護政策（修訂）" in footer


def test_footer_pages_follow_publishing_adding_and_removing(app: Flask, client: Any) -> None:
    assert "/pages/privacy" in _footer_of(client)
    with app.app_context():
        db.session.scalar(select(Page).where(Page.slug == "privacy")).published = False
        db.session.add(Page(slug="open-letter", title_zh="致用戶的一封信", body_zh="內容", in_footer=True))
        db.session.commit()
    footer = _footer_of(client)
    assert "/pages/privacy" not in footer
    assert "致用戶的一封信" in footer
    with app.app_context():
        db.session.execute(delete(Page).where(Page.slug == "open-letter"))
        db.session.commit()
    assert "致用戶的一封信" not in _footer_of(client)


def test_the_values_are_plain_copies_read_once_a_request(app: Flask, db_transaction: Any) -> None:
    with app.test_request_context("/"):
        frame = site_frame()
        assert site_frame() is frame
        assert shown_agency() is frame.agency
        assert footer_pages() is frame.footer_pages
        office = db.session.scalar(select(Office).where(Office.code == "KL"))
        assert shown_offices()[office.id].name_zh == office.name_zh
        assert not hasattr(frame.agency, "_sa_instance_state")
        assert all(not hasattr(page, "body_zh") for page in frame.footer_pages)  # bodies are not kept
    with app.test_request_context("/"):
        assert site_frame() is frame  # nothing changed: the kept values


def test_a_database_without_an_agency_shows_the_placeholder(app: Flask, client: Any) -> None:
    with app.app_context():
        db.session.execute(delete(Agency))
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert placeholder_agency().name_zh in page
    english = client.get("/en/").get_data(as_text=True)
    assert placeholder_agency().name_en in english


def test_an_english_page_shows_english_titles_in_the_footer(client: Any) -> None:
    footer = _footer_of(client, "/en/")
    assert "Privacy" in footer
    assert "/en/pages/privacy" in footer
