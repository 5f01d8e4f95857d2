"""The counter survey's kiosk and phone page in a real Chromium.

Every state passes axe in both languages; the kiosk is answered with the keyboard alone,
with and without JavaScript; with JavaScript the reason step returns to the faces by
itself after its pause, which any activity postpones (Playwright's clock, not real waiting).

Each test is its own kiosk (a fresh browser context with its own signed device cookie,
as staff set a tablet up) at its own demo counter, so no cool-down or counter limit of
one test reaches another.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from werkzeug.wrappers import Response

from feedback.surveys.counter_views import KIOSK_COOKIE, REASON_STEP_SECONDS, set_kiosk_cookie
from feedback.surveys.models import Counter, CounterResponse
from portal.db import db
from portal.offices.models import Office
from tests.browser.conftest import LIVE_APPLICATIONS, save_screenshot
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_keyboard import tab_until

pytestmark = pytest.mark.browser

# Which demo counter each test answers at (an index into `demo_places`).
PLACE_OF = {"axe:": 0, "axe:/en": 1, "keyboard:js": 2, "keyboard:no-js": 3, "pause": 4}


def demo_places(live_server: str) -> list[tuple[str, str]]:
    """(office code, counter code) of every active demo counter, in a fixed order."""
    with LIVE_APPLICATIONS[live_server].app_context():
        rows = db.session.execute(
            select(Office.code, Counter.code)
            .join(Counter, Counter.office_id == Office.id)
            .where(Office.active.is_(True), Counter.active.is_(True))
            .order_by(Office.code, Counter.code)
        ).all()
    assert len(rows) >= len(PLACE_OF), "the demo has a counter for each test"
    return [(office, counter) for office, counter in rows]


def place_for(live_server: str, test: str) -> tuple[str, str]:
    return demo_places(live_server)[PLACE_OF[test]]


def make_kiosk(context, live_server: str) -> None:
    """Give the browser context a kiosk cookie of its own, as staff's set-up does."""
    with LIVE_APPLICATIONS[live_server].test_request_context():
        response = Response()
        set_kiosk_cookie(response, f"browser-{uuid.uuid4().hex[:12]}")
    value = response.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
    context.add_cookies([{"name": KIOSK_COOKIE, "value": value, "url": live_server}])


