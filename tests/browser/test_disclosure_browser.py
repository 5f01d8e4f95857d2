"""The 主動公開資訊 section in a real Chromium: axe in both languages, and the keyboard alone."""

from __future__ import annotations

import re

import pytest

from portal.demo import DEMO_STAFF
from tests.browser.conftest import save_screenshot
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_keyboard import tab_until

pytestmark = pytest.mark.browser


def _first_link(page, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    assert href, selector
    return href


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_section_passes_axe(page, live_server: str, prefix: str) -> None:
    page.goto(live_server + prefix + "/disclosure/")
    assert page.locator("tbody tr").count() == 10
    assert axe_violations(page) == []
    save_screenshot(page, f"disclosure{prefix.replace('/', '-')}")
    page.goto(live_server + _first_link(page, "tbody th a"))
    assert page.locator(".document-list li").count() >= 1
    assert axe_violations(page) == []
    save_screenshot(page, f"disclosure-category{prefix.replace('/', '-')}")
    page.goto(live_server + _first_link(page, ".document-list h2 a"))
    assert page.locator(".file-list a").count() >= 1
    assert axe_violations(page) == []
    save_screenshot(page, f"disclosure-document{prefix.replace('/', '-')}")


def test_a_document_is_reached_and_its_file_opened_with_the_keyboard_alone(page, live_server: str) -> None:
    page.goto(live_server + "/disclosure/")
    tab_until(page, "tbody th a", limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/disclosure/[a-z-]+$", page.url)
    tab_until(page, ".document-list h2 a", limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/disclosure/documents/" in page.url
    tab_until(page, ".file-list a", limit=80)
    target = page.evaluate("document.activeElement.href")
    response = page.request.get(target)
    assert response.status == 200
    assert response.headers["content-type"].startswith(
        ("application/pdf", "application/vnd.oasis.opendocument")
    )


def _sign_in_as_publisher(page, live_server: str) -> None:
    username, _name, _roles, _office, password = DEMO_STAFF[1]
    page.goto(live_server + "/staff/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main input[type=submit], main button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/$"))


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_staff_pages_and_a_refused_upload_pass_axe(page, live_server: str, prefix: str, tmp_path) -> None:
    _sign_in_as_publisher(page, live_server)
    page.goto(live_server + prefix + "/staff/disclosure")
    assert axe_violations(page) == []
    save_screenshot(page, f"staff-disclosure{prefix.replace('/', '-')}")
    page.goto(live_server + prefix + "/staff/disclosure/new")
    assert axe_violations(page) == []
    word = tmp_path / "report.docx"
    word.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    page.fill("#title_zh", "測試文件")
    page.set_input_files("#files", str(word))
    with page.expect_navigation():
        page.click("main input[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "report.docx" in page.locator("#files-error").inner_text()
    assert axe_violations(page) == []
    save_screenshot(page, f"staff-disclosure-refused{prefix.replace('/', '-')}")
