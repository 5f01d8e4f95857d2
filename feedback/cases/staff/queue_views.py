"""The staff queue: an office's (or every office's) cases, filtered, with countdowns, and bulk assignment.

`/staff/cases/` lists open cases due first. Filters come from the query string through
a form, so a value that is not offered gets a 400 with the reason. Contact names are
masked. Bulk assignment gives the ticked cases to one officer of their office; each
assignment is written on the case's timeline, audited, and the officer is notified.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from feedback.cases.calendar import office_calendar
from feedback.cases.handling import local_day
from feedback.cases.labels import CHANNEL_LABELS, STATE_LABELS
from feedback.cases.models import Case, CaseType
from feedback.cases.staff import bp
from feedback.cases.staff.assignment import AssignmentError, assign
from feedback.cases.staff.common import officers_of, send_mail_soon, signed_in
from feedback.cases.staff.handling_forms import BulkAssignForm, QueueFilterForm
from feedback.cases.staff.masking import mask_name
from feedback.cases.staff.queue import QueueFilter, clock_running, countdown, queue_query, sees_every_office
from feedback.cases.states import CaseState, Channel
from portal.auth import Permission, permission_required
from portal.db import db, utcnow
from portal.i18n import _, localized
from portal.offices.models import Office
from portal.pagination import paginate, requested_page_number

PER_PAGE = 50


def _offices() -> list[Office]:
    return list(db.session.scalars(select(Office).order_by(Office.sort_order, Office.code)))


def _fill_filters(form: QueueFilterForm, offices: list[Office]) -> None:
    staff = signed_in()
    every = sees_every_office(staff)
    form.office.choices = [("", _("全部單位") if every else _("本單位"))]
    if every:
        form.office.choices += [(office.code, localized(office, "name")) for office in offices]
    form.officer.choices = [("", _("全部")), ("mine", _("我承辦的")), ("unassigned", _("尚未分派"))]
    form.officer.choices += [
        (str(officer.id), officer.display_name) for officer in officers_of(None if every else staff.office_id)
    ]
    types = db.session.scalars(select(CaseType).order_by(CaseType.sort_order, CaseType.code))
    form.type_code.choices = [("", _("全部類別"))] + [(kind.code, localized(kind, "name")) for kind in types]
    form.channel.choices = [("", _("全部管道"))] + [
        (channel.value, str(CHANNEL_LABELS[channel])) for channel in Channel
    ]
    form.state.choices = [("open", _("處理中的案件（未結案）")), ("all", _("全部狀態"))]
    form.state.choices += [(state.value, str(STATE_LABELS[state])) for state in CaseState]
    form.due.choices = [("", _("不限")), ("soon", _("即將到期")), ("overdue", _("已逾期"))]


def _chosen(form: QueueFilterForm) -> QueueFilter:
    return QueueFilter(
        office=form.office.data or "",
        officer=form.officer.data or "",
        type_code=form.type_code.data or "",
        channel=form.channel.data or "",
        state=form.state.data or "open",
        due=form.due.data or "",
    )


def _queue_page(filters: QueueFilterForm, assign_form: BulkAssignForm, status: int) -> Any:
    staff = signed_in()
    calendar = office_calendar()
    today = local_day(utcnow())
    valid = filters.validate() if request.args else True
    chosen = _chosen(filters) if valid else QueueFilter()
    page = paginate(
        db.session, queue_query(staff, chosen, today, calendar), requested_page_number(), PER_PAGE
    )
    offices = {office.id: office for office in _offices()}
    officer_names = {officer.id: officer.display_name for officer in officers_of(None)}
    rows = [
        {
            "case": case,
            "countdown": countdown(today, case.due_on, calendar) if clock_running(case) else None,
            # Past due even when the calendar cannot count by how many working days.
            "overdue": clock_running(case) and case.due_on is not None and case.due_on < today,
            "office": offices.get(case.office_id),
            "officer": officer_names.get(case.assigned_to_id or 0, ""),
            "contact": mask_name(case.contact_name or ""),
        }
        for case in page.items
    ]
    assign_form.cases.choices = [(case.number, case.number) for case in page.items]
    page_html = render_template(
        "cases/staff/queue.html",
        filters=filters,
        assign_form=assign_form,
        page=page,
        rows=rows,
        state_labels=STATE_LABELS,
        channel_labels=CHANNEL_LABELS,
        every_office=sees_every_office(staff),
        today=today,
    )
    return page_html, (400 if not valid else status)


@bp.route("/")
@permission_required(Permission.HANDLE_CASES)
def queue() -> Any:
    """The cases of the officer's office (or every office's), open ones due first."""
    filters = QueueFilterForm(request.args)
    _fill_filters(filters, _offices())
    assign_form = BulkAssignForm(prefix="assign")
    assign_form.officer.choices = _officer_choices()
    return _queue_page(filters, assign_form, 200)


def _officer_choices() -> list[tuple[str, str]]:
    staff = signed_in()
    officers = officers_of(None if sees_every_office(staff) else staff.office_id)
    return [("", _("請選擇"))] + [(str(officer.id), officer.display_name) for officer in officers]


@bp.route("/assign", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def bulk_assign() -> Any:
    """Give every ticked case to one officer; nothing is assigned unless all of them can be."""
    form = BulkAssignForm(prefix="assign")
    form.officer.choices = _officer_choices()
    numbers = request.form.getlist(form.cases.name)
    form.cases.choices = [(number, number) for number in numbers]
    if not form.validate_on_submit():
        return _refused(form)
    cases = list(db.session.scalars(select(Case).where(Case.number.in_(numbers))))
    now = utcnow()
    try:
        for case in sorted(cases, key=lambda item: item.number):
            assign(db.session, case, int(form.officer.data or 0), actor=signed_in(), now=now)
        if len(cases) != len(set(numbers)):
            raise AssignmentError(_("有案件不存在或您無權處理，沒有分派任何案件。"))
    except AssignmentError as error:
        db.session.rollback()
        form.cases.errors = [str(error)]
        return _refused(form)
    db.session.commit()
    send_mail_soon()
    flash(_("已分派 %(count)d 件案件。", count=len(cases)), "success")
    return redirect(url_for("cases_staff.queue"))


def _refused(form: BulkAssignForm) -> Any:
    filters = QueueFilterForm(formdata=None)
    _fill_filters(filters, _offices())
    return _queue_page(filters, form, 400)
