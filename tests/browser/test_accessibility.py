"""WCAG 2.1 A and AA, checked by axe-core in a real Chromium, in both languages."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PUBLIC_PATHS = [
    "/",
    "/sitemap",
    "/offices",
    "/pages/about",
    "/pages/privacy",
    "/pages/security",
    "/pages/accessibility",
    "/staff/login",
    "/no-such-page",
    "/datasets",
    "/datasets?q=%E6%B0%B4",
    "/datasets/water-quality",
    "/datasets/outages/releases/2",
    "/developers",
    "/cases/new",
    "/cases/lookup",
    "/cases/lookup?number=1151126-0007",
]


def axe_violations(tab) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}×, e.g. {violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_pass_axe(page, live_server: str, prefix: str, path: str) -> None:
    response = page.goto(live_server + prefix + path)
    assert response is not None
    assert response.status == (404 if "no-such" in path else 200)
    assert axe_violations(page) == []
    name = (prefix + path).split("?")[0].strip("/").replace("/", "_") or "home"
    save_screenshot(page, name)


@pytest.mark.parametrize("width", [360, 768])
def test_narrow_screens_pass_axe_and_do_not_scroll_sideways(page, live_server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server + "/")
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    save_screenshot(page, f"home-{width}")


def test_chinese_text_renders_with_a_cjk_font(page, live_server: str) -> None:
    page.goto(live_server + "/")
    width = page.evaluate(
        """() => {
            const probe = document.createElement('span');
            probe.textContent = '自來水';
            document.body.appendChild(probe);
            const size = probe.getBoundingClientRect().width;
            probe.remove();
            return size;
        }"""
    )
    # Three full-width glyphs at the body's 17px; missing glyphs render as narrow boxes or nothing.
    assert width > 40


STAFF_PAGES = {
    0: (
        "/staff/",
        "/staff/accounts",
        "/staff/accounts/new",
        "/staff/accounts/1",
        "/staff/offices",
        "/staff/offices/1",
        "/staff/agency",
        "/staff/api-keys",
        "/staff/pages",
        "/staff/pages/1",
        "/staff/audit/",
        "/staff/audit/1",
        "/staff/account/password",
    ),
    1: (
        "/staff/",
        "/staff/datasets/",
        "/staff/datasets/new",
        "/staff/datasets/1",
        "/staff/datasets/1/edit",
        "/staff/datasets/1/schema",
        "/staff/datasets/1/publish",
        "/staff/datasets/1/jobs/1",
    ),
}


@pytest.mark.parametrize("account", [0, 1], ids=["administrator", "publisher"])
def test_staff_pages_pass_axe(page, live_server: str, account: int) -> None:
    from portal.demo import DEMO_STAFF

    username, _name, _roles, _office, password = DEMO_STAFF[account]
    page.goto(live_server + "/staff/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/$"))
    for prefix in ("", "/en"):
        for path in STAFF_PAGES[account]:
            response = page.goto(live_server + prefix + path)
            assert response is not None
            assert response.status == 200, prefix + path
            assert axe_violations(page) == [], prefix + path
            save_screenshot(page, "staff" + (prefix + path).replace("/", "-").rstrip("-"))


def test_form_errors_pass_axe_and_focus_the_summary(page, live_server: str) -> None:
    page.goto(live_server + "/en/staff/login")
    page.click("input[type=submit]")
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == []
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.click(".error-summary a[href='#username']")
    assert page.evaluate("document.activeElement.id") == "username"
    save_screenshot(page, "login-errors-en")


def test_refused_release_page_passes_axe(page, live_server: str) -> None:
    from portal.demo import DEMO_STAFF

    username, _name, _roles, _office, password = DEMO_STAFF[1]  # the publisher
    page.goto(live_server + "/staff/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/$"))
    page.goto(live_server + "/staff/datasets/")
    page.click("text=個資檢查")
    page.click("table a[href*='/jobs/']")
    assert page.locator("#justify-form").count() == 1
    assert axe_violations(page) == []
    save_screenshot(page, "staff-refused-release")
    page.goto(live_server + "/en" + page.url.split(live_server, 1)[1])
    assert axe_violations(page) == []
    save_screenshot(page, "staff-refused-release-en")
