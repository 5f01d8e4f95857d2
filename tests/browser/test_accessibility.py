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
    "/cases/link",
    "/classification/",
    "/classification/service/I00",
    "/disclosure/",
    "/disclosure/regulations",
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
        "/staff/links",
    ),
}


@pytest.mark.parametrize("account", [0, 1], ids=["administrator", "publisher"])
def test_staff_pages_pass_axe(page, live_server: str, account: int) -> None:
    from portal.demo import DEMO_STAFF

    username, _name, _roles, _office, password = DEMO_STAFF[account]
    page.goto(live_server + "/staff/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit], main input[type=submit]")
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


def _demo_case_number(live_server: str) -> str:
    """An open demo case with an e-mail address (every demo case opens with DEMO_PASSWORD)."""
    from sqlalchemy import select

    from feedback.cases.models import Case
    from portal.db import db
    from tests.browser.conftest import LIVE_APPLICATIONS

    with LIVE_APPLICATIONS[live_server].app_context():
        number = db.session.scalar(
            select(Case.number)
            .where(Case.state.in_(["assigned", "in_progress", "waiting"]), Case.contact_email.is_not(None))
            .order_by(Case.id.desc())
            .limit(1)
        )
    assert number, "the demo has an open case with an e-mail address"
    return number


def _links(live_server: str, number: str) -> dict[str, str]:
    """Tokens of one-time links to the case: one usable, one used, one expired (made as the site makes them)."""
    from datetime import timedelta

    from sqlalchemy import select

    from feedback.cases.lookup_links import issue_link, redeem
    from feedback.cases.models import Case, CaseLinkToken
    from portal.db import db, utcnow
    from tests.browser.conftest import LIVE_APPLICATIONS

    with LIVE_APPLICATIONS[live_server].app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert case is not None
        now = utcnow()
        tokens = {kind: issue_link(db.session, case, now) for kind in ("usable", "used", "expired")}
        redeem(db.session, tokens["used"], now)
        expired = db.session.scalars(select(CaseLinkToken).order_by(CaseLinkToken.id.desc())).first()
        assert expired is not None
        expired.expires_at = now - timedelta(minutes=1)
        db.session.commit()
    return tokens


def _check(tab, name: str) -> None:
    assert axe_violations(tab) == [], name
    save_screenshot(tab, name)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_citizens_case_pages_pass_axe(page, live_server: str, prefix: str) -> None:
    from itsdangerous import URLSafeTimedSerializer

    from feedback.cases.demo_cases import DEMO_PASSWORD
    from tests.browser.conftest import LIVE_APPLICATIONS

    site = live_server + prefix
    tag = "cases" + prefix.replace("/", "-")
    # The page after a submission.
    page.goto(site + "/cases/new")
    page.select_option("#case_type", "inquiry")
    page.select_option("#district", index=1)
    page.fill("#subject", "無障礙檢查")
    page.fill("#description", "送出後的頁面")
    page.fill("#contact_name", "測試")
    page.fill("#contact_phone", "02-2422-0000")
    page.check("#consent")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert page.locator(".case-receipt").count() == 1, page.locator("main").inner_text()[:600]
    _check(page, f"{tag}-sent")
    # The confirmation link's page.
    number = _demo_case_number(live_server)
    application = LIVE_APPLICATIONS[live_server]
    token = URLSafeTimedSerializer(application.config["SECRET_KEY"], salt="feedback.cases.confirm").dumps(1)
    assert page.goto(f"{site}/cases/confirm/{token}").status == 200
    _check(page, f"{tag}-confirmed")
    # The status page in a lookup session, then what we hold.
    page.goto(site + "/cases/lookup")
    page.fill("#number", number)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert page.goto(site + "/cases/status").status == 200
    assert number in page.locator("h1").inner_text()
    _check(page, f"{tag}-status")
    assert page.goto(site + "/cases/status/data").status == 200
    _check(page, f"{tag}-data")
    # Asking for a link, and the link's pages: to open, used, expired.
    page.goto(site + "/cases/link")
    page.fill("#number", number)
    page.fill("#email", "nobody@example.org")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    _check(page, f"{tag}-link-sent")
    tokens = _links(live_server, number)
    for kind, status in (("usable", 200), ("used", 410), ("expired", 410)):
        assert page.goto(f"{site}/cases/link/{tokens[kind]}").status == status, kind
        _check(page, f"{tag}-link-{kind}")
