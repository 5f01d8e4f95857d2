"""Following up a dissatisfied citizen: who sees which follow-ups, recording the work, and the counts.

A follow-up is opened by the survey (`case_surveys`) for the case's office. The office's
supervisors (`FOLLOW_UP_SURVEYS`) see their office's; staff who handle every office's
cases (`HANDLE_ALL_CASES`) see all. Recording it done needs the contact made and its
outcome; the improvement decided is what the office changes, written without personal
data, and staff may mark it for publication ("you told us X; we changed Y").

The counts (`follow_up_figures`, pure): opened in a period; of those, done by their due
date (in time), done after it (late), still open past it (overdue), still open within it.
A follow-up without a due date (the office calendar lacked the days) counts as open or
done, never as in time or late.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from feedback.cases.handling import local_day
from feedback.cases.models import Case
from feedback.surveys.models import CaseSurvey, FollowUp
from portal.auth.models import Staff
from portal.auth.roles import Permission

TEXT_MAX = 2000


class FollowUpError(ValueError):
    """A follow-up's work that cannot be recorded as asked (the message says why)."""


@dataclass(frozen=True)
class FollowUpFacts:
    """What the counts need of one follow-up."""

    office_id: int
    opened_on: date
    due_on: date | None
    done_on: date | None


@dataclass(frozen=True)
class FollowUpFigures:
    """The counts of a set of follow-ups on the day they are taken."""

    opened: int
    done_in_time: int
    done_late: int
    open_overdue: int
    open_in_time: int
    without_due_date: int


def follow_up_figures(facts: Iterable[FollowUpFacts], today: date) -> FollowUpFigures:
    """Count follow-ups: done in time, done late, open past due, open within the time, no due date."""
    opened = in_time = late = overdue = open_ok = undated = 0
    for fact in facts:
        opened += 1
        if fact.due_on is None:
            undated += 1
        elif fact.done_on is not None:
            if fact.done_on <= fact.due_on:
                in_time += 1
            else:
                late += 1
        elif today > fact.due_on:
            overdue += 1
        else:
            open_ok += 1
    return FollowUpFigures(opened, in_time, late, overdue, open_ok, undated)


def facts_of(follow_up: FollowUp) -> FollowUpFacts:
    """The counting facts of a stored follow-up."""
    return FollowUpFacts(
        follow_up.office_id, local_day(follow_up.opened_at), follow_up.due_on, follow_up.done_on
    )


def visible_to(staff: Staff) -> Select[FollowUp]:
    """The follow-ups `staff` may see: their office's, or every office's."""
    query = select(FollowUp)
    if not staff.can(Permission.HANDLE_ALL_CASES):
        query = query.where(FollowUp.office_id == (staff.office_id if staff.office_id is not None else -1))
    return query


def may_see(staff: Staff, follow_up: FollowUp) -> bool:
    """Whether `staff` may open this follow-up."""
    return staff.can(Permission.HANDLE_ALL_CASES) or follow_up.office_id == staff.office_id


def survey_and_case(session: Session, follow_up: FollowUp) -> tuple[CaseSurvey, Case]:
    """The survey that opened the follow-up and its case."""
    survey = session.get(CaseSurvey, follow_up.survey_id)
    assert survey is not None  # the foreign key cascades
    case = session.get(Case, survey.case_id)
    assert case is not None
    return survey, case


@dataclass(frozen=True)
class FollowUpWork:
    """What a supervisor records."""

    contact_made: str
    outcome: str
    improvement: str
    improvement_public: bool
    done: bool


def record_work(follow_up: FollowUp, work: FollowUpWork, staff: Staff, now: datetime) -> None:
    """Keep the work done so far; marking it done needs the contact and its outcome, and is final."""
    if follow_up.done_at is not None:
        raise FollowUpError("done")
    contact, outcome, improvement = (
        text.strip()[:TEXT_MAX] for text in (work.contact_made, work.outcome, work.improvement)
    )
    if work.done and not (contact and outcome):
        raise FollowUpError("contact_and_outcome_needed")
    if work.improvement_public and not improvement:
        raise FollowUpError("improvement_needed")
    follow_up.contact_made = contact or None
    follow_up.outcome = outcome or None
    follow_up.improvement = improvement
    follow_up.improvement_public = work.improvement_public
    if work.done:
        follow_up.done_at = now
        follow_up.done_on = local_day(now)
        follow_up.done_by_id = staff.id
