"""The search in a real Chromium: axe on every state in both languages, and the keyboard alone, filters included."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from portal.db import db
from portal.pages.models import Page
from tests.browser.conftest import LIVE_APPLICATIONS, save_screenshot
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_keyboard import tab_until

pytestmark = pytest.mark.browser

WORDS = "淨水場參訪"


@pytest.fixture(scope="module")
def searchable(live_server: str) -> str:
    """A published page with the module's words in its title, in both languages."""
    application = LIVE_APPLICATIONS[live_server]
    with application.app_context():
        if db.session.query(Page).filter_by(slug="search-browser").one_or_none() is None:
            db.session.add(
                Page(
                    slug="search-browser",
                    title_zh=WORDS + "須知",
                    title_en="Treatment plant visits",
                    body_zh="參訪淨水場請攜帶證件。",
                    body_en="Bring an identity card to visit the treatment plant.",
                )
            )
            db.session.commit()
    return live_server


STATES = [
    ("form", "/search", 200),
    ("results", "/search?q=" + quote(WORDS), 200),
    ("filtered", "/search?q=" + quote(WORDS) + "&type=page&date_from=2020-01-01", 200),
    ("nothing", "/search?q=" + quote("查無此字詞甲乙丙"), 200),
    ("bad-date", "/search?q=" + quote(WORDS) + "&date_from=2026-13-40", 400),
    ("too-long", "/search?q=" + quote("水" * 201), 400),
]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize(("name", "path", "status"), STATES, ids=[state[0] for state in STATES])
def test_every_search_state_passes_axe(
    page, searchable: str, prefix: str, name: str, path: str, status: int
) -> None:
    response = page.goto(searchable + prefix + path)
    assert response is not None
    assert response.status == status
    assert axe_violations(page) == []
    save_screenshot(page, f"search-{name}{prefix.replace('/', '-')}")


def test_the_header_box_searches_with_the_keyboard_alone(page, searchable: str) -> None:
    page.goto(searchable + "/")
    tab_until(page, "#site-search")
    page.keyboard.type(WORDS)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator(".result-list mark").first.inner_text() == WORDS
    assert page.locator("#site-search").count() == 0  # the page's own form replaces the header's box


def test_the_filters_open_and_work_with_the_keyboard_alone(page, searchable: str) -> None:
    page.goto(searchable + "/en/search")
    tab_until(page, "#q")
    page.keyboard.type("treatment plant")
    tab_until(page, ".search-filters summary")
    page.keyboard.press("Enter")  # opens the advanced search
    tab_until(page, "#type")
    page.keyboard.press("ArrowDown")  # from "all" to the first kind: pages
    assert page.locator("#type").input_value() == "page"
    tab_until(page, ".site-search-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search?*")
    assert "type=page" in page.url
    titles = page.locator(".result-list h3").all_inner_texts()
    assert "Treatment plant visits" in titles
    assert page.locator(".search-filters").get_attribute("open") is not None  # filtered: shown open
