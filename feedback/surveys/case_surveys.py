"""Satisfaction after a case: the one-time link, the one-click answer, the rest, and follow-ups.

A survey is issued once per case, when the case is closed with a reply (not a §173
closure, not a merged duplicate). Its link carries a random token, stored only as its
SHA-256 digest, and expires after `SURVEY_LINK_DAYS`. The closure mail shows the five
faces as five links: following one records the overall answer on that click
(`record_click`); the page it opens takes the four aspects and a comment
(`complete`), once. Until then a later click changes the overall answer, so a mistaken
face can be corrected; afterwards the response is closed.

An overall answer of `DISSATISFIED_AT_MOST` (2) or less opens a follow-up for the
office's supervisor, due `FOLLOW_UP_WORKING_DAYS` working days later on the office
calendar. If the citizen raises the answer before completing and nobody has worked on
the follow-up yet, it is withdrawn.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from feedback.cases.deadlines import Calendar, CalendarGapError, due_date
from feedback.cases.handling import local_day
from feedback.cases.models import Case
from feedback.surveys.models import CaseSurvey, FollowUp

SCORES = (1, 2, 3, 4, 5)
ASPECTS = ("timeliness", "attitude", "professionalism", "clarity")
DISSATISFIED_AT_MOST = 2
COMMENT_MAX = 2000


class SurveyState(StrEnum):
    """What a followed survey link finds."""

    OPEN = "open"  # may be answered (or its overall answer changed) and completed
    COMPLETED = "completed"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Aspects:
    """The answers given on the survey page after the overall one (None: not answered)."""

    timeliness: int | None = None
    attitude: int | None = None
    professionalism: int | None = None
    clarity: int | None = None
    comment: str = ""


def token_digest(token: str) -> str:
    """What is stored of a link's token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def may_be_surveyed(case: Case) -> bool:
    """Whether closing `case` asks its citizen for satisfaction: closed with a reply, not §173 or merged."""
    return case.answered_on is not None and case.no_reply_reason is None and case.merged_into_id is None


def issue(session: Session, case: Case, now: datetime, days: int) -> str | None:
    """A new survey for `case`, returning the link's token; None when it has one already or gets none."""
    if not may_be_surveyed(case) or case.office_id is None:
        return None
    if session.scalar(select(CaseSurvey.id).where(CaseSurvey.case_id == case.id)) is not None:
        return None
    token = secrets.token_urlsafe(24)
    session.add(
        CaseSurvey(
            case_id=case.id,
            office_id=case.office_id,
            token_digest=token_digest(token),
            issued_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    session.flush()
    return token


def find(session: Session, token: str) -> CaseSurvey | None:
    """The survey a link's token opens, if any."""
    if not token or len(token) > 64:
        return None
    return session.scalar(select(CaseSurvey).where(CaseSurvey.token_digest == token_digest(token)))


def survey_of_case(session: Session, case_id: int) -> CaseSurvey | None:
    """The survey of a case, if one was issued."""
    return session.scalar(select(CaseSurvey).where(CaseSurvey.case_id == case_id))


def state_of(survey: CaseSurvey | None, now: datetime) -> SurveyState:
    """Whether `survey` can still be answered."""
    if survey is None:
        return SurveyState.UNKNOWN
    if survey.completed_at is not None:
        return SurveyState.COMPLETED
    if now >= survey.expires_at:
        return SurveyState.EXPIRED
    return SurveyState.OPEN


def record_click(
    session: Session, survey: CaseSurvey, score: int, now: datetime, calendar: Calendar, days: int
) -> bool:
    """Record the overall answer given by a face in the mail; False when the survey is closed or expired."""
    if score not in SCORES or state_of(survey, now) is not SurveyState.OPEN:
        return False
    survey.overall = score
    survey.answered_at = survey.answered_at or now
    survey.source = survey.source or "email"
    _keep_follow_up(session, survey, now, calendar, days)
    return True


def complete(
    session: Session,
    survey: CaseSurvey,
    overall: int,
    aspects: Aspects,
    now: datetime,
    calendar: Calendar,
    days: int,
) -> bool:
    """Store the whole response once; False when another request completed it first or it expired."""
    if overall not in SCORES:
        raise ValueError("overall answer out of range")
    # One UPDATE that only one request can win: the response is stored exactly once.
    claimed = cast(
        CursorResult[tuple[()]],
        session.execute(
            update(CaseSurvey)
            .where(CaseSurvey.id == survey.id, CaseSurvey.completed_at.is_(None), CaseSurvey.expires_at > now)
            .values(completed_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if claimed.rowcount != 1:
        session.rollback()
        return False
    session.refresh(survey)
    survey.overall = overall
    survey.answered_at = survey.answered_at or now
    survey.source = survey.source or "page"
    for aspect in ASPECTS:
        setattr(survey, aspect, getattr(aspects, aspect))
    survey.comment = aspects.comment.strip()[:COMMENT_MAX] or None
    _keep_follow_up(session, survey, now, calendar, days)
    return True


def follow_up_of(session: Session, survey: CaseSurvey) -> FollowUp | None:
    """The follow-up a survey opened, if any."""
    return session.scalar(select(FollowUp).where(FollowUp.survey_id == survey.id))


def _keep_follow_up(
    session: Session, survey: CaseSurvey, now: datetime, calendar: Calendar, days: int
) -> None:
    """Open the follow-up a dissatisfied answer needs, or withdraw one nobody has worked on yet."""
    existing = follow_up_of(session, survey)
    dissatisfied = survey.overall is not None and survey.overall <= DISSATISFIED_AT_MOST
    if dissatisfied and existing is None:
        try:
            due = due_date(local_day(now), days, calendar).due
        except CalendarGapError:
            due = None  # shown to the supervisor as "calendar missing"; counted once the calendar is imported
        session.add(FollowUp(survey_id=survey.id, office_id=survey.office_id, opened_at=now, due_on=due))
    elif not dissatisfied and existing is not None and existing.done_at is None and not existing.contact_made:
        session.delete(existing)
    session.flush()
