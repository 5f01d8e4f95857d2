"""The link checker's run: every registered place's links checked, reports kept, broken links shown to staff."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from disclosure.models import DisclosureDocument
from portal.auth.roles import Role
from portal.db import db
from portal.links.models import LinkReport
from portal.links.service import gather_links
from portal.pages.models import Page
from tests.portal.link_server import LinkServer, link_server
from tests.support.pages import PageClient


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


@pytest.fixture
def linked(app: Flask, app_context: None, server: LinkServer) -> dict[str, Any]:
    """A page and a document holding working and broken links, internal and external."""
    page = Page(
        slug="links-test",
        title_zh="連結測試頁",
        title_en="Links test",
        body_zh=f"[可用]({server.url}/ok)、[不見了]({server.url}/gone)、[本站]( /pages/about )、[沒有這頁](/pages/no-such-page)",
        body_en=f"[works]({server.url}/ok) [broken]({server.url}/broken)",
        published=True,
    )
    document = DisclosureDocument(
        category=1,
        title_zh="有來源的文件",
        document_date=date(2026, 11, 1),
        source_url=f"{server.url}/moved-away",
    )
    db.session.add_all([page, document])
    db.session.commit()
    app.config.update(LINK_CHECK_TIMEOUT_SECONDS=2, LINK_CHECK_RETRIES=0)
    yield {"page": page, "document": document}
    app.config.update(LINK_CHECK_TIMEOUT_SECONDS=10, LINK_CHECK_RETRIES=2)


def run(app: Flask, *arguments: str) -> str:
    result = app.test_cli_runner().invoke(args=["links", "check", *arguments])
    assert result.exit_code == 0, result.output
    return result.output


def reports(server: LinkServer) -> dict[str, LinkReport]:
    found = db.session.scalars(select(LinkReport))
    return {report.url.replace(server.url, ""): report for report in found}


def test_every_place_is_gathered_with_where_its_links_appear(
    linked: dict[str, Any], server: LinkServer
) -> None:
    places = gather_links()
    assert places[f"{server.url}/ok"] == [["page", "連結測試頁", f"/staff/pages/{linked['page'].id}"]]
    assert places[f"{server.url}/moved-away"] == [
        ["disclosure", "有來源的文件", f"/staff/disclosure/{linked['document'].id}"]
    ]
    assert "/pages/no-such-page" in places


def test_a_run_keeps_what_it_found_and_staff_see_the_broken_links(
    app: Flask, linked: dict[str, Any], server: LinkServer, pages: PageClient, sign_in: Callable[..., Any]
) -> None:
    output = run(app)
    assert f"broken: {server.url}/gone (HTTP 404)" in output
    found = reports(server)
    assert found["/ok"].ok
    assert found["/pages/about"].ok  # asked of the application itself
    for broken, status in (
        ("/gone", 404),
        ("/broken", 500),
        ("/moved-away", 404),
        ("/pages/no-such-page", 404),
    ):
        assert not found[broken].ok, broken
        assert found[broken].status == status
        assert found[broken].first_broken_at is not None
    sign_in(Role.PUBLISHER)
    listing = pages.get("/staff/links")
    text = listing.get_text(" ", strip=True)
    assert f"{server.url}/gone" in text
    assert "主動公開文件 ： 有來源的文件" in text or "主動公開文件：有來源的文件" in listing.get_text()
    edit = listing.find("a", string="有來源的文件")
    assert edit["href"] == f"/staff/disclosure/{linked['document'].id}"
    dashboard = pages.get("/staff/").get_text()
    assert "失效連結" in dashboard
    assert f"{server.url}/gone" in dashboard


def test_a_mended_link_is_forgotten_as_broken_and_a_removed_one_forgotten(
    app: Flask, linked: dict[str, Any], server: LinkServer
) -> None:
    run(app)
    first = reports(server)["/gone"].first_broken_at
    run(app)
    assert reports(server)["/gone"].first_broken_at == first  # broken since the first run that saw it
    page = linked["page"]
    page.body_zh = f"[修好了]({server.url}/ok)"
    db.session.commit()
    run(app)
    found = reports(server)
    assert "/gone" not in found
    assert "/pages/no-such-page" not in found
    assert found["/ok"].ok


def test_the_daily_run_happens_once_a_day(app: Flask, linked: dict[str, Any]) -> None:
    assert "links checked" in run(app, "--daily", "--quiet")
    assert "already ran" in run(app, "--daily")
