"""Demo content: two public questionnaires with answers, one closed and one open now.

- 「家庭節約用水調查」 ran for three months and closed two months ago; its results are
  public. Every question kind but the date is in it, with a condition (the reason for
  not having water-saving fittings is asked only of those without).
- 「網路服務使用意見調查」 is open now, anonymous, with a few weeks of answers.

Answers go through the questionnaire service's `submit`, as the public's would, on days
spread over each questionnaire's opening, drawn from a seeded random generator; a
second load adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from feedback.surveys.definition import (
    Condition,
    Definition,
    Operator,
    Option,
    Question,
    QuestionKind,
    Section,
    Text,
)
from feedback.surveys.questionnaires import OutcomeKind, by_slug, create, publish, submit, versions_of

SEED = 115
DEMO_SLUGS = ("water-saving-2026", "online-services")  # the closed one, the open one


def _options(*labels: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(f"o{number}", Text(zh, en)) for number, (zh, en) in enumerate(labels, start=1))


WATER_SAVING = Definition(
    sections=(
        Section(
            "s1",
            Text("家中用水", "Water at home"),
            (
                Question("q1", QuestionKind.SINGLE, Text("家中共住幾人？", "How many live in your home?"), required=True,
                         options=_options(("1 人", "1"), ("2 人", "2"), ("3–4 人", "3–4"), ("5 人以上", "5 or more"))),
                Question("q2", QuestionKind.SINGLE, Text("家中有省水器材嗎？", "Do you have water-saving fittings?"), required=True,
                         options=_options(("有", "Yes"), ("沒有", "No"))),
                Question("q3", QuestionKind.MULTIPLE, Text("沒有的原因（可複選）", "Why not? (any that apply)"), allow_other=True,
                         options=_options(("價格太高", "Too expensive"), ("不知道去哪裡買", "Do not know where to buy"), ("擔心水壓不足", "Worried about pressure")),
                         condition=Condition("q2", Operator.EQUALS, ("o2",))),
                Question("q4", QuestionKind.NUMBER, Text("上期水費約多少元？", "About how much was your last water bill (NT$)?"),
                         minimum="0", maximum="100000"),
            ),
        ),
        Section(
            "s2",
            Text("節水宣導", "Water-saving campaigns"),
            (
                Question("q5", QuestionKind.LIKERT, Text("我願意更換省水器材", "I would fit water-saving devices"), required=True),
                Question("q6", QuestionKind.RATING, Text("您對本處節水宣導的評分", "How do you rate our water-saving campaigns?")),
                Question("q7", QuestionKind.LONG_TEXT, Text("其他建議", "Other suggestions")),
            ),
        ),
    )
)  # fmt: skip

ONLINE = Definition(
    sections=(
        Section(
            "s1",
            Text("網路服務", "Online services"),
            (
                Question("q1", QuestionKind.MULTIPLE, Text("您用過哪些網路服務？", "Which online services have you used?"), required=True,
                         options=_options(("線上申辦", "Online applications"), ("案件查詢", "Case lookup"), ("停水公告", "Outage notices"), ("開放資料", "Open data"))),
                Question("q2", QuestionKind.RATING, Text("整體而言，網站好用嗎？", "Overall, is the site easy to use?"), required=True),
                Question("q3", QuestionKind.SHORT_TEXT, Text("最希望增加的服務", "The service you would most like added")),
            ),
        ),
    )
)  # fmt: skip

SUGGESTIONS = ("希望提供省水器材補助。", "宣導單張字太小。", "可以在社區辦說明會。")


def _water_saving_answers(draw: random.Random) -> dict[str, object]:
    has = draw.random() < 0.62
    answers: dict[str, object] = {
        "q1": draw.choice(["o1", "o2", "o3", "o3", "o4"]),
        "q2": "o1" if has else "o2",
    }
    if not has:
        answers["q3"] = sorted(draw.sample(["o1", "o2", "o3"], draw.randint(1, 2)))
    if draw.random() < 0.8:
        answers["q4"] = str(draw.randrange(200, 2400, 10))
    answers["q5"] = draw.choices([1, 2, 3, 4, 5], weights=[4, 8, 22, 40, 26])[0]
    if draw.random() < 0.85:
        answers["q6"] = draw.choices([1, 2, 3, 4, 5], weights=[3, 7, 25, 42, 23])[0]
    if draw.random() < 0.1:
        answers["q7"] = draw.choice(SUGGESTIONS)
    return answers


def _online_answers(draw: random.Random) -> dict[str, object]:
    used = sorted(draw.sample(["o1", "o2", "o3", "o4"], draw.randint(1, 3)))
    answers: dict[str, object] = {
        "q1": used,
        "q2": draw.choices([1, 2, 3, 4, 5], weights=[2, 6, 20, 45, 27])[0],
    }
    if draw.random() < 0.15:
        answers["q3"] = draw.choice(("線上繳費", "停水簡訊通知", "英文版申辦"))
    return answers


def _load_one(
    session: Session,
    slug: str,
    title: Text,
    definition: Definition,
    opens: datetime,
    closes: datetime,
    count: int,
    now: datetime,
    answer: object,
) -> int:
    if by_slug(session, slug) is not None:
        return 0
    questionnaire = create(
        session, slug=slug, title=title, definition=definition, anonymous=True, results_public=True
    )
    version = versions_of(session, questionnaire)[-1]
    publish(session, version, opens, closes, opens)
    draw = random.Random(f"{SEED}-{slug}")  # noqa: S311 - demo content, not a secret
    span = (min(closes, now) - opens).total_seconds()
    stored = 0
    for moment in sorted(opens + timedelta(seconds=draw.random() * span) for _ in range(count)):
        if submit(session, version, answer(draw), {}, None, moment).kind is OutcomeKind.STORED:  # type: ignore[operator]
            stored += 1
    session.flush()
    return stored


def load_demo_questionnaires(session: Session, now: datetime) -> list[str]:
    """The two demo questionnaires and their answers; the lines the demo prints."""
    lines = []
    closed = _load_one(
        session, DEMO_SLUGS[0], Text("家庭節約用水調查", "Household water saving"), WATER_SAVING,
        now - timedelta(days=150), now - timedelta(days=60), 140, now, _water_saving_answers,
    )  # fmt: skip
    if closed:
        lines.append(f"demo questionnaire water-saving-2026: closed, {closed} responses")
    open_now = _load_one(
        session, DEMO_SLUGS[1], Text("網路服務使用意見調查", "Our online services"), ONLINE,
        now - timedelta(days=21), now + timedelta(days=40), 45, now, _online_answers,
    )  # fmt: skip
    if open_now:
        lines.append(f"demo questionnaire online-services: open, {open_now} responses")
    return lines


def load_demo_questionnaires_now() -> list[str]:
    """The demo loader (`flask demo`)."""
    from portal.db import db, utcnow

    lines = load_demo_questionnaires(db.session, utcnow())
    db.session.commit()
    return lines
