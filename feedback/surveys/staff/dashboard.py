"""The staff dashboard's follow-up card: open and overdue follow-ups of dissatisfied citizens."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from feedback.cases.handling import local_day
from feedback.surveys.follow_ups import visible_to
from feedback.surveys.models import FollowUp
from portal.auth.models import Staff
from portal.auth.roles import Permission
from portal.db import db, utcnow
from portal.i18n import _l
from portal.web.registry import DashboardCard, Link


def follow_up_card(staff: Staff) -> DashboardCard | None:
    """The card for supervisors; None for everyone else."""
    if not staff.can(Permission.FOLLOW_UP_SURVEYS):
        return None
    today = local_day(utcnow())
    open_ones = visible_to(staff).where(FollowUp.done_at.is_(None))
    overdue = open_ones.where(FollowUp.due_on < today)

    def count(query: Select[FollowUp]) -> int:
        return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0

    return DashboardCard(
        title=_l("不滿意民眾追蹤"),
        figures=[(_l("處理中"), count(open_ones)), (_l("已逾期"), count(overdue))],
        links=[Link("survey_follow_ups.follow_up_list", _l("追蹤清單"))],
        order=25,
    )


def questionnaire_card(staff: Staff) -> DashboardCard | None:
    """The card for survey managers: questionnaires open now and drafts, and the way in."""
    if not staff.can(Permission.MANAGE_SURVEYS):
        return None
    from feedback.surveys.questionnaire_models import QuestionnaireVersion
    from feedback.surveys.questionnaires import OpenState, state_of

    now = utcnow()
    states = [state_of(version, now) for version in db.session.scalars(select(QuestionnaireVersion))]
    return DashboardCard(
        title=_l("問卷"),
        figures=[
            (_l("開放填答中"), states.count(OpenState.OPEN)),
            (_l("草稿"), states.count(OpenState.DRAFT)),
        ],
        links=[Link("questionnaire_staff.questionnaire_list", _l("問卷與問卷編輯"))],
        order=27,
    )
