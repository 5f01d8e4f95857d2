"""The satisfaction survey after a case: the closure mail's faces, the one-click answer, the rest, once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from feedback.cases.models import Case, CaseMail
from feedback.surveys.models import CaseSurvey, FollowUp
from portal.auth.roles import Role
from portal.db import db
from tests.feedback.cases.staff.conftest import forget_request_state, reload, token
from tests.support.pages import PageClient, csrf_token_of

FACE_LINK = re.compile(r"(https?://\S+/surveys/case/[\w-]+\?overall=(\d))")


def post(pages: PageClient, url: str, data: dict[str, Any]) -> Any:
    return pages.client.post(url, data={"csrf_token": token(pages), **data})


def close_with_reply(pages: PageClient, case: Case) -> None:
    url = f"/staff/cases/{case.number}/move"
    assert post(pages, url, {"move-target": "replied", "move-reply": "已更換水錶"}).status_code == 302
    assert post(pages, url, {"move-target": "closed"}).status_code == 302


def closure_mail(case: Case) -> CaseMail:
    mails = db.session.scalars(
        select(CaseMail).where(CaseMail.case_id == case.id).order_by(CaseMail.id)
    ).all()
    return mails[-1]


def face_links(body: str) -> dict[int, str]:
    return {
        int(score): urlsplit(url).path + "?" + urlsplit(url).query for url, score in FACE_LINK.findall(body)
    }


@pytest.fixture
def closed_case(open_today: Callable[..., Any], client_as: Callable[..., Any]) -> tuple[Case, dict[int, str]]:
    case = open_today("KL").case
    pages, _account = client_as(Role.CASE_OFFICER, office_code="KL")
    close_with_reply(pages, case)
    forget_request_state()
    return reload(case), face_links(closure_mail(case).body)


def survey_of(case: Case) -> CaseSurvey:
    db.session.expire_all()
    survey = db.session.scalar(select(CaseSurvey).where(CaseSurvey.case_id == case.id))
    assert survey is not None
    return survey


def test_the_closure_mail_carries_five_faces_and_the_token_is_stored_only_as_a_digest(
    closed_case: tuple[Case, dict[int, str]],
) -> None:
    case, links = closed_case
    assert sorted(links) == [1, 2, 3, 4, 5]
    assert "非常滿意：" in closure_mail(case).body
    survey = survey_of(case)
    token_in_mail = links[5].split("/surveys/case/")[1].split("?")[0]
    assert token_in_mail not in survey.token_digest
    assert len(survey.token_digest) == 64
    assert survey.overall is None


def test_a_face_is_recorded_on_the_click_and_the_page_takes_the_rest_once(
    closed_case: tuple[Case, dict[int, str]], client: Any
) -> None:
    case, links = closed_case
    clicked = client.get(links[4])
    assert clicked.status_code == 200
    assert clicked.headers["Cache-Control"] == "no-store"
    assert "已記錄您的整體評分" in clicked.get_data(as_text=True)
    assert survey_of(case).overall == 4  # recorded on the click, before any submit
    page = client.get(links[4].split("?")[0]).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="overall"[^>]*value="4"', page)
    form = {
        "csrf_token": csrf_token_of(page),
        "overall": "5",
        "timeliness": "4",
        "clarity": "5",
        "comment": "處理很快",
    }
    done = client.post(links[4].split("?")[0], data=form)
    assert done.status_code == 200, done.get_data(as_text=True)[-2000:]
    survey = survey_of(case)
    assert (survey.overall, survey.timeliness, survey.attitude, survey.clarity) == (5, 4, None, 5)
    assert survey.comment == "處理很快"
    assert survey.completed_at is not None
    again = client.post(links[4].split("?")[0], data=form)
    assert again.status_code == 409
    assert "只能填答一次" in again.get_data(as_text=True)
    assert client.get(links[1]).status_code == 409
    assert survey_of(case).overall == 5  # a click after completion changes nothing


def test_a_dissatisfied_answer_opens_a_follow_up_due_in_working_days_withdrawn_if_raised_before_any_work(
    closed_case: tuple[Case, dict[int, str]], client: Any
) -> None:
    case, links = closed_case
    assert client.get(links[2]).status_code == 200
    survey = survey_of(case)
    follow_up = db.session.scalar(select(FollowUp).where(FollowUp.survey_id == survey.id))
    assert follow_up is not None
    assert follow_up.office_id == case.office_id
    assert follow_up.due_on is not None
    assert follow_up.due_on > follow_up.opened_at.date()
    assert client.get(links[3]).status_code == 200  # the citizen corrects a mistaken click
    assert db.session.scalar(select(FollowUp).where(FollowUp.survey_id == survey.id)) is None
    client.get(links[1])
    assert db.session.scalar(select(FollowUp).where(FollowUp.survey_id == survey.id)) is not None


def test_unknown_expired_and_malformed_links_get_a_page_that_says_so(
    closed_case: tuple[Case, dict[int, str]], client: Any
) -> None:
    case, links = closed_case
    unknown = client.get("/surveys/case/not-a-token?overall=5")
    assert unknown.status_code == 404
    assert "找不到這份問卷" in unknown.get_data(as_text=True)
    assert client.get("/surveys/case/" + "x" * 500).status_code == 404
    bad = client.get(links[5].replace("overall=5", "overall=9"))
    assert bad.status_code == 400
    assert "請選擇整體滿意度" in bad.get_data(as_text=True)
    assert survey_of(case).overall is None
    survey = survey_of(case)
    survey.expires_at = survey.issued_at - timedelta(seconds=1)
    db.session.commit()
    expired = client.get(links[5])
    assert expired.status_code == 410
    assert "期限已過" in expired.get_data(as_text=True)
    assert survey_of(case).overall is None


def test_a_submission_without_the_overall_answer_is_refused_with_the_message_and_nothing_is_stored(
    closed_case: tuple[Case, dict[int, str]], client: Any
) -> None:
    case, links = closed_case
    url = links[5].split("?")[0]
    page = client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"csrf_token": csrf_token_of(page), "timeliness": "3", "overall": "7"})
    assert refused.status_code == 400
    assert 'href="#overall"' in refused.get_data(as_text=True)
    assert survey_of(case).completed_at is None
    assert survey_of(case).timeliness is None


def test_a_section_173_closure_or_a_case_without_reply_gets_no_survey(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    case = open_today("KL").case
    pages, _account = client_as(Role.CASE_OFFICER, office_code="KL")
    response = post(pages, f"/staff/cases/{case.number}/no-reply", {"no_reply-reason": "repeated"})
    assert response.status_code == 302
    assert db.session.scalar(select(CaseSurvey).where(CaseSurvey.case_id == case.id)) is None
    assert "/surveys/case/" not in closure_mail(case).body


def test_the_status_page_links_to_the_survey_which_opens_in_the_lookup_session(
    open_today: Callable[..., Any], client_as: Callable[..., Any], client: Any
) -> None:
    opened = open_today("KL")
    pages, _account = client_as(Role.CASE_OFFICER, office_code="KL")
    close_with_reply(pages, opened.case)
    forget_request_state()
    assert client.get("/surveys/case").status_code == 303  # no lookup session yet
    form = client.get("/cases/lookup").get_data(as_text=True)
    status = client.post(
        "/cases/lookup",
        data={"csrf_token": csrf_token_of(form), "number": opened.case.number, "password": opened.password},
    ).get_data(as_text=True)
    assert "/surveys/case" in status
    assert "填寫滿意度問卷" in status
    page = client.get("/surveys/case")
    assert page.status_code == 200
    done = client.post(
        "/surveys/case", data={"csrf_token": csrf_token_of(page.get_data(as_text=True)), "overall": "4"}
    )
    assert done.status_code == 200
    assert survey_of(opened.case).overall == 4
    assert "謝謝您填答這個案件的滿意度問卷" in client.get("/cases/status").get_data(as_text=True)
