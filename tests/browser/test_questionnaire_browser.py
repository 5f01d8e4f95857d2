"""The public questionnaires in a real Chromium: axe on every page, the keyboard alone, no JavaScript.

One questionnaire of this module asks one question of each kind on its first page and,
on the next page, a question shown only to those who answered "yes" first.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from feedback.surveys import questionnaires
from feedback.surveys.definition import (
    OTHER,
    Condition,
    Definition,
    Operator,
    Option,
    Question,
    QuestionKind,
    Section,
    Text,
)
from feedback.surveys.questionnaire_models import Response
from portal.db import db, utcnow
from tests.browser.conftest import LIVE_APPLICATIONS, save_screenshot
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_keyboard import tab_until

pytestmark = pytest.mark.browser

CLOSED = "water-saving-2026"  # the demo's closed questionnaire, its results public

USED = Question(
    "used",
    QuestionKind.SINGLE,
    Text("您最近一年來過服務中心嗎？", "Have you visited a service centre this year?"),
    help=Text("包括各地營運所", "Any of our local offices counts"),
    required=True,
    options=(Option("yes", Text("來過", "Yes")), Option("no", Text("沒來過", "No"))),
)
CHANNELS = Question(
    "channels",
    QuestionKind.MULTIPLE,
    Text("您從哪裡得知停水消息？", "Where do you hear of outages?"),
    options=(Option("sms", Text("簡訊", "Text message")), Option("web", Text("網站", "Website"))),
    allow_other=True,
)
AGREE = Question(
    "agree", QuestionKind.LIKERT, Text("帳單容易看懂", "The bill is easy to read"), required=True
)
RATING = Question("rating", QuestionKind.RATING, Text("整體服務評分", "Your overall rating"))
PEOPLE = Question(
    "people", QuestionKind.NUMBER, Text("家中人數", "People in your home"), minimum="1", maximum="20"
)
WHEN = Question("when", QuestionKind.DATE, Text("最近一次停水的日期", "The date of the last outage"))
NAME = Question("name", QuestionKind.SHORT_TEXT, Text("您的稱呼", "What should we call you?"))
COMMENT = Question("comment", QuestionKind.LONG_TEXT, Text("其他意見", "Anything else"))
VISIT = Question(
    "visit",
    QuestionKind.SINGLE,
    Text("您在服務中心等候多久？", "How long did you wait at the centre?"),
    required=True,
    options=(Option("short", Text("十分鐘內", "Under ten minutes")), Option("long", Text("更久", "Longer"))),
    condition=Condition("used", Operator.EQUALS, ("yes",)),
)
CONTACT = Question(
    "contact", QuestionKind.SHORT_TEXT, Text("聯絡方式（可不填）", "How to reach you (optional)")
)
FIRST_PAGE = (USED, CHANNELS, AGREE, RATING, PEOPLE, WHEN, NAME, COMMENT)
CHOICE_GROUPS = (USED, CHANNELS, AGREE, RATING)

DEFINITION = Definition(
    sections=(
        Section("about", Text("您的經驗", "Your experience"), FIRST_PAGE),
        Section("visit", Text("到場經驗", "Your visit"), (VISIT,)),
        Section("end", Text("最後", "Last"), (CONTACT,)),
    )
)


@dataclass(frozen=True)
class Made:
    slug: str
    version_id: int


@pytest.fixture(scope="module")
def made(live_server: str) -> Made:
    """The module's questionnaire on the live site, open from yesterday for a month."""
    slug = f"browser-kinds-{secrets.token_hex(4)}"
    with LIVE_APPLICATIONS[live_server].app_context():
        now = utcnow()
        questionnaire = questionnaires.create(
            db.session,
            slug=slug,
            title=Text("服務經驗調查", "Service experience"),
            description=Text("請告訴我們您的經驗。", "Tell us how it went."),
            definition=DEFINITION,
        )
        version = questionnaires.versions_of(db.session, questionnaire)[0]
        questionnaires.publish(db.session, version, now - timedelta(days=1), now + timedelta(days=30), now)
        db.session.commit()
        return Made(slug, version.id)


