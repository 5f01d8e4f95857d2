"""A questionnaire's responses published as open data, through the release pipeline.

The personal data typed into answers is made here from the rules (a mobile number's
shape, an e-mail address), not taken from the scanner's word lists.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from datasets.models import Dataset, Release
from datasets.storage import release_folder
from feedback.surveys import questionnaires
from feedback.surveys.open_data_rows import last_closed_month, month_start, next_month
from feedback.surveys.questionnaire_models import Questionnaire
from feedback.surveys.questionnaire_open_data import (
    MONTH_COLUMN,
    dataset_slug,
    publish_responses,
    refusal,
    republish_monthly,
    response_definition,
)
from feedback.surveys.questionnaires import OutcomeKind, definition_of
from portal.auth.roles import Role
from portal.db import db, utcnow
from tests.feedback.cases.staff.conftest import token
from tests.feedback.surveys.questionnaire_fixtures import open_questionnaire
from tests.support.pages import PageClient

MOBILE = "0935-271-846"
ANSWERS: dict[str, Any] = {
    "used": "yes",
    "rating": 4,
    "channels": ["a", "_other"],
    "agree": 5,
    "people": "3",
    "when": "2026-11-30",
}


# The last month that has ended, by the real clock (the staff page publishes up to it),
# and a moment in it when the responses are given.
UP_TO = last_closed_month(utcnow())
IN_IT = month_start(UP_TO) + timedelta(days=9, hours=3)


def answered(
    count: int, *, comment: str = "水壓穩定，謝謝", other: str = "里長轉達", at: datetime = IN_IT
) -> Questionnaire:
    """The fixtures' questionnaire (open from a day before `at`) with `count` responses, its results public."""
    questionnaire, version = open_questionnaire(db.session, now=at)
    questionnaire.results_public = True
    for number in range(count):
        answers = {**ANSWERS, "comment": comment if number == 0 else f"第{number}份意見"}
        outcome = questionnaires.submit(db.session, version, answers, {"channels": other}, None, at)
        assert outcome.kind is OutcomeKind.STORED
    db.session.commit()
    return questionnaire


def published_rows(storage_key: str, slug: str) -> list[dict[str, str]]:
    text = (release_folder(storage_key) / f"{slug}.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


def test_the_definition_generalises_days_and_redacts_every_typed_text(app_context: None) -> None:
    questionnaire, version = open_questionnaire(db.session)
    fields = {
        field["name"]: field
        for field in response_definition(questionnaire, definition_of(version))["schema"]["fields"]
    }
    assert list(fields) == [
        MONTH_COLUMN,
        "used",
        "rating",
        "channels",
        "channels_other",
        "agree",
        "people",
        "when",
        "name",
        "comment",
    ]
    assert fields[MONTH_COLUMN]["deid"] == {"rule": "generalise", "level": "month"}
    assert fields["when"]["deid"] == {"rule": "generalise", "level": "month"}
    assert {name for name, field in fields.items() if field.get("deid", {}).get("rule") == "redact"} == {
        "channels_other",
        "name",
        "comment",
    }
    assert "deid" not in fields["used"]
    assert (fields["rating"]["type"], fields["people"]["type"]) == ("integer", "number")


def test_results_not_public_or_too_few_responses_are_refused(app_context: None) -> None:
    questionnaire = answered(4)
    found = refusal(db.session, questionnaire, UP_TO)
    assert found is not None
    assert (found.code, found.responses) == ("too_few_responses", 4)
    add_responses(questionnaire, 3, at=month_start(next_month(UP_TO)) + timedelta(days=1))
    found = refusal(db.session, questionnaire, UP_TO)
    assert found is not None
    assert found.responses == 4, "answers of a month not yet ended do not count"
    questionnaire.results_public = False
    found = refusal(db.session, questionnaire, UP_TO)
    assert found is not None
    assert found.code == "results_not_public"
    with pytest.raises(ValueError, match="cannot be published"):
        publish_responses(db.session, questionnaire, "tester", UP_TO)


def test_the_release_holds_months_labels_and_redacted_text_only(app_context: None) -> None:
    questionnaire = answered(6, comment=f"請回電 {MOBILE} 找王先生", other="寄到 lin.mei@example.com")
    assert refusal(db.session, questionnaire, UP_TO) is None
    outcome = publish_responses(db.session, questionnaire, "tester", UP_TO)
    assert outcome.published, (outcome.reason, outcome.report)
    assert outcome.row_count == 6
    assert outcome.storage_key is not None
    rows = published_rows(outcome.storage_key, dataset_slug(questionnaire))
    assert len(rows) == 6
    [first] = [row for row in rows if row["comment"].startswith("請回電")]
    assert first[MONTH_COLUMN] == UP_TO, "the day answered, to the month only"
    assert first["when"] == "2026-11", "a date answer, to the month only"
    assert first["used"] == "有"
    assert first["channels"].endswith("；其他"), "an option's label, then the other box"
    assert MOBILE not in first["comment"]
    assert "271" not in first["comment"]
    assert "lin.mei" not in first["channels_other"]
    assert first["comment"].startswith("請回電 "), "the rest of the text is kept"
    every_cell = " ".join(value for row in rows for value in row.values())
    assert IN_IT.date().isoformat() not in every_cell
    assert [row["comment"] for row in rows] == sorted(row["comment"] for row in rows), (
        "within a month, rows go by their content, not by when they came"
    )
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == dataset_slug(questionnaire)))
    assert dataset is not None
    assert dataset.current_release_id == outcome.release_id


