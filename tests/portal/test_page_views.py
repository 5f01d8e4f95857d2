"""Page views per page and day, with nothing about the visitor, and the home page ranked by them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import inspect, select

from portal.clock import taipei_today
from portal.db import db
from portal.page_views import PageView, add_views, flush, forget_ranking


def test_public_pages_are_counted_per_page_and_day_in_both_languages(bound_app: Callable[..., Flask]) -> None:
    # Written at the end, outside any request: in tests a request's work (and what it wrote
    # beside it) is a savepoint rolled back at its teardown.
    app = bound_app(PAGE_VIEWS=True, PAGE_VIEW_FLUSH_SECONDS=3600)
    client = app.test_client()
    for path in ("/disclosure/", "/disclosure/", "/en/disclosure/", "/offices"):
        assert client.get(path).status_code == 200
    assert client.get("/no-such-page").status_code == 404  # not a page anyone saw
    assert client.get("/staff/login").status_code == 200  # staff pages are not counted
    assert client.get("/api/v1/datasets").status_code == 200  # nor programs' answers
    assert client.post("/cases/lookup", data={}).status_code in {400, 429}  # nor forms sent
    with app.app_context():
        flush(app)
        rows = {row.path: row for row in db.session.scalars(select(PageView))}
    assert {path: row.views for path, row in rows.items()} == {"/disclosure/": 3, "/offices": 1}
    assert rows["/disclosure/"].endpoint == "disclosure.index"
    assert rows["/disclosure/"].day == taipei_today()


def test_a_page_view_holds_nothing_about_the_visitor() -> None:
    columns = {column.key for column in inspect(PageView).columns}
    assert columns == {"id", "day", "endpoint", "path", "views"}


def test_views_wait_in_the_worker_until_they_are_due(bound_app: Callable[..., Flask]) -> None:
    app = bound_app(PAGE_VIEWS=True, PAGE_VIEW_FLUSH_SECONDS=3600)
    client = app.test_client()
    client.get("/disclosure/")
    client.get("/disclosure/")
    with app.app_context():
        assert db.session.scalar(select(PageView.views).where(PageView.path == "/disclosure/")) is None
        flush(app)
        assert db.session.scalar(select(PageView.views).where(PageView.path == "/disclosure/")) == 2


def _service_labels(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    return [card.a.get_text(strip=True) for card in page.select(".service-card")]


def test_the_home_page_puts_the_most_used_services_first(app: Flask, bound_app: Callable[..., Any]) -> None:
    site = bound_app()
    client = site.test_client()
    forget_ranking(site)
    before = _service_labels(client.get("/").get_data(as_text=True))
    assert len(before) >= 3
    with site.app_context():
        today = taipei_today()
        add_views(
            db.session,
            Counter(
                {(today, "offices.office_list", "/offices"): 50, (today, "cases.lookup", "/cases/lookup"): 20}
            ),
        )
        db.session.commit()
    forget_ranking(site)
    after = _service_labels(client.get("/").get_data(as_text=True))
    assert after[0] == "服務據點與營業時間"
    assert after[1] == "案件查詢"
    assert sorted(after) == sorted(before)  # the same services, only in another order
    assert [label for label in after if label not in ("服務據點與營業時間", "案件查詢")] == [
        label for label in before if label not in ("服務據點與營業時間", "案件查詢")
    ]
