"""The demo's surveys after cases: one per case closed with a reply, the same history each load, none twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from feedback.cases.calendar import office_calendar
from feedback.cases.handling import close_without_reply, move
from feedback.cases.states import CaseState
from feedback.surveys.demo_surveys import load_demo_surveys
from feedback.surveys.models import CaseSurvey, FollowUp
from portal.db import db, utcnow


def test_closed_cases_with_a_reply_get_one_survey_and_a_second_load_adds_nothing(
    open_today: Callable[..., Any],
) -> None:
    now, calendar = utcnow(), office_calendar()
    replied = [open_today("KL").case for _ in range(12)]
    for case in replied:
        move(case, CaseState.REPLIED, calendar=calendar, now=now, staff_id=None, reply="已處理")
        move(case, CaseState.CLOSED, calendar=calendar, now=now, staff_id=None)
    unanswered = open_today("KL").case
    close_without_reply(unanswered, "repeated", "", calendar=calendar, now=now, staff_id=None)
    db.session.flush()
    loaded = load_demo_surveys(db.session, now, calendar)
    assert loaded.issued == 12
    assert 0 < loaded.answered <= 12
    mine = [case.id for case in [*replied, unanswered]]
    surveys = db.session.scalars(select(CaseSurvey).where(CaseSurvey.case_id.in_(mine))).all()
    assert {survey.case_id for survey in surveys} == {case.id for case in replied}
    dissatisfied = sum(1 for survey in surveys if survey.overall is not None and survey.overall <= 2)
    follow_ups = select(func.count()).where(FollowUp.survey_id.in_([survey.id for survey in surveys]))
    assert db.session.scalar(follow_ups) == dissatisfied == loaded.follow_ups
    again = load_demo_surveys(db.session, now, calendar)
    assert (again.issued, again.answered) == (0, 0)
