"""Everything reachable with the keyboard alone: skip link, access keys, login."""

from __future__ import annotations

import re

import pytest

from portal.demo import DEMO_STAFF

pytestmark = pytest.mark.browser


def tab_until(page, selector: str, limit: int = 40) -> int:
    """Press Tab until `selector` has focus; returns the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} never received focus")


def test_skip_link_is_first_and_moves_focus_to_the_content(page, live_server: str) -> None:
    page.goto(live_server + "/sitemap")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0, "visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "the next Tab continues inside the main content"


def test_login_with_the_keyboard_alone(page, live_server: str) -> None:
    username, _name, _roles, _office, password = DEMO_STAFF[0]
    page.goto(live_server + "/staff/login")
    tab_until(page, "#username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/staff/$"))
    assert page.locator("h1").inner_text() == "員工專區"
    # Logging out is a button in the header, reachable with Tab and pressed with Enter.
    tab_until(page, ".utility-nav button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server + "/"
    page.goto(live_server + "/staff/")
    assert "/staff/login" in page.url


def test_focus_is_visible(page, live_server: str) -> None:
    page.goto(live_server + "/en/")
    tab_until(page, ".utility-nav a")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_access_key_anchors_exist_in_order(page, live_server: str) -> None:
    page.goto(live_server + "/")
    keys = page.eval_on_selector_all("a[accesskey]", "nodes => nodes.map(n => n.accessKey)")
    assert keys == ["U", "C", "Z"]
    anchors = page.eval_on_selector_all(
        "a[accesskey]", "nodes => nodes.map(n => [n.getAttribute('href'), n.id, n.title])"
    )
    for href, anchor_id, title in anchors:
        assert href == f"#{anchor_id}"
        assert title, "each anchor says which block it marks"
    # Each anchor is reachable with Tab and, followed, lands on its block.
    tab_until(page, "#C")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#C"


def test_login_works_without_javascript(browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        username, _name, _roles, _office, password = DEMO_STAFF[0]
        tab.goto(live_server + "/en/staff/login")
        tab.click("input[type=submit]")
        assert tab.locator(".error-summary").count() == 1, "errors come from the server"
        tab.fill("#username", username)
        tab.fill("#password", password)
        tab.click("input[type=submit]")
        tab.wait_for_url(live_server + "/en/staff/")
        assert tab.locator("h1").inner_text() == "Staff area"
    finally:
        context.close()


def test_the_mailbox_and_the_lookup_with_the_keyboard_alone(page, live_server: str) -> None:
    page.goto(live_server + "/cases/new")
    tab_until(page, "#case_type")
    page.keyboard.press("ArrowDown")  # the first type: 陳情與申訴
    assert page.evaluate("document.activeElement.value") == "complaint"
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first district the offices serve
    assert page.evaluate("document.activeElement.value") == "基隆市中正區"
    tab_until(page, "#subject", limit=2)
    page.keyboard.type("水壓不足")
    page.keyboard.press("Tab")
    page.keyboard.type("每天早上水壓很低")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "attachments", (
        "files may be chosen with the keyboard"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "contact_name"
    page.keyboard.type("鍵盤測試")
    tab_until(page, "#contact_phone", limit=2)
    page.keyboard.type("02-2422-0000")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the honeypot is skipped: the next stop is the button
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".case-receipt").count() == 1, page.locator("main").inner_text()[:600]
    number, password = page.locator(".case-receipt strong").all_inner_texts()[:2]
    assert re.fullmatch(r"\d{7}-\d{4}", number)
    tab_until(page, "a[href*='/cases/lookup']", limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#number").input_value() == number
    tab_until(page, "#password")
    page.keyboard.type(password.lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == f"案件 {number}"
    assert "已分派" in page.locator(".case-summary").inner_text()
    # In the lookup session: information added with the keyboard alone, then the session left.
    tab_until(page, "#text", limit=60)
    page.keyboard.type("補充：水壓在晚上也很低")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "attachments"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "add-submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/cases/status")
    assert "已收到您補充的資料" in page.locator(".flash").inner_text()
    assert "補充：水壓在晚上也很低" in page.locator(".timeline").inner_text()
    tab_until(page, "#leave-submit", limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/cases/lookup")
    page.goto(page.url.replace("/cases/lookup", "/cases/status"))
    assert page.url.endswith("/cases/lookup"), "the session has ended"
