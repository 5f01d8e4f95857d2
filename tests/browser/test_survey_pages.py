"""The survey after a case, the follow-ups and the questionnaire builder in a real Chromium.

Every state passes axe in both languages; the citizen answers the survey with the
keyboard alone.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.surveys.case_surveys import token_digest
from feedback.surveys.definition import Definition, Option, Question, QuestionKind, Section, Text
from feedback.surveys.models import CaseSurvey, FollowUp
from feedback.surveys.questionnaires import by_slug, create
from portal.db import db, utcnow
from portal.demo import DEMO_STAFF
from portal.offices.models import Office
from tests.browser.conftest import LIVE_APPLICATIONS, save_screenshot
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_case_workbench import sign_in
from tests.browser.test_keyboard import tab_until

pytestmark = pytest.mark.browser

PUBLISHER = DEMO_STAFF[1]
SUPERVISOR = next(account for account in DEMO_STAFF if account[0] == "supervisor.kl")


def open_survey(live_server: str) -> str:
    """A fresh token for a demo case's survey, made answerable again (the demo keeps no tokens)."""
    token = secrets.token_urlsafe(24)
    with LIVE_APPLICATIONS[live_server].app_context():
        survey = db.session.scalars(select(CaseSurvey).where(CaseSurvey.completed_at.is_not(None))).first()
        assert survey is not None
        survey.token_digest = token_digest(token)
        survey.completed_at = None
        survey.expires_at = utcnow() + timedelta(days=5)
        db.session.commit()
    return token


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_survey_after_a_case_passes_axe_in_every_state(page, live_server: str, prefix: str) -> None:
    clicked = open_survey(live_server)
    page.goto(f"{live_server}{prefix}/surveys/case/{clicked}?overall=2")
    assert axe_violations(page) == [], "face recorded"
    save_screenshot(page, f"case-survey{prefix.replace('/', '-')}")
    token = open_survey(live_server)
    with LIVE_APPLICATIONS[live_server].app_context():
        fresh = db.session.scalar(select(CaseSurvey).where(CaseSurvey.token_digest == token_digest(token)))
        assert fresh is not None
        fresh.overall = None
        db.session.commit()
    url = f"{live_server}{prefix}/surveys/case/{token}"
    page.goto(url)
    page.click("#submit")
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == [], "refused"
    page.check("#overall-0")
    page.click("#submit")
    page.wait_for_selector("[role=status]")
    assert axe_violations(page) == [], "thanks"
    page.goto(url)
    assert axe_violations(page) == [], "already answered"
    page.goto(f"{live_server}{prefix}/surveys/case/unknown-token")
    assert axe_violations(page) == [], "unknown"


def test_the_survey_is_answered_with_the_keyboard_alone(page, live_server: str) -> None:
    token = open_survey(live_server)
    page.goto(f"{live_server}/surveys/case/{token}")
    tab_until(page, "input[name=overall]", limit=80)
    page.keyboard.press("Space")  # the first face, very satisfied
    tab_until(page, "input[name=timeliness]", limit=10)
    page.keyboard.press("ArrowDown")  # satisfied
    tab_until(page, "#submit", limit=40)
    page.keyboard.press("Enter")
    page.wait_for_selector("[role=status]")
    with LIVE_APPLICATIONS[live_server].app_context():
        survey = db.session.scalar(select(CaseSurvey).where(CaseSurvey.token_digest == token_digest(token)))
        assert survey is not None
        assert (survey.overall, survey.timeliness) == (5, 4)
        assert survey.completed_at is not None


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_follow_up_pages_pass_axe(page, live_server: str, prefix: str) -> None:
    with LIVE_APPLICATIONS[live_server].app_context():
        keelung = select(Office.id).where(Office.code == "KL").scalar_subquery()
        mine = select(FollowUp).where(FollowUp.office_id == keelung)
        open_one = db.session.scalars(mine.where(FollowUp.done_at.is_(None))).first()
        done_one = db.session.scalars(mine.where(FollowUp.done_at.is_not(None))).first()
        ids = [item.id for item in (open_one, done_one) if item is not None]
    sign_in(page, live_server, SUPERVISOR)
    for path in ["/staff/surveys/follow-ups/", "/staff/surveys/follow-ups/?shown=all"] + [
        f"/staff/surveys/follow-ups/{i}" for i in ids
    ]:
        response = page.goto(live_server + prefix + path)
        assert response is not None
        assert response.status == 200, path
        assert axe_violations(page) == [], prefix + path


def _questionnaire(live_server: str) -> int:
    with LIVE_APPLICATIONS[live_server].app_context():
        found = by_slug(db.session, "browser-check")
        if found is None:
            asked = Question(
                "q1",
                QuestionKind.SINGLE,
                Text("您是否使用過網路申辦？", "Have you applied online?"),
                options=(Option("o1", Text("是", "Yes")), Option("o2", Text("否", "No"))),
            )
            found = create(
                db.session,
                slug="browser-check",
                title=Text("網路申辦調查", "Online services"),
                definition=Definition((Section("s1", Text("使用經驗", "Experience"), (asked,)),)),
            )
            db.session.commit()
        return found.id


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_builder_pages_pass_axe(page, live_server: str, prefix: str) -> None:
    number = _questionnaire(live_server)
    sign_in(page, live_server, PUBLISHER)
    base = f"{live_server}{prefix}/staff/surveys/questionnaires"
    for path in (
        "/",
        f"/{number}",
        f"/{number}/v/1",
        f"/{number}/v/1/questions/q1",
        f"/{number}/v/1/sections/s1",
        f"/{number}/results",
    ):
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        assert axe_violations(page) == [], prefix + path
    page.goto(f"{base}/{number}/v/1")
    page.click("details summary")
    page.click("form[action$='/sections/s1/questions'] input[type=submit]")
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == [], "refused question"
    save_screenshot(page, f"builder{prefix.replace('/', '-')}")


def _a_counter(live_server: str) -> tuple[str, str]:
    from feedback.surveys.models import Counter

    with LIVE_APPLICATIONS[live_server].app_context():
        found = db.session.execute(
            select(Office.code, Counter.code).join(Counter, Counter.office_id == Office.id).limit(1)
        ).first()
        assert found is not None, "the demo has counters"
        return found[0], found[1]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_counter_staff_pages_pass_axe(page, live_server: str, prefix: str) -> None:
    office, counter = _a_counter(live_server)
    sign_in(page, live_server, PUBLISHER)
    base = f"{live_server}{prefix}/staff/surveys/counters"
    year_ago = (utcnow() - timedelta(days=365)).date().isoformat()
    for path in (
        "",
        "/new",
        f"/{office}/{counter}",
        "/answers",
        f"/answers?start={year_ago}&end={utcnow().date().isoformat()}",
    ):
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        assert axe_violations(page) == [], prefix + path
    save_screenshot(page, f"counter-answers{prefix.replace('/', '-')}")
    response = page.goto(f"{base}/answers?start=2026-13-40&end=yesterday")
    assert response is not None
    assert response.status == 400
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == [], "refused range"
    page.goto(f"{base}/new")
    page.click("main form [type=submit]")
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == [], "refused new counter"
