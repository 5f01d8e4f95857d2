"""Follow-ups of dissatisfied citizens, for the office's supervisors, under `/staff/surveys/follow-ups`.

The list holds the follow-ups the supervisor may see (`follow_ups.visible_to`), open ones
first by due date, with working-day countdowns; a filter shows open, overdue or done
ones. A follow-up's page shows the survey's answers and comment, links to the case (its
page shows the citizen's contact details, opened with a logged press), and keeps the
work: contact made, outcome, the improvement decided and whether to publish it. Marking
it done is final and written to the audit log with the follow-up's other changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, SubmitField
from wtforms.validators import Length

from feedback.cases.calendar import office_calendar
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.handling import local_day
from feedback.cases.models import Case
from feedback.cases.staff.common import private_page, signed_in
from feedback.cases.staff.queue import countdown
from feedback.surveys.follow_ups import (
    TEXT_MAX,
    FollowUpError,
    FollowUpWork,
    facts_of,
    follow_up_figures,
    may_see,
    record_work,
    survey_and_case,
    visible_to,
)
from feedback.surveys.labels import ASPECT_LABELS, FACE_LABELS
from feedback.surveys.models import CaseSurvey, FollowUp
from portal.auth import Permission, permission_required
from portal.db import db, utcnow
from portal.forms import MultilineField
from portal.i18n import _, _l
from portal.offices.models import Office

bp = Blueprint("survey_follow_ups", __name__, url_prefix="/staff/surveys/follow-ups")

SHOWN = ("open", "overdue", "done", "all")
_LENGTH = Length(max=TEXT_MAX, message=_l("最多 %(max)d 個字。", max=TEXT_MAX))
_ERRORS = {
    "done": _l("這個追蹤已經完成，不能再修改。"),
    "contact_and_outcome_needed": _l("標示完成前，請填寫聯繫情形與處理結果。"),
    "improvement_needed": _l("要公開改善措施，請先填寫改善措施。"),
}


class FollowUpForm(FlaskForm):
    """The supervisor's record of the follow-up."""

    contact_made = MultilineField(
        _l("聯繫情形"), description=_l("何時、以何種方式聯繫民眾，談了什麼。"), validators=[_LENGTH]
    )
    outcome = MultilineField(_l("處理結果"), validators=[_LENGTH])
    improvement = MultilineField(
        _l("改善措施"),
        description=_l("服務據點因此做了哪些改變。請勿寫入民眾的姓名或聯絡方式。"),
        validators=[_LENGTH],
    )
    improvement_public = BooleanField(_l("在服務績效頁公開這項改善措施"))
    done = BooleanField(_l("追蹤已完成"))
    submit = SubmitField(_l("儲存"))


def _countdown(follow_up: FollowUp, today: date, calendar: OfficeCalendar) -> int | None:
    """Working days left (negative: past due), as the case queue counts them; None when done or not countable."""
    return None if follow_up.done_at is not None else countdown(today, follow_up.due_on, calendar)


def _filtered(shown: str, today: Any) -> Any:
    query = visible_to(signed_in())
    if shown == "open":
        query = query.where(FollowUp.done_at.is_(None))
    elif shown == "overdue":
        query = query.where(FollowUp.done_at.is_(None), FollowUp.due_on < today)
    elif shown == "done":
        query = query.where(FollowUp.done_at.is_not(None))
    return query.order_by(FollowUp.done_at.is_not(None), FollowUp.due_on, FollowUp.id)


@bp.route("/")
@permission_required(Permission.FOLLOW_UP_SURVEYS)
def follow_up_list() -> Response:
    """The follow-ups of the supervisor's office (every office's for those who handle all cases)."""
    shown = request.args.get("shown", "open")
    if shown not in SHOWN:
        abort(400, _("沒有這個篩選條件。"))
    today = local_day(utcnow())
    calendar = office_calendar()
    listed = (
        _filtered(shown, today)
        .join(CaseSurvey, CaseSurvey.id == FollowUp.survey_id)
        .join(Case, Case.id == CaseSurvey.case_id)
        .add_columns(CaseSurvey, Case)
        .limit(500)
    )
    rows = [
        {
            "follow_up": follow_up,
            "survey": survey,
            "case": case,
            "countdown": _countdown(follow_up, today, calendar),
        }
        for follow_up, survey, case in db.session.execute(listed)
    ]
    everything = db.session.scalars(visible_to(signed_in())).all()
    figures = follow_up_figures((facts_of(item) for item in everything), today)
    offices = {office.id: office for office in db.session.scalars(select(Office))}
    page = render_template(
        "surveys/staff/follow_ups.html",
        rows=rows,
        shown=shown,
        figures=figures,
        offices=offices,
        faces=FACE_LABELS,
        total=db.session.scalar(select(func.count()).select_from(_filtered(shown, today).subquery())) or 0,
    )
    return private_page(page)


def _follow_up_or_404(follow_up_id: int) -> FollowUp:
    follow_up = db.session.get(FollowUp, follow_up_id) if follow_up_id < 2**31 else None
    if follow_up is None or not may_see(signed_in(), follow_up):
        abort(404)
    return follow_up


def _render(
    follow_up: FollowUp, form: FollowUpForm, status: int = 200, extra: list[str] | None = None
) -> Response:
    survey, case = survey_and_case(db.session, follow_up)
    page = render_template(
        "surveys/staff/follow_up.html",
        follow_up=follow_up,
        survey=survey,
        case=case,
        form=form,
        faces=FACE_LABELS,
        aspects=ASPECT_LABELS,
        office=db.session.get(Office, follow_up.office_id),
        countdown=_countdown(follow_up, local_day(utcnow()), office_calendar()),
        extra_errors=extra or [],
    )
    return private_page(page, status)


@bp.route("/<int:follow_up_id>", methods=["GET", "POST"])
@permission_required(Permission.FOLLOW_UP_SURVEYS)
def follow_up_page(follow_up_id: int) -> Any:
    """One follow-up: the survey's answers, the case, and the supervisor's record."""
    follow_up = _follow_up_or_404(follow_up_id)
    form = FollowUpForm(obj=follow_up if request.method == "GET" else None)
    if request.method == "GET":
        form.done.data = follow_up.done_at is not None
        return _render(follow_up, form)
    if not form.validate_on_submit():
        return _render(follow_up, form, 400)
    work = FollowUpWork(
        contact_made=form.contact_made.data or "",
        outcome=form.outcome.data or "",
        improvement=form.improvement.data or "",
        improvement_public=bool(form.improvement_public.data),
        done=bool(form.done.data),
    )
    try:
        record_work(follow_up, work, signed_in(), utcnow())
    except FollowUpError as error:
        db.session.rollback()
        return _render(follow_up, form, 400, [str(_ERRORS[str(error)])])
    db.session.commit()
    flash(_("已儲存追蹤紀錄。"), "success")
    return redirect(url_for("survey_follow_ups.follow_up_page", follow_up_id=follow_up.id), 303)
