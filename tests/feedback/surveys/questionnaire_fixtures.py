"""A questionnaire for the service and page tests: every question kind, and conditions across pages."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from feedback.surveys import questionnaires
from feedback.surveys.definition import Definition, Option, QuestionKind, Section, Text
from feedback.surveys.questionnaire_models import Questionnaire, QuestionnaireVersion
from tests.feedback.surveys.builders import equals, options, question

NOW = datetime.fromisoformat("2026-12-02T02:30:00+00:00")  # 10:30 in Taipei


def every_kind() -> Definition:
    """Page 1: whether the visitor used the service (required) and a rating; page 2 asks
    about the visit only when they did; a section of every other kind."""
    return Definition(
        sections=(
            Section(
                key="intro",
                title=Text("基本資料", "About you"),
                questions=(
                    question(
                        "used",
                        QuestionKind.SINGLE,
                        required=True,
                        options=(Option("yes", Text("有", "Yes")), Option("no", Text("沒有", "No"))),
                        help=Text("最近一年內", "In the past year"),
                    ),
                    question("rating", QuestionKind.RATING),
                ),
            ),
            Section(
                key="visit",
                title=Text("到場經驗", "Your visit"),
                condition=equals("used", "yes"),
                questions=(
                    question("channels", QuestionKind.MULTIPLE, options=options("a", "b"), allow_other=True),
                    question("agree", QuestionKind.LIKERT, required=True),
                ),
            ),
            Section(
                key="more",
                title=Text("其他", "More"),
                questions=(
                    question("people", QuestionKind.NUMBER, minimum="1", maximum="20"),
                    question("when", QuestionKind.DATE),
                    question("name", QuestionKind.SHORT_TEXT),
                    question("comment", QuestionKind.LONG_TEXT),
                ),
            ),
        )
    )


def open_questionnaire(
    session: Session,
    *,
    slug: str = "water-quality",
    anonymous: bool = True,
    definition: Definition | None = None,
    now: datetime = NOW,
) -> tuple[Questionnaire, QuestionnaireVersion]:
    """A questionnaire published and open from a day before `now` for thirty days."""
    questionnaire = questionnaires.create(
        session,
        slug=slug,
        title=Text("自來水水質滿意度調查", "Water quality survey"),
        description=Text("請告訴我們您對水質的看法。", "Tell us what you think of your water."),
        anonymous=anonymous,
        definition=definition or every_kind(),
    )
    version = questionnaires.versions_of(session, questionnaire)[0]
    questionnaires.publish(session, version, now - timedelta(days=1), now + timedelta(days=30), now)
    return questionnaire, version