@pytest.fixture
def kiosk(browser, live_server: str) -> Iterator[object]:
    """A tab of a fresh kiosk, JavaScript on."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    make_kiosk(context, live_server)
    tab = context.new_page()
    yield tab
    context.close()


def latest_answer(live_server: str, office_code: str, counter_code: str) -> CounterResponse:
    with LIVE_APPLICATIONS[live_server].app_context():
        found = db.session.scalars(
            select(CounterResponse)
            .join(Counter, Counter.id == CounterResponse.counter_id)
            .join(Office, Office.id == Counter.office_id)
            .where(Office.code == office_code, Counter.code == counter_code)
            .order_by(CounterResponse.id.desc())
        ).first()
        assert found is not None
        db.session.expunge(found)
        return found


def on_the_reason_step(tab) -> bool:
    return bool(tab.evaluate("document.querySelectorAll('button[name=reason]').length > 0"))


def on_the_faces(tab) -> bool:
    return bool(tab.evaluate("document.querySelectorAll('button[name=score]').length === 5"))


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_kiosk_and_phone_state_passes_axe(kiosk, live_server: str, prefix: str) -> None:
    office, counter = place_for(live_server, f"axe:{prefix}")
    suffix = prefix.replace("/", "-")
    start = f"{live_server}{prefix}/surveys/counter/{office}/{counter}/kiosk"
    kiosk.clock.install()
    response = kiosk.goto(start)
    assert response is not None
    assert response.status == 200
    assert axe_violations(kiosk) == [], "faces"
    save_screenshot(kiosk, f"kiosk-faces{suffix}")

    with kiosk.expect_navigation():
        kiosk.click("button[name=score][value='2']")
    assert on_the_reason_step(kiosk)
    assert kiosk.is_visible("#kiosk-return-note"), "the script says it returns after a pause"
    assert axe_violations(kiosk) == [], "reason step"
    save_screenshot(kiosk, f"kiosk-reason{suffix}")
    pause = int(kiosk.get_attribute("main", "data-kiosk-pause") or 0)
    warning = int(kiosk.get_attribute("main", "data-kiosk-warning") or 0)
    kiosk.clock.fast_forward((pause - warning + 1) * 1000)
    assert kiosk.text_content("#kiosk-return-warning"), "the warning before the return"
    assert axe_violations(kiosk) == [], "reason step, warning shown"
    save_screenshot(kiosk, f"kiosk-reason-warning{suffix}")

    with kiosk.expect_navigation():
        kiosk.click("button[name=reason][value=waiting]")
    assert on_the_faces(kiosk)
    assert kiosk.is_visible(".kiosk-thanks[role=status]")
    assert kiosk.evaluate("document.documentElement.lang") == "zh-Hant-TW", "the next visitor's start"
    assert kiosk.get_attribute(".kiosk-thanks", "lang") == ("en" if prefix else "zh-Hant-TW")
    assert axe_violations(kiosk) == [], "back on the faces, thanked"
    save_screenshot(kiosk, f"kiosk-thanks{suffix}")
    stored = latest_answer(live_server, office, counter)
    assert (stored.score, stored.reason) == (2, "waiting")

    kiosk.goto(start)
    with kiosk.expect_navigation():
        kiosk.click("button[name=score][value='5']")  # the same kiosk at once: its cool-down
    assert kiosk.is_visible(".error-code")
    assert axe_violations(kiosk) == [], "cool-down"
    save_screenshot(kiosk, f"kiosk-cool-down{suffix}")

    kiosk.goto(start)
    kiosk.evaluate("document.querySelector('button[name=score]').value = '9'")
    with kiosk.expect_navigation():
        kiosk.click("button[name=score]")
    assert "400" in (kiosk.text_content(".error-code") or "")
    assert axe_violations(kiosk) == [], "forged face"

    response = kiosk.goto(f"{live_server}{prefix}/surveys/counter/ZZ/NOPE/kiosk")
    assert response is not None
    assert response.status == 404
    assert axe_violations(kiosk) == [], "unknown counter"

    phone = f"{live_server}{prefix}/surveys/counter/{office}/{counter}"
    kiosk.goto(phone)
    assert axe_violations(kiosk) == [], "phone page"
    with kiosk.expect_navigation():
        kiosk.click("main form [type=submit]")
    assert kiosk.is_visible(".error-summary")
    assert axe_violations(kiosk) == [], "phone page, no face chosen"
    kiosk.check("input[name=score][value='4']")
    with kiosk.expect_navigation():
        kiosk.click("main form [type=submit]")
    assert kiosk.is_visible("[role=status]")
    assert axe_violations(kiosk) == [], "phone thanks"
    assert latest_answer(live_server, office, counter).channel == "qr"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_kiosk_is_answered_with_the_keyboard_alone(browser, live_server: str, javascript: bool) -> None:
    office, counter = place_for(live_server, f"keyboard:{'js' if javascript else 'no-js'}")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    make_kiosk(context, live_server)
    tab = context.new_page()
    try:
        tab.goto(f"{live_server}/surveys/counter/{office}/{counter}/kiosk")
        tab_until(tab, "button[name=score][value='4']", limit=10)
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        assert on_the_reason_step(tab)
        assert tab.is_visible("#kiosk-return-note") is javascript, "the note only where it is true"
        tab_until(tab, "button[name=reason][value=explanation]", limit=10)
        with tab.expect_navigation():
            tab.keyboard.press("Space")
        assert on_the_faces(tab)
        assert tab.url.endswith(f"/surveys/counter/{office}/{counter}/kiosk?thanks=zh")
        assert tab.is_visible(".kiosk-thanks")
        stored = latest_answer(live_server, office, counter)
        assert (stored.score, stored.reason, stored.channel) == (4, "explanation", "kiosk")
    finally:
        context.close()


def test_the_reason_step_returns_to_the_faces_after_its_pause_which_a_key_postpones(
    kiosk, live_server: str
) -> None:
    office, counter = place_for(live_server, "pause")
    kiosk.clock.install()
    kiosk.goto(f"{live_server}/surveys/counter/{office}/{counter}/kiosk")
    tab_until(kiosk, "button[name=score][value='3']", limit=10)
    with kiosk.expect_navigation():
        kiosk.keyboard.press("Enter")
    assert on_the_reason_step(kiosk)
    pause = int(kiosk.get_attribute("main", "data-kiosk-pause") or 0)
    assert pause == REASON_STEP_SECONDS
    assert str(pause) in (kiosk.text_content("#kiosk-return-note") or "")

    kiosk.clock.fast_forward((pause - 5) * 1000)
    assert on_the_reason_step(kiosk), "not yet"
    assert kiosk.text_content("#kiosk-return-warning"), "warned before the return"
    kiosk.keyboard.press("Shift")  # the visitor is still there
    assert kiosk.text_content("#kiosk-return-warning") == "", "the warning goes with the activity"
    kiosk.clock.fast_forward((pause - 10) * 1000)  # past the first pause's end, within the new one
    assert on_the_reason_step(kiosk), "a key started the pause again"

    with kiosk.expect_navigation():
        kiosk.clock.fast_forward(10 * 1000)
    assert on_the_faces(kiosk)
    assert kiosk.url.endswith(f"/surveys/counter/{office}/{counter}/kiosk"), "the start, without thanks"
    assert not kiosk.is_visible(".kiosk-thanks")
    stored = latest_answer(live_server, office, counter)
    assert (stored.score, stored.reason) == (3, ""), "the face is kept without a reason"
