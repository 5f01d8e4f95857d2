"""`publish_rows`: any rows through the release pipeline, where the personal-data gate reads free text.

The bad values are made here from the rules themselves (the ID checksum of
../shared/reference/facts.md, the shape of a mobile number), not taken from the scanner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from datasets.models import Dataset
from datasets.storage import release_folder
from feedback.surveys.open_data import publish_rows
from portal.db import db

DEFINITION = """\
name: questionnaire-responses-test
title: 問卷回覆測試
title_en: Questionnaire responses (test)
description: 測試用的問卷回覆。
update_frequency: monthly
licence: OGDL-Taiwan-1.0
schema:
  fields:
  - {name: response_no, type: integer, title: 回覆序號, title_en: Response, constraints: {required: true}}
  - {name: month, type: string, title: 月份, title_en: Month}
  - {name: score, type: integer, title: 分數, title_en: Score}
  - {name: answer, type: string, title: 意見, title_en: Comments}
  primaryKey: [response_no]
"""
GOOD_ANSWERS = ("櫃台人員很親切", "等候時間太長了", "希望增加停車位", "")

# facts.md: the letter's two-digit code, then the eleven digits weighted 1,9,8,7,6,5,4,3,2,1,1.
LETTER_CODES = {"A": 10, "F": 15, "H": 17}
WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)


def checksum_total(number: str) -> int:
    code = LETTER_CODES[number[0]]
    digits = [code // 10, code % 10, *(int(character) for character in number[1:])]
    return sum(digit * weight for digit, weight in zip(digits, WEIGHTS, strict=False))


def national_id(prefix: str) -> str:
    """`prefix` (a letter, 1 or 2, seven digits) with the last digit that makes the sum a multiple of 10."""
    for last in range(10):
        if checksum_total(prefix + str(last)) % 10 == 0:
            return prefix + str(last)
    raise AssertionError("no check digit")


def test_the_made_up_id_meets_the_rule() -> None:
    number = national_id("F22731864")
    assert len(number) == 10
    assert checksum_total(number) % 10 == 0
    assert checksum_total(number[:-1] + str((int(number[-1]) + 1) % 10)) % 10 != 0


@pytest.fixture
def definition(tmp_path: Path) -> Path:
    path = tmp_path / "questionnaire-responses-test.yaml"
    path.write_text(DEFINITION, encoding="utf-8")
    return path


def rows_with(answer: str) -> list[dict[str, Any]]:
    """Ten ordinary responses, and one whose free-text answer is `answer`."""
    rows: list[dict[str, Any]] = [
        {
            "response_no": number,
            "month": "2026-10",
            "score": 1 + number % 5,
            "answer": GOOD_ANSWERS[number % 4],
        }
        for number in range(1, 11)
    ]
    rows.append({"response_no": 11, "month": "2026-10", "score": 2, "answer": answer})
    return rows


def dataset() -> Dataset:
    found = db.session.scalar(select(Dataset).where(Dataset.slug == "questionnaire-responses-test"))
    assert found is not None
    return found


def test_ordinary_free_text_is_published(app_context: None, definition: Path) -> None:
    outcome = publish_rows(definition, rows_with("謝謝你們的協助"), requested_by="tester")
    assert outcome.published, (outcome.reason, outcome.report)
    assert outcome.row_count == 11
    assert dataset().current_release_id == outcome.release_id


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (f"我的身分證字號是{national_id('F22731864')}，請查明", "national_id"),
        ("請回電給我 0935 271 846，謝謝", "phone"),
        ("聯絡電話：+886 961-408-257", "phone"),
    ],
)
def test_the_gate_stops_personal_data_in_free_text(
    app_context: None, definition: Path, answer: str, kind: str
) -> None:
    outcome = publish_rows(definition, rows_with(answer), requested_by="tester")
    assert not outcome.published
    assert outcome.reason == "pii"
    found = outcome.report["pii"]
    assert found["by_column"] == {"answer": {kind: 1}}
    assert [(example["row"], example["column"]) for example in found["examples"]] == [(12, "answer")]
    assert dataset().current_release_id is None


def test_an_id_with_a_wrong_check_digit_is_not_taken_for_one(app_context: None, definition: Path) -> None:
    valid = national_id("F22731864")
    wrong = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    outcome = publish_rows(definition, rows_with(f"代號{wrong}"), requested_by="tester")
    assert outcome.published, (outcome.reason, outcome.report)


def test_a_refused_release_keeps_the_previous_one(app_context: None, definition: Path) -> None:
    first = publish_rows(definition, rows_with("很好"), requested_by="tester")
    assert first.published
    refused = publish_rows(definition, rows_with(f"身分證 {national_id('A12345678')}"), requested_by="tester")
    assert refused.reason == "pii"
    assert dataset().current_release_id == first.release_id


def test_an_unknown_column_is_a_mistake_and_no_rows_publish_nothing(
    app_context: None, definition: Path
) -> None:
    with pytest.raises(ValueError, match="comment"):
        publish_rows(definition, [{"response_no": 1, "comment": "多出來的欄位"}], requested_by="tester")
    empty = publish_rows(definition, [], requested_by="tester")
    assert not empty.published
    assert (empty.reason, empty.job_id) == ("no_rows", None)


def test_with_the_redact_rule_the_text_is_published_without_the_personal_data(
    app_context: None, tmp_path: Path
) -> None:
    path = tmp_path / "redacted.yaml"
    path.write_text(
        DEFINITION.replace(
            "{name: answer, type: string, title: 意見, title_en: Comments}",
            "{name: answer, type: string, title: 意見, title_en: Comments, deid: {rule: redact}}",
        ),
        encoding="utf-8",
    )
    number = national_id("H12066153")
    outcome = publish_rows(path, rows_with(f"我的身分證字號是{number}，請查明"), requested_by="tester")
    assert outcome.published, (outcome.reason, outcome.report)
    assert outcome.storage_key is not None
    published = (release_folder(outcome.storage_key) / "questionnaire-responses-test.csv").read_text(
        encoding="utf-8-sig"
    )
    assert number not in published
    assert "請查明" in published
