"""The staff questionnaire builder: a questionnaire made, its questions added and changed, published, versioned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from feedback.cases.handling import local_day
from feedback.surveys.definition import Operator, QuestionKind
from feedback.surveys.questionnaire_models import Questionnaire, QuestionnaireVersion
from feedback.surveys.questionnaires import definition_of
from portal.auth.roles import Role
from portal.db import db, utcnow
from tests.feedback.cases.staff.conftest import token
from tests.support.pages import PageClient

BASE = "/staff/surveys/questionnaires"


@pytest.fixture
def manager(client_as: Callable[..., Any]) -> PageClient:
    pages, _account = client_as(Role.PUBLISHER)
    return pages


def post(pages: PageClient, url: str, data: dict[str, Any]) -> Any:
    return pages.client.post(url, data={"csrf_token": token(pages, BASE + "/"), **data})


def question(prefix: str, **fields: Any) -> dict[str, Any]:
    values = {"kind": "short_text", "label_zh": "題目", "condition_operator": "equals", **fields}
    return {f"{prefix}-{name}": value for name, value in values.items()}


def stored(slug: str) -> tuple[Questionnaire, list[QuestionnaireVersion]]:
    db.session.expire_all()
    found = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    assert found is not None
    versions = db.session.scalars(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == found.id)
        .order_by(QuestionnaireVersion.number)
    ).all()
    return found, list(versions)


def made(manager: PageClient, slug: str = "water-saving") -> Questionnaire:
    response = post(manager, BASE + "/new", {"slug": slug, "title_zh": "節約用水意見調查", "anonymous": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)[-1500:]
    questionnaire, _versions = stored(slug)
    first = question(
        "new_section",
        kind="single",
        label_zh="您家中有省水器材嗎？",
        options="有 | Yes\n沒有 | No",
        required="y",
    )
    url = f"{BASE}/{questionnaire.id}/v/1/sections"
    assert post(manager, url, {"new_section-section_title_zh": "用水習慣", **first}).status_code == 303
    return questionnaire


def test_a_questionnaire_is_built_with_a_condition_typed_as_the_option_s_words(manager: PageClient) -> None:
    questionnaire = made(manager)
    _q, (version,) = stored("water-saving")
    section = definition_of(version).sections[0].key
    why = question(
        f"add_{section}",
        kind="long_text",
        label_zh="為什麼沒有？",
        condition_question="q1",
        condition_values="沒有",
    )
    assert (
        post(manager, f"{BASE}/{questionnaire.id}/v/1/sections/{section}/questions", why).status_code == 303
    )
    definition = definition_of(stored("water-saving")[1][0])
    asked, followed = definition.questions()
    assert (asked.kind, [o.label.en for o in asked.options], asked.required) == (
        QuestionKind.SINGLE,
        ["Yes", "No"],
        True,
    )
    assert followed.condition is not None
    assert (followed.condition.question, followed.condition.operator, followed.condition.values) == (
        "q1",
        Operator.EQUALS,
        ("o2",),
    )
    page = str(manager.get(f"{BASE}/{questionnaire.id}/v/1"))
    assert "為什麼沒有？" in page
    assert "o2：沒有" in page


def test_unsound_steps_are_refused_with_the_reason_and_nothing_changes(manager: PageClient) -> None:
    questionnaire = made(manager)
    before = stored("water-saving")[1][0].definition
    section = definition_of(stored("water-saving")[1][0]).sections[0].key
    one_option = question(f"add_{section}", kind="single", label_zh="只有一個選項", options="是")
    refused = post(manager, f"{BASE}/{questionnaire.id}/v/1/sections/{section}/questions", one_option)
    assert refused.status_code == 400
    assert "至少要有 2 個選項" in refused.get_data(as_text=True)
    emptied = post(manager, f"{BASE}/{questionnaire.id}/v/1/steps/question-remove/q1", {})
    assert emptied.status_code == 400
    assert "段落至少要有一個題目" in emptied.get_data(as_text=True)
    later = question(
        f"add_{section}", label_zh="依後面的題目", condition_question="q9", condition_operator="answered"
    )
    assert (
        post(manager, f"{BASE}/{questionnaire.id}/v/1/sections/{section}/questions", later).status_code == 400
    )
    no_label = question(f"add_{section}", label_zh="")
    assert (
        post(manager, f"{BASE}/{questionnaire.id}/v/1/sections/{section}/questions", no_label).status_code
        == 400
    )
    assert post(manager, f"{BASE}/{questionnaire.id}/v/1/steps/teleport/q1", {}).status_code == 404
    assert manager.client.get(f"{BASE}/{questionnaire.id}/v/1/questions/q404").status_code == 404
    assert manager.client.get(f"{BASE}/99999999999999/v/1").status_code == 404
    assert stored("water-saving")[1][0].definition == before
    taken = post(manager, BASE + "/new", {"slug": "water-saving", "title_zh": "重複"})
    assert taken.status_code == 400
    assert "已經有問卷使用這個網址代稱" in taken.get_data(as_text=True)
    assert post(manager, BASE + "/new", {"slug": "Bad Slug!", "title_zh": "壞代稱"}).status_code == 400


def test_a_published_version_takes_rewording_in_place_and_other_changes_as_a_new_version(
    manager: PageClient,
) -> None:
    questionnaire = made(manager)
    today = local_day(utcnow())
    reversed_dates = {"opens_on": today.isoformat(), "closes_on": (today - timedelta(days=3)).isoformat()}
    assert post(manager, f"{BASE}/{questionnaire.id}/v/1/publish", reversed_dates).status_code == 400
    dates = {"opens_on": today.isoformat(), "closes_on": (today + timedelta(days=30)).isoformat()}
    assert post(manager, f"{BASE}/{questionnaire.id}/v/1/publish", dates).status_code == 303
    _q, (version,) = stored("water-saving")
    assert version.published_at is not None
    reworded = question(
        "", kind="single", label_zh="您家中是否有省水器材？", options="有 | Yes\n沒有 | No", required="y"
    )
    reworded = {key.lstrip("-"): value for key, value in reworded.items()}
    assert post(manager, f"{BASE}/{questionnaire.id}/v/1/questions/q1", reworded).status_code == 303
    _q, versions = stored("water-saving")
    assert len(versions) == 1
    assert definition_of(versions[0]).questions()[0].label.zh == "您家中是否有省水器材？"
    changed = {**reworded, "options": "有 | Yes\n沒有 | No\n不知道 | Not sure"}
    response = post(manager, f"{BASE}/{questionnaire.id}/v/1/questions/q1", changed)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{BASE}/{questionnaire.id}/v/2")
    _q, versions = stored("water-saving")
    assert [len(definition_of(v).questions()[0].options) for v in versions] == [2, 3]
    assert "存成新的第 2 版" in str(manager.get(f"{BASE}/{questionnaire.id}/v/2"))


def test_invitations_are_shown_once_and_bad_counts_refused(manager: PageClient) -> None:
    questionnaire = made(manager)
    today = local_day(utcnow())
    window = {"valid_from": today.isoformat(), "valid_until": (today + timedelta(days=7)).isoformat()}
    assert (
        post(manager, f"{BASE}/{questionnaire.id}/invitations", {"count": "0", **window}).status_code == 400
    )
    issued = post(manager, f"{BASE}/{questionnaire.id}/invitations", {"count": "3", **window})
    assert issued.status_code == 200
    shown = issued.get_data(as_text=True)
    links = shown.split("readonly>")[1].split("</textarea>")[0].split()
    assert len(set(links)) == 3
    assert all("/surveys/q/i/" in link for link in links)
    assert all(link not in str(manager.get(f"{BASE}/{questionnaire.id}")) for link in links)


def test_only_survey_managers_reach_the_builder(client_as: Callable[..., Any]) -> None:
    officer, _account = client_as(Role.CASE_OFFICER, office_code="KL")
    assert officer.client.get(BASE + "/").status_code == 403
    assert officer.client.get(BASE + "/1/v/1/preview").status_code == 403


def test_a_draft_is_previewed_page_by_page_and_nothing_is_stored(manager: PageClient) -> None:
    questionnaire = made(manager)
    url = f"{BASE}/{questionnaire.id}/v/1/preview"
    assert f'href="{url}"' in str(manager.get(f"{BASE}/{questionnaire.id}/v/1"))
    first = manager.client.get(url)
    assert first.status_code == 200
    shown = first.get_data(as_text=True)
    assert "預覽第 1 版" in shown
    assert "您家中有省水器材嗎？" in shown
    assert f'action="{url}"' in shown
    state = shown.split('name="state" value="')[1].split('"')[0]
    token_value = shown.split('name="csrf_token" value="')[1].split('"')[0]
    sent = manager.client.post(
        url, data={"csrf_token": token_value, "state": state, "next": "送出", "q-q1": "o1"}
    )
    assert sent.status_code == 200
    assert "答案沒有儲存" in sent.get_data(as_text=True)
    assert responses_to("water-saving") == 0
    assert manager.client.get(f"{BASE}/{questionnaire.id}/v/9/preview").status_code == 404


def responses_to(slug: str) -> int:
    from feedback.surveys.questionnaire_models import Response

    _q, versions = stored(slug)
    ids = [version.id for version in versions]
    return len(db.session.scalars(select(Response.id).where(Response.version_id.in_(ids))).all())
