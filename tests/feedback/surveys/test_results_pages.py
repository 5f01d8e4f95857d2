"""Questionnaire results: the staff page's figures and free text, the exports, and the public page's suppression."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from feedback.surveys.definition import Definition, Option, Question, QuestionKind, Section, Text
from feedback.surveys.questionnaire_models import Questionnaire
from feedback.surveys.questionnaires import OutcomeKind, create, publish, submit, versions_of
from portal.auth.roles import Role
from portal.db import db, utcnow

DEFINITION = Definition(
    sections=(
        Section(
            key="s1",
            title=Text("用水", "Water use"),
            questions=(
                Question(
                    key="used",
                    kind=QuestionKind.MULTIPLE,
                    label=Text("您用過哪些服務？", "Which services have you used?"),
                    options=(
                        Option("web", Text("網路申辦", "Online")),
                        Option("counter", Text("臨櫃", "Counter")),
                    ),
                ),
                Question(key="score", kind=QuestionKind.RATING, label=Text("整體評分", "Overall score")),
                Question(key="note", kind=QuestionKind.LONG_TEXT, label=Text("建議", "Suggestions")),
            ),
        ),
    )
)
ANSWERS = [
    ({"used": ["web", "counter"], "score": 5, "note": "希望延長櫃台時間"}),
    ({"used": ["web"], "score": 4}),
    ({"used": ["counter"], "score": 4}),
    ({"used": ["web"], "score": 2}),
    ({"used": ["web", "counter"], "score": 5}),
    ({"used": ["web"], "score": 4}),
]


@pytest.fixture
def answered(app_context: None) -> Questionnaire:
    now = utcnow()
    questionnaire = create(
        db.session,
        slug="service-use",
        title=Text("服務使用調查", "Service use"),
        definition=DEFINITION,
        results_public=True,
    )
    version = versions_of(db.session, questionnaire)[-1]
    publish(db.session, version, now - timedelta(days=1), None, now)
    db.session.commit()
    for answers in ANSWERS:
        assert submit(db.session, version, answers, {}, None, now).kind is OutcomeKind.STORED
        db.session.commit()
    return questionnaire


def test_the_staff_page_counts_per_option_not_per_combination_and_shows_free_text(
    answered: Questionnaire, client_as: Callable[..., Any]
) -> None:
    pages, _account = client_as(Role.ANALYST)
    html = str(pages.get(f"/staff/surveys/questionnaires/{answered.id}/results"))
    assert "<svg" in html
    assert 'role="img"' in html
    # 網路申辦: 5 of 6 (83.3%), 臨櫃: 3 of 6 (50.0%); per option, so the shares add up to more than 100 %
    assert "83.3%" in html
    assert "50.0%" in html
    assert "希望延長櫃台時間" in html


def test_exports_hold_one_column_a_question_and_open_in_their_programs(
    answered: Questionnaire, client_as: Callable[..., Any]
) -> None:
    pages, _account = client_as(Role.ANALYST)
    base = f"/staff/surveys/questionnaires/{answered.id}/results"
    exported = pages.client.get(base + ".csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1 + len(ANSWERS)
    assert len(rows[0]) == 1 + len(DEFINITION.questions())  # the day, then one column a question
    assert "網路申辦；臨櫃" in [cell for row in rows for cell in row]
    ods = pages.client.get(base + ".ods")
    assert ods.status_code == 200
    assert (
        zipfile.ZipFile(io.BytesIO(ods.data)).read("mimetype")
        == b"application/vnd.oasis.opendocument.spreadsheet"
    )
    pdf = pages.client.get(base + ".pdf")
    assert pdf.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True
    ).stdout.decode()
    assert "您用過哪些服務？" in text
    assert "網路申辦" in text
    assert pages.client.get(base + ".xlsx").status_code == 404
    assert pages.client.get(base + "?version=99").status_code == 404


def test_the_public_page_suppresses_small_counts_and_shows_no_free_text(
    answered: Questionnaire, client: Any
) -> None:
    html = client.get("/surveys/results/service-use").get_data(as_text=True)
    assert "希望延長櫃台時間" not in html
    assert "83.3%" in html  # 5 answers: at the threshold, shown
    assert "—" in html  # 3 chose the counter, the 2-point score was given once: suppressed
    assert client.get("/surveys/results/no-such-thing").status_code == 404


def test_results_not_chosen_for_publication_are_not_public(answered: Questionnaire, client: Any) -> None:
    answered.results_public = False
    db.session.commit()
    assert client.get("/surveys/results/service-use").status_code == 404


def test_results_are_for_staff_who_see_reports(
    answered: Questionnaire, client_as: Callable[..., Any]
) -> None:
    officer, _account = client_as(Role.CASE_OFFICER, office_code="KL")
    assert officer.client.get(f"/staff/surveys/questionnaires/{answered.id}/results").status_code == 403