@pytest.fixture
def no_script(browser) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def stored_responses(live_server: str, version_id: int) -> list[tuple[dict[str, Any], dict[str, str]]]:
    with LIVE_APPLICATIONS[live_server].app_context():
        rows = db.session.execute(
            select(Response.answers, Response.others)
            .where(Response.version_id == version_id)
            .order_by(Response.id)
        )
        return [(json.loads(answers), json.loads(others or "{}")) for answers, others in rows]


def label(question: Question, prefix: str) -> str:
    return question.label.en if prefix == "/en" else question.label.zh


def error_links(tab) -> list[str]:
    """The error summary's link targets, once it is shown, focused and announced; each must exist."""
    summary = tab.locator(".error-summary")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert", "announced"
    assert tab.evaluate("document.activeElement.classList.contains('error-summary')"), "focused"
    targets: list[str] = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for target in targets:
        assert target.startswith("#")
        assert tab.locator(target).count() == 1, f"{target} is on the page"
    return targets


def answer_first_page(tab, used: str) -> None:
    """The required answers of the first page, by mouse (the keyboard has its own test)."""
    tab.check(f"input[name=q-used][value={used}]")
    tab.check("input[name=q-agree][value='4']")
    tab.click("#next")


LANGUAGES = pytest.mark.parametrize("prefix", ["", "/en"])


@LANGUAGES
def test_every_questionnaire_page_passes_axe(page, live_server: str, made: Made, prefix: str) -> None:
    base = f"{live_server}{prefix}/surveys/q"
    response = page.goto(f"{base}/")
    assert response is not None
    assert response.status == 200
    assert page.locator(f"a[href$='/surveys/q/{made.slug}']").count() == 1, "listed while open"
    assert axe_violations(page) == [], "list"

    response = page.goto(f"{base}/{made.slug}")
    assert response is not None
    assert response.status == 200
    assert axe_violations(page) == [], "first page"
    save_screenshot(page, f"questionnaire{prefix.replace('/', '-')}")

    with page.expect_navigation():
        page.click("#next")  # nothing answered: two required answers missing
    assert error_links(page) == ["#q-used", "#q-agree"]
    assert label(USED, prefix) in page.locator(".error-summary").inner_text()
    assert page.locator("#q-used").get_attribute("aria-describedby") == "q-used-hint q-used-error"
    assert axe_violations(page) == [], "refused"
    save_screenshot(page, f"questionnaire-refused{prefix.replace('/', '-')}")

    page.check("#q-channels-2")  # "other", its words left out
    with page.expect_navigation():
        answer_first_page(page, "yes")
    assert error_links(page) == ["#q-channels-other"]
    assert page.get_attribute("#q-channels-other", "aria-describedby") == "q-channels-other-error"
    assert axe_violations(page) == [], "other text missing"
    page.fill("#q-channels-other", "A neighbour")
    page.click("#next")
    page.locator("#q-visit").wait_for()
    assert axe_violations(page) == [], "the page a condition shows"

    page.check("input[name=q-visit][value=short]")
    with page.expect_navigation():
        page.click("#next")
    assert page.url.endswith(f"/surveys/q/{made.slug}/thanks")
    assert page.locator("[role=status]").count() == 1
    assert axe_violations(page) == [], "thanks"

    response = page.goto(f"{base}/{CLOSED}")
    assert response is not None
    assert response.status == 410
    assert axe_violations(page) == [], "closed"

    response = page.goto(f"{base}/no-such-questionnaire")
    assert response is not None
    assert response.status == 404
    assert axe_violations(page) == [], "unknown"

    response = page.goto(f"{live_server}{prefix}/surveys/results/{CLOSED}")
    assert response is not None
    assert response.status == 200
    assert page.locator("figure svg").count() > 0
    assert page.locator("table").count() > 0
    assert axe_violations(page) == [], "results"
    save_screenshot(page, f"questionnaire-results{prefix.replace('/', '-')}")


@LANGUAGES
def test_every_choice_group_is_a_fieldset_named_by_its_legend(
    page, live_server: str, made: Made, prefix: str
) -> None:
    page.goto(f"{live_server}{prefix}/surveys/q/{made.slug}")
    for question in CHOICE_GROUPS:
        legend = page.locator(f"fieldset#q-{question.key} > legend")
        assert legend.count() == 1, question.key
        assert label(question, prefix) in legend.inner_text()
    loose = page.evaluate(
        """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
            .filter(input => !input.closest('fieldset')?.querySelector(':scope > legend')?.textContent.trim())
            .map(input => input.id)"""
    )
    assert loose == [], "every choice is inside a fieldset with a legend"