@pytest.fixture
def publisher(client_as: Callable[..., Any]) -> PageClient:
    pages, _account = client_as(Role.PUBLISHER)
    return pages


def post(pages: PageClient, questionnaire: Questionnaire) -> Any:
    base = f"/staff/surveys/questionnaires/{questionnaire.id}"
    return pages.client.post(f"{base}/open-data", data={"csrf_token": token(pages, base)})


def test_a_publisher_publishes_from_the_questionnaire_page(publisher: PageClient) -> None:
    questionnaire = answered(5)
    page = str(publisher.get(f"/staff/surveys/questionnaires/{questionnaire.id}"))
    assert "公開目前的填答資料" in page
    sent = post(publisher, questionnaire)
    assert sent.status_code == 303, sent.get_data(as_text=True)[-1500:]
    after = str(publisher.get(sent.headers["Location"]))
    assert "已公開第 1 版填答資料，共 5 列" in after
    assert f'href="/datasets/{dataset_slug(questionnaire)}"' in after


def test_too_few_responses_are_refused_with_the_reason_and_nothing_published(publisher: PageClient) -> None:
    questionnaire = answered(3)
    page = str(publisher.get(f"/staff/surveys/questionnaires/{questionnaire.id}"))
    assert "已結束的月份只有 3 份填答" in page
    assert "公開目前的填答資料" not in page
    refused = post(publisher, questionnaire)
    assert refused.status_code == 409
    assert "已結束的月份只有 3 份填答" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Dataset).where(Dataset.slug == dataset_slug(questionnaire))) is None


def test_publishing_needs_the_publish_permission(client_as: Callable[..., Any]) -> None:
    administrator, _account = client_as(Role.ADMINISTRATOR)
    questionnaire = answered(5)
    page = str(administrator.get(f"/staff/surveys/questionnaires/{questionnaire.id}"))
    assert "需要資料發布權限" in page
    assert post(administrator, questionnaire).status_code == 403


def add_responses(questionnaire: Questionnaire, count: int, at: datetime = IN_IT) -> None:
    version = questionnaires.versions_of(db.session, questionnaire)[0]
    for number in range(count):
        answers = {**ANSWERS, "comment": f"後來的意見{number}"}
        outcome = questionnaires.submit(db.session, version, answers, {"channels": "鄰居"}, None, at)
        assert outcome.kind is OutcomeKind.STORED
    db.session.commit()


