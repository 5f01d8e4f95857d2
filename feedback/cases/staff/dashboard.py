"""The staff dashboard's case card: the officer's open, due-soon and overdue cases, and the way in."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback.cases.calendar import office_calendar
from feedback.cases.handling import local_day
from feedback.cases.models import Case
from feedback.cases.staff.queue import QueueFilter, queue_query
from portal.auth.models import Staff
from portal.auth.roles import Permission
from portal.db import db, utcnow
from portal.i18n import _l
from portal.web.registry import DashboardCard, Link


def _count(staff: Staff, chosen: QueueFilter) -> int:
    query = queue_query(staff, chosen, local_day(utcnow()), office_calendar()).order_by(None)
    return (
        db.session.scalar(select(func.count()).select_from(query.with_only_columns(Case.id).subquery())) or 0
    )


def case_card(staff: Staff) -> DashboardCard | None:
    """The card for staff who handle cases; None for everyone else."""
    if not staff.can(Permission.HANDLE_CASES):
        return None
    links = [
        Link("cases_staff.queue", _l("案件工作區")),
        Link("cases_staff.intake", _l("登錄臨櫃、電話或書信案件")),
        Link("cases_staff.caller_lookup", _l("為來電民眾查詢案件")),
    ]
    if staff.can(Permission.MANAGE_CASE_TYPES):
        links.append(Link("cases_staff.type_list", _l("案件類別")))
    return DashboardCard(
        title=_l("民眾案件"),
        figures=[
            (_l("處理中"), _count(staff, QueueFilter())),
            (_l("即將到期"), _count(staff, QueueFilter(due="soon"))),
            (_l("已逾期"), _count(staff, QueueFilter(due="overdue"))),
            (_l("我承辦的"), _count(staff, QueueFilter(officer="mine"))),
        ],
        links=links,
        order=20,
    )
