"""The officer's case workbench in a real Chromium: handled with the keyboard alone, and every state passes axe."""

from __future__ import annotations

import re

import pytest

from portal.demo import DEMO_STAFF
from tests.browser.conftest import save_screenshot
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_keyboard import tab_until

pytestmark = pytest.mark.browser

OFFICER = DEMO_STAFF[2]  # the Keelung case officer
ADMIN = DEMO_STAFF[0]


def sign_in(page, live_server: str, account: tuple) -> None:
    username, _name, _roles, _office, password = account
    page.goto(live_server + "/staff/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/$"))


def choose_with_keys(page, selector: str, value: str) -> None:
    """Focus a select with Tab and pick `value` with the arrow keys."""
    tab_until(page, selector, limit=120)
    for _ in range(12):
        if page.evaluate("(s) => document.querySelector(s).value", selector) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} not reachable in {selector}")


def first_open_case(page, live_server: str, prefix: str = "") -> str:
    page.goto(live_server + prefix + "/staff/cases/?state=assigned")
    link = page.locator("tbody th a").first
    return link.inner_text().strip()


def test_an_officer_handles_a_case_with_the_keyboard_alone(page, live_server: str) -> None:
    sign_in(page, live_server, OFFICER)
    number = first_open_case(page, live_server)
    tab_until(page, f"tbody th a[href$='/staff/cases/{number}']", limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert number in page.locator("h1").inner_text()
    choose_with_keys(page, "#move-target", "in_progress")
    page.keyboard.press("Tab")
    page.keyboard.type("已派員前往現場查看。")
    tab_until(page, "#move-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "已更新案件狀態" in page.locator(".flash").inner_text()
    assert "處理中" in page.locator(".case-summary").first.inner_text()
    tab_until(page, "#note-note", limit=200)
    page.keyboard.type("已聯絡工務課。")
    tab_until(page, "#note-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "已聯絡工務課" in page.locator(".timeline").inner_text()
    # An empty reply is refused; the error summary takes the focus and links to the field.
    choose_with_keys(page, "#move-target", "replied")
    tab_until(page, "#move-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert axe_violations(page) == []
    save_screenshot(page, "staff-case-error")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_workbench_state_passes_axe(page, live_server: str, prefix: str) -> None:
    sign_in(page, live_server, OFFICER)
    number = first_open_case(page, live_server, prefix)
    for path in (
        "/staff/cases/",
        "/staff/cases/?due=overdue",
        "/staff/cases/?state=nonsense",
        f"/staff/cases/{number}",
    ):
        response = page.goto(live_server + prefix + path)
        assert response is not None
        assert axe_violations(page) == [], prefix + path
    save_screenshot(page, f"staff-case{prefix.replace('/', '-')}")
    page.click("form[action$='/contact'] button, form[action$='/contact'] input[type=submit]")
    page.wait_for_selector(".notice[role=status]")
    assert axe_violations(page) == [], "revealed contact"
    page.goto(live_server + prefix + "/staff/cases/new")
    assert axe_violations(page) == [], "intake"
    page.click("#review")
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == [], "intake errors"
    page.select_option("#case_type", "complaint")
    page.fill("#subject", "水表漏水")
    page.fill("#description", "水表箱內接頭滴水")
    page.fill("#contact_name", "林志玲")
    page.fill("#contact_phone", "0911-222-333")
    page.check("#notice_given")
    page.click("#review")
    page.wait_for_selector("#read_back")
    assert axe_violations(page) == [], "intake review"
    page.check("#read_back")
    page.click("#save")
    page.wait_for_selector(".case-receipt")
    assert axe_violations(page) == [], "intake saved"
    save_screenshot(page, f"staff-intake-saved{prefix.replace('/', '-')}")
    page.goto(live_server + prefix + "/staff/cases/caller")
    assert axe_violations(page) == [], "caller"
    page.fill("#number", number)
    page.fill("#caller_name", "nobody")
    page.fill("#caller_contact", "0900000000")
    page.click("#submit")
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == [], "caller refused"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_case_type_pages_pass_axe(page, live_server: str, prefix: str) -> None:
    sign_in(page, live_server, ADMIN)
    for path in ("/staff/cases/types", "/staff/cases/types/new", "/staff/cases/types/1"):
        response = page.goto(live_server + prefix + path)
        assert response is not None
        assert response.status == 200, path
        assert axe_violations(page) == [], prefix + path
    page.fill("#working_days", "0")
    page.click("#submit")
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == [], "case type errors"