def releases_of(questionnaire: Questionnaire) -> list[int]:
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == dataset_slug(questionnaire)))
    if dataset is None:
        return []
    return list(db.session.scalars(select(Release.row_count).where(Release.dataset_id == dataset.id)))


def test_the_monthly_run_releases_again_what_changed_once_a_month(app_context: None) -> None:
    published = answered(5)
    assert publish_responses(db.session, published, "tester", UP_TO).published
    never_published = open_questionnaire(db.session, slug="never-published", now=IN_IT)[0]
    never_published.results_public = True
    db.session.commit()
    add_responses(published, 2)
    add_responses(published, 1, at=month_start(next_month(UP_TO)) + timedelta(days=1))
    lines = republish_monthly(db.session, UP_TO)
    assert lines == [f"{dataset_slug(published)}: release 2, 7 rows"], "the month not yet ended is left out"
    assert sorted(releases_of(published)) == [5, 7]
    assert releases_of(never_published) == [], "only what staff chose to publish"
    assert republish_monthly(db.session, UP_TO) is None, "the month ran already"
    assert sorted(releases_of(published)) == [5, 7]
    later = next_month(UP_TO)
    # The later month's one answer is withheld by the k-anonymity check: 8 rows sent, 7 published.
    assert republish_monthly(db.session, later) == [f"{dataset_slug(published)}: release 3, 7 rows"]
    assert republish_monthly(db.session, next_month(later)) == [f"{dataset_slug(published)}: unchanged"]


def test_a_questionnaire_made_private_again_keeps_its_dataset_as_it_is(app_context: None) -> None:
    published = answered(5)
    assert publish_responses(db.session, published, "tester", UP_TO).published
    published.results_public = False
    add_responses(published, 3)
    assert republish_monthly(db.session, UP_TO) == [
        f"{dataset_slug(published)}: kept as it is (results_not_public)"
    ]
    assert releases_of(published) == [5]


def test_long_slugs_and_titles_still_make_two_datasets_within_the_limits(app_context: None) -> None:
    from feedback.surveys.definition import Text

    shared = "water-" * 13  # 78 characters in common
    made = [
        questionnaires.create(db.session, slug=f"{shared}{end}", title=Text("長" * 200, "L" * 300))
        for end in ("a", "b")
    ]
    db.session.flush()
    slugs = {dataset_slug(questionnaire) for questionnaire in made}
    assert len(slugs) == 2
    assert all(len(slug) <= 80 and not slug.endswith("-") for slug in slugs)
    version = questionnaires.versions_of(db.session, made[0])[0]
    document = response_definition(made[0], definition_of(version))
    assert (len(document["title"]), len(document["title_en"])) == (200, 300)


def test_a_question_keyed_like_an_other_box_gets_its_own_column(app_context: None) -> None:
    from feedback.surveys.definition import Definition, Option, Question, QuestionKind, Section, Text

    channel = Question(
        "channel",
        QuestionKind.SINGLE,
        Text("管道", "Channel"),
        options=(Option("o1", Text("電話", "Phone")), Option("o2", Text("網路", "Web"))),
        allow_other=True,
    )
    when = Question("channel_other", QuestionKind.DATE, Text("日期", "Day"))
    definition = Definition((Section("s1", Text("題目", "Questions"), (channel, when)),))
    questionnaire, _version = open_questionnaire(db.session, slug="keyed-like-other", definition=definition)
    fields = {f["name"]: f for f in response_definition(questionnaire, definition)["schema"]["fields"]}
    assert fields["channel_other"]["deid"] == {"rule": "generalise", "level": "month"}, "the date question"
    assert fields["channel_other_text"]["deid"] == {"rule": "redact"}, "the other box, named apart"
