"""The public questionnaire pages: every question kind drawn accessibly, pages and conditions, and every bad input refused with nothing stored."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from feedback.surveys import questionnaires
from feedback.surveys.questionnaire_models import Questionnaire, QuestionnaireVersion, Response
from portal.db import db, utcnow
from tests.feedback.surveys.questionnaire_fixtures import open_questionnaire
from tests.support.pages import csrf_token_of

URL = "/surveys/q/water-quality"


@pytest.fixture
def opened(app_context: None) -> tuple[Questionnaire, QuestionnaireVersion]:
    questionnaire, version = open_questionnaire(db.session, now=utcnow())
    db.session.commit()
    return questionnaire, version


def responses() -> int:
    """Responses to this module's questionnaire (other tests' rows may share the database)."""
    db.session.expire_all()
    query = (
        select(func.count())
        .select_from(Response)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .where(Questionnaire.slug == "water-quality")
    )
    return db.session.scalar(query) or 0


def state_of(page: str) -> str:
    found = BeautifulSoup(page, "html.parser").find("input", attrs={"name": "state"})
    assert found is not None
    return str(found["value"])


def send(client: Any, page: str, data: dict[str, Any], url: str = URL) -> Any:
    """Post a page as a browser does: the CSRF token and the signed draft of the page shown."""
    return client.post(
        url, data={"csrf_token": csrf_token_of(page), "state": state_of(page), "next": "下一頁", **data}
    )


def through_page_one(client: Any, used: str = "yes", url: str = URL) -> Any:
    first = client.get(url)
    assert first.status_code == 200
    return send(client, first.text, {"q-used": used, "q-rating": "4"}, url)


def text_of(page: Any) -> str:
    return BeautifulSoup(page.text, "html.parser").get_text(" ", strip=True)


def test_the_list_shows_the_open_questionnaire(client: Any, opened: Any) -> None:
    page = client.get("/surveys/q/")
    assert 'href="/surveys/q/water-quality"' in page.text


def test_the_home_page_links_to_the_list(client: Any) -> None:
    assert 'href="/surveys/q/"' in client.get("/").text


def test_the_first_page_asks_only_what_no_condition_decides(client: Any, opened: Any) -> None:
    page = client.get(URL)
    assert page.headers["Cache-Control"] == "no-store"
    names = {item["name"] for item in BeautifulSoup(page.text, "html.parser").select("input[name^=q-]")}
    assert names == {"q-used", "q-rating"}


def test_choice_questions_are_fieldsets_with_legends_and_the_required_mark(client: Any, opened: Any) -> None:
    soup = BeautifulSoup(client.get(URL).text, "html.parser")
    fieldset = soup.find("fieldset", id="q-used")
    assert fieldset is not None
    assert "（必填）" in fieldset.legend.get_text()
    assert [radio["value"] for radio in fieldset.select("input[type=radio]")] == ["yes", "no"]


def test_help_text_is_tied_to_its_question(client: Any, opened: Any) -> None:
    soup = BeautifulSoup(client.get(URL).text, "html.parser")
    fieldset = soup.find("fieldset", id="q-used")
    assert fieldset["aria-describedby"] == "q-used-hint"
    assert soup.find(id="q-used-hint").get_text(strip=True) == "最近一年內"


def test_the_english_page_shows_the_english_texts(client: Any, opened: Any) -> None:
    page = client.get("/en" + URL)
    assert "Water quality survey" in page.text
    assert "In the past year" in page.text


def test_an_answer_on_page_one_shows_the_section_it_opens(client: Any, opened: Any) -> None:
    second = through_page_one(client, "yes")
    soup = BeautifulSoup(second.text, "html.parser")
    assert soup.find("fieldset", id="q-channels") is not None
    assert soup.find("fieldset", id="q-agree") is not None
    assert (
        next(radio.find_next("label").get_text(strip=True) for radio in soup.select("#q-agree input"))
        == "非常不同意"
    )


def test_the_other_answer_has_a_labelled_text_box(client: Any, opened: Any) -> None:
    soup = BeautifulSoup(through_page_one(client, "yes").text, "html.parser")
    assert soup.find("label", attrs={"for": "q-channels-other"}) is not None
    assert soup.find("input", id="q-channels-other") is not None


def test_a_section_hidden_by_the_conditions_is_skipped(client: Any, opened: Any) -> None:
    third = through_page_one(client, "no")
    soup = BeautifulSoup(third.text, "html.parser")
    assert soup.find("fieldset", id="q-agree") is None
    assert soup.find("label", attrs={"for": "q-people"}) is not None


def test_number_date_and_text_questions_have_labels(client: Any, opened: Any) -> None:
    soup = BeautifulSoup(through_page_one(client, "no").text, "html.parser")
    for key in ("people", "when", "name", "comment"):
        assert soup.find("label", attrs={"for": f"q-{key}"}) is not None, key
    assert soup.find("input", id="q-when")["type"] == "date"
    assert soup.find("input", id="q-people")["inputmode"] == "decimal"
    assert soup.find("textarea", id="q-comment") is not None


def test_a_whole_response_is_stored_once_and_the_visitor_is_thanked(client: Any, opened: Any) -> None:
    second = through_page_one(client, "yes")
    done = send(
        client,
        second.text,
        {
            "q-channels": ["a", "_other"],
            "q-channels-other": "電話",
            "q-agree": "5",
            "q-people": "３",
            "q-when": "2026-11-30",
            "q-name": "",
            "q-comment": "很好",
        },
    )
    assert done.status_code == 303
    assert client.get(done.headers["Location"]).status_code == 200
    response = db.session.scalar(
        select(Response).join(QuestionnaireVersion).where(QuestionnaireVersion.id == opened[1].id)
    )
    assert json.loads(response.answers) == {
        "used": "yes",
        "rating": 4,
        "channels": ["a", "_other"],
        "agree": 5,
        "people": "3",
        "when": "2026-11-30",
        "comment": "很好",
    }
    assert json.loads(response.others) == {"channels": "電話"}
    assert response.submitted_at is None


def test_back_keeps_the_answers_of_the_page_left(client: Any, opened: Any) -> None:
    second = through_page_one(client, "yes")
    back = client.post(
        URL,
        data={
            "csrf_token": csrf_token_of(second.text),
            "state": state_of(second.text),
            "back": "上一頁",
            "q-agree": "2",
        },
    )
    soup = BeautifulSoup(back.text, "html.parser")
    assert soup.find("input", attrs={"name": "q-used", "value": "yes"}).has_attr("checked")
    again = send(client, back.text, {"q-used": "yes"})
    assert (
        BeautifulSoup(again.text, "html.parser")
        .find("input", attrs={"name": "q-agree", "value": "2"})
        .has_attr("checked")
    )


def test_a_missing_required_answer_is_shown_in_the_summary_linking_to_the_question(
    client: Any, opened: Any
) -> None:
    first = client.get(URL)
    page = send(client, first.text, {"q-rating": "4"})
    assert page.status_code == 400
    summary = BeautifulSoup(page.text, "html.parser").select_one(".error-summary a")
    assert summary["href"] == "#q-used"
    assert "請回答這一題" in summary.get_text()
    assert responses() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q-used": "maybe"}, "請從列出的選項中選擇"),
        ({"q-used": "yes", "q-rating": "9"}, "請選擇 1 到 5 的分數"),
    ],
)
def test_an_answer_outside_the_options_is_refused(
    client: Any, opened: Any, data: dict[str, str], message: str
) -> None:
    page = send(client, client.get(URL).text, data)
    assert page.status_code == 400
    assert message in text_of(page)
    assert responses() == 0


def test_bad_number_and_date_answers_are_refused_next_to_the_field(client: Any, opened: Any) -> None:
    third = through_page_one(client, "no")
    page = send(client, third.text, {"q-people": "200", "q-when": "2026-02-30"})
    assert page.status_code == 400
    soup = BeautifulSoup(page.text, "html.parser")
    assert [link["href"] for link in soup.select(".error-summary a")] == ["#q-people", "#q-when"]
    assert soup.find("input", id="q-people")["value"] == "200"
    assert responses() == 0


def test_the_other_box_left_blank_is_reported_on_the_box(client: Any, opened: Any) -> None:
    second = through_page_one(client, "yes")
    page = send(client, second.text, {"q-channels": ["_other"], "q-agree": "3"})
    assert page.status_code == 400
    assert (
        BeautifulSoup(page.text, "html.parser").select_one(".error-summary a")["href"] == "#q-channels-other"
    )


def test_an_answer_to_a_question_the_conditions_hide_is_refused(client: Any, opened: Any) -> None:
    third = through_page_one(client, "no")
    page = send(client, third.text, {"q-agree": "5"})
    assert page.status_code == 400
    assert "不必填寫的題目" in text_of(page)
    assert responses() == 0


@pytest.mark.parametrize(
    "extra", [{"q-nothing": "x"}, {"is_admin": "1"}, {"q-rating-other": "x"}, {"q-comment": "x"}]
)
def test_unknown_fields_are_refused(client: Any, opened: Any, extra: dict[str, str]) -> None:
    page = send(client, client.get(URL).text, {"q-used": "yes", **extra})
    assert page.status_code == 400
    assert "不屬於這一頁的欄位" in text_of(page)


@pytest.mark.parametrize("state", ["", "forged", "eyJ2IjoxfQ.abc.def"])
def test_a_forged_or_missing_draft_is_refused(client: Any, opened: Any, state: str) -> None:
    first = client.get(URL)
    page = client.post(URL, data={"csrf_token": csrf_token_of(first.text), "state": state, "q-used": "yes"})
    assert page.status_code == 400
    assert "請從第一頁重新填寫" in text_of(page)


def test_a_submission_after_the_close_is_refused_and_stores_nothing(client: Any, opened: Any) -> None:
    questionnaire, _version = opened
    second = through_page_one(client, "no")
    questionnaires.close(db.session, questionnaire, utcnow() - timedelta(seconds=1))
    db.session.commit()
    page = send(client, second.text, {})
    assert page.status_code == 410
    assert "已經截止" in text_of(page)
    assert responses() == 0


def test_a_questionnaire_not_open_yet_says_when_it_opens(client: Any, app_context: None) -> None:
    _questionnaire, _version = open_questionnaire(db.session, now=utcnow() + timedelta(days=3))
    db.session.commit()
    page = client.get(URL)
    assert page.status_code == 403
    assert "尚未開放" in text_of(page)


def test_the_english_refusal_is_in_english(client: Any, opened: Any) -> None:
    questionnaire, _version = opened
    questionnaires.close(db.session, questionnaire, utcnow() - timedelta(seconds=1))
    db.session.commit()
    page = client.get("/en" + URL)
    assert page.status_code == 410
    assert page.headers["Content-Language"].startswith("en") if "Content-Language" in page.headers else True
    assert re.search(r'<html[^>]+lang="en"', page.text)


def test_an_unknown_questionnaire_is_not_found(client: Any, app_context: None) -> None:
    assert client.get("/surveys/q/no-such-thing").status_code == 404


def invited_questionnaire() -> str:
    questionnaire, _version = open_questionnaire(db.session, now=utcnow())
    [token] = questionnaires.issue_invitations(
        db.session, questionnaire, 1, utcnow() - timedelta(hours=1), utcnow() + timedelta(days=7)
    )
    db.session.commit()
    return token


def answer_all(client: Any, url: str) -> Any:
    second = through_page_one(client, "no", url)
    return send(client, second.text, {"q-people": "2"}, url)


def test_an_invitation_link_is_used_once(client: Any, app_context: None) -> None:
    token = invited_questionnaire()
    assert answer_all(client, f"/surveys/q/i/{token}").status_code == 303
    again = client.get(f"/surveys/q/i/{token}")
    assert again.status_code == 409
    assert "只能填答一次" in text_of(again)
    assert responses() == 1


def test_an_invitation_by_query_is_used_once(client: Any, app_context: None) -> None:
    token = invited_questionnaire()
    assert answer_all(client, f"{URL}?token={token}").status_code == 303
    assert client.get(f"{URL}?token={token}").status_code == 409


def test_a_page_sent_again_after_its_invitation_was_used_stores_nothing(
    client: Any, app_context: None
) -> None:
    token = invited_questionnaire()
    url = f"/surveys/q/i/{token}"
    last = through_page_one(client, "no", url)
    assert send(client, last.text, {"q-people": "2"}, url).status_code == 303
    assert send(client, last.text, {"q-people": "2"}, url).status_code == 409
    assert responses() == 1


def test_the_last_page_sent_again_stores_one_response(client: Any, opened: Any) -> None:
    last = through_page_one(client, "no")
    assert send(client, last.text, {"q-people": "2"}).status_code == 303
    again = send(client, last.text, {"q-people": "3"})
    assert again.status_code == 409
    assert "同一份答案不會再儲存一次" in text_of(again)
    assert 'href="/surveys/q/water-quality/thanks"' in again.text
    assert responses() == 1
    fresh = through_page_one(client, "no")
    assert send(client, fresh.text, {"q-people": "2"}).status_code == 303, "a new filling-in is stored"
    assert responses() == 2


def test_a_draft_without_its_key_is_refused_as_stale(client: Any, opened: Any) -> None:
    from feedback.surveys.questionnaire_forms import _serializer

    first = client.get(URL)
    with client.application.test_request_context():
        keyless = _serializer().dumps({"v": opened[1].id, "p": 0, "a": {}, "o": {}})
    data = {"csrf_token": csrf_token_of(first.text), "state": keyless, "next": "下一頁"}
    refused = client.post(URL, data={**data, "q-used": "yes", "q-rating": "4"})
    assert refused.status_code == 400
    assert responses() == 0


@pytest.mark.parametrize("url", ["/surveys/q/i/forged-token", f"{URL}?token=forged-token"])
def test_a_forged_token_is_refused(client: Any, app_context: None, url: str) -> None:
    invited_questionnaire()
    page = client.get(url)
    assert page.status_code == 404
    assert "連結不正確" in text_of(page)


def test_without_its_invitation_an_invitation_only_questionnaire_is_refused(
    client: Any, app_context: None
) -> None:
    invited_questionnaire()
    page = client.get(URL)
    assert page.status_code == 403
    assert "邀請連結" in text_of(page)


def test_the_preview_is_a_staff_page(client: Any, opened: Any) -> None:
    questionnaire, _version = opened
    preview = f"/staff/surveys/questionnaires/{questionnaire.id}/v/1/preview"
    assert client.get(preview).status_code == 302
    assert client.get(f"{URL}/preview/1").status_code == 404, "no preview among the public pages"
