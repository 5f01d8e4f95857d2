"""Demo content: a year of satisfaction surveys after the demo cases, with their follow-ups.

Every demo case closed with a reply gets its survey, issued when it was closed. About
half of the citizens answer, most of them satisfied; those who answer 2 or less get a
follow-up, most recorded done in time, some late, and the recent ones still open, a few
with an improvement the office chose to publish. Drawn from a seeded random generator,
so every load gives the same history; a second load adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.deadlines import Calendar
from feedback.cases.models import Case
from feedback.surveys.case_surveys import ASPECTS, Aspects, complete, follow_up_of, issue, record_click
from feedback.surveys.models import CaseSurvey

SEED = 20261202
ANSWER_SHARE = 0.55
OVERALL_WEIGHTS = {5: 46, 4: 30, 3: 12, 2: 7, 1: 5}
FOLLOW_UP_DAYS = 5
LINK_DAYS = 30
IMPROVEMENTS = (
    "停水通知改為前一天以簡訊與電話再通知一次。",
    "櫃台增設取號螢幕，叫號時同時顯示預估等候時間。",
    "水費減免的說明改寫成一頁圖解，隨回覆附上。",
    "搶修完成後由班長回電確認，不再只以簡訊通知。",
)
COMMENTS = ("回覆很清楚，謝謝。", "處理有點慢。", "人員很親切。", "希望能更早通知停水。", "")


@dataclass(frozen=True)
class LoadedSurveys:
    """What the demo loader made."""

    issued: int
    answered: int
    follow_ups: int


def _score(draw: random.Random) -> int:
    return draw.choices(list(OVERALL_WEIGHTS), weights=list(OVERALL_WEIGHTS.values()))[0]


def _aspects(draw: random.Random, overall: int) -> Aspects:
    points = {aspect: max(1, min(5, overall + draw.choice((-1, 0, 0, 1)))) for aspect in ASPECTS}
    return Aspects(**points, comment=draw.choice(COMMENTS) if draw.random() < 0.3 else "")


def _follow_up_work(session: Session, survey: CaseSurvey, draw: random.Random, now: datetime) -> None:
    follow_up = follow_up_of(session, survey)
    if follow_up is None or now - survey.answered_at < timedelta(days=10):  # type: ignore[operator]
        return  # recent ones stay open
    late = draw.random() < 0.15
    answered_at: datetime = survey.answered_at  # type: ignore[assignment]
    done_at = answered_at + timedelta(days=draw.randint(8, 12) if late else draw.randint(1, 5))
    follow_up.contact_made = "電話聯繫民眾，說明處理經過並致歉。"
    follow_up.outcome = "民眾表示理解，接受說明。"
    improvement_share = draw.random()
    follow_up.improvement = draw.choice(IMPROVEMENTS) if improvement_share < 0.6 else ""
    follow_up.improvement_public = bool(follow_up.improvement) and improvement_share < 0.3
    follow_up.done_at = done_at
    follow_up.done_on = (done_at + timedelta(hours=8)).date()


def load_demo_surveys(session: Session, now: datetime, calendar: Calendar) -> LoadedSurveys:
    """Surveys for the demo cases closed with a reply that have none yet."""
    surveyed = select(CaseSurvey.case_id)
    closed = session.scalars(
        select(Case)
        .where(Case.closed_at.is_not(None), Case.answered_on.is_not(None), Case.id.not_in(surveyed))
        .order_by(Case.id)
    ).all()
    draw = random.Random(SEED)  # noqa: S311 - demo content, not a secret
    issued = answered = follow_ups = 0
    for case in closed:
        closed_at = case.closed_at
        assert closed_at is not None
        if issue(session, case, closed_at, LINK_DAYS) is None:
            continue
        issued += 1
        survey = session.scalar(select(CaseSurvey).where(CaseSurvey.case_id == case.id))
        assert survey is not None
        if draw.random() > ANSWER_SHARE:
            continue
        answered_at = min(closed_at + timedelta(hours=draw.randint(1, 96)), now)
        overall = _score(draw)
        record_click(session, survey, overall, answered_at, calendar, FOLLOW_UP_DAYS)
        if draw.random() < 0.6:
            complete(session, survey, overall, _aspects(draw, overall), answered_at, calendar, FOLLOW_UP_DAYS)
        answered += 1
        if follow_up_of(session, survey) is not None:
            follow_ups += 1
            _follow_up_work(session, survey, draw, now)
    session.flush()
    return LoadedSurveys(issued, answered, follow_ups)


def load_demo_surveys_now() -> list[str]:
    """The demo loader (`flask demo`): surveys after the demo cases; the lines it prints."""
    from feedback.cases.calendar import office_calendar
    from portal.db import db, utcnow

    loaded = load_demo_surveys(db.session, utcnow(), office_calendar())
    db.session.commit()
    if not loaded.issued:
        return []
    return [
        f"demo surveys after cases: {loaded.issued} issued, {loaded.answered} answered, "
        f"{loaded.follow_ups} follow-ups of dissatisfied citizens"
    ]