def press(tab, *keys: str) -> None:
    for key in keys:
        tab.keyboard.press(key)


def focused(tab, expression: str = "document.activeElement.id") -> Any:
    return tab.evaluate(expression)


def test_every_kind_is_answered_with_the_keyboard_alone(page, live_server: str, made: Made) -> None:
    before = len(stored_responses(live_server, made.version_id))
    marker = f"鍵盤 {secrets.token_hex(3)}"
    page.goto(f"{live_server}/en/surveys/q/{made.slug}")

    tab_until(page, "input[name=q-used]", limit=80)
    assert focused(page) == "q-used-0"
    press(page, "Space", "ArrowDown", "ArrowUp")  # yes, no, then yes again
    assert page.is_checked("#q-used-0")
    assert not page.is_checked("#q-used-1")

    press(page, "Tab")
    assert focused(page) == "q-channels-0"
    press(page, "Space", "Tab", "Tab")  # text message; past website to "other"
    assert focused(page, "document.activeElement.value") == OTHER
    press(page, "Space", "Tab")
    assert focused(page) == "q-channels-other"
    page.keyboard.type("Neighbours")

    press(page, "Tab")
    assert focused(page) == "q-agree-0"
    press(page, "ArrowDown", "ArrowDown", "ArrowDown")  # agree (4)
    press(page, "Tab")
    assert focused(page) == "q-rating-0"
    press(page, "Shift+Tab")  # back into the Likert group: its checked point takes focus
    assert focused(page) == "q-agree-3"
    press(page, "Tab", "Space", "ArrowRight", "ArrowRight")  # rating 1, then 3
    assert focused(page) == "q-rating-2"

    press(page, "Tab")
    assert focused(page) == "q-people"
    page.keyboard.type("3")
    press(page, "Tab")
    assert focused(page) == "q-when"
    assert focused(page, "document.activeElement.type") == "date"
    page.keyboard.type("01312026")  # Chromium's en-US date input: month, day, year
    assert page.input_value("#q-when") == "2026-01-31"
    # A date input holds three parts (month, day, year), each a Tab stop in Chromium.
    tab_until(page, "#q-name", limit=4)
    page.keyboard.type(marker)
    press(page, "Tab")
    assert focused(page) == "q-comment"
    page.keyboard.type("First line")
    press(page, "Enter")
    page.keyboard.type("Second line")

    tab_until(page, "#next", limit=3)
    with page.expect_navigation():
        press(page, "Enter")
    assert page.locator("#q-visit").count() == 1, "the question the first answer shows"
    tab_until(page, "input[name=q-visit]", limit=80)
    press(page, "Space", "ArrowDown")  # longer
    tab_until(page, "#next", limit=5)
    with page.expect_navigation():
        press(page, "Enter")
    assert page.url.endswith(f"/surveys/q/{made.slug}/thanks")

    stored = stored_responses(live_server, made.version_id)
    assert len(stored) == before + 1
    answers, others = stored[-1]
    assert answers == {
        "used": "yes",
        "channels": ["sms", OTHER],
        "agree": 4,
        "rating": 3,
        "people": "3",
        "when": "2026-01-31",
        "name": marker,
        "comment": "First line\nSecond line",
        "visit": "long",
    }
    assert others == {"channels": "Neighbours"}


def test_without_javascript_the_conditional_question_follows_its_answer(
    no_script, live_server: str, made: Made
) -> None:
    url = f"{live_server}/surveys/q/{made.slug}"
    no_script.goto(url)
    assert no_script.locator("#q-visit").count() == 0, "not before its answer is known"
    answer_first_page(no_script, "yes")
    no_script.locator("#q-contact").wait_for()
    assert no_script.locator("fieldset#q-visit").count() == 1, "shown after yes"

    no_script.goto(url)
    answer_first_page(no_script, "no")
    no_script.locator("#q-contact").wait_for()
    assert no_script.locator("#q-visit, [name=q-visit]").count() == 0, "hidden after no"
    no_script.fill("#q-contact", "0912")
    no_script.click("#next")
    no_script.wait_for_url(f"{url}/thanks")
