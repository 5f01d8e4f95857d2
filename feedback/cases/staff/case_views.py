"""A case's staff page and the handling actions posted from it.

Each action is its own POST route with its own form; it goes through
`feedback.cases.handling` (or `assignment`), commits the change with its timeline entry
and the citizen's mail together, and redirects back to the page. A refused action
re-renders the page (400) with the reason beside its form. Opening the citizen's full
contact details is a POST too, written to the audit log with who and when.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, url_for
from flask_babel import force_locale
from flask_wtf import FlaskForm
from sqlalchemy import select

from feedback.cases.calendar import office_calendar
from feedback.cases.deadlines import CalendarGapError
from feedback.cases.handling import close_without_reply, extend, local_day, merge, move, transfer
from feedback.cases.hooks import closing_lines
from feedback.cases.intake import start_clock
from feedback.cases.lifecycle import MoveError
from feedback.cases.lookup import number_key
from feedback.cases.models import Case, CaseEvent
from feedback.cases.notices import notice_locale, send_notice, state_notice
from feedback.cases.staff import bp
from feedback.cases.staff.assignment import AssignmentError, assign
from feedback.cases.staff.case_page import FORMS, fill_choices, render_case
from feedback.cases.staff.common import case_or_404, lookup_url, private_page, send_mail_soon, signed_in
from feedback.cases.staff.queue import may_see
from feedback.cases.states import OPEN_STATES, CaseState
from portal.audit import record
from portal.auth import Permission, permission_required
from portal.db import db, utcnow
from portal.i18n import _, localized
from portal.offices.models import Office


def _back(case: Case, message: str) -> Any:
    db.session.commit()
    send_mail_soon()
    flash(message, "success")
    return redirect(url_for("cases_staff.case", number=case.number))


def _posted(case: Case, name: str) -> tuple[FlaskForm, bool]:
    """The posted form of action `name`, with the case's choices, and whether it validated."""
    form = FORMS[name](prefix=name)
    fill_choices(case, {name: form})
    return form, form.validate_on_submit()


def _refuse(case: Case, name: str, form: FlaskForm) -> Response:
    db.session.rollback()
    return private_page(render_case(case, failed={name: form}), 400)


def _calendar_gap(gap: CalendarGapError) -> str:
    # Reopening and transferring count working days up to today: a year not yet imported stops them.
    return _("辦公日曆缺少 %(day)s，無法計算工作天數。請先匯入該年度的辦公日曆。", day=gap.day.isoformat())


def _tell_citizen(case: Case, reply: str | None = None) -> None:
    now, extra = utcnow(), []
    if case.state == CaseState.CLOSED:
        with force_locale(notice_locale(case)):
            extra = closing_lines(db.session, case, now)  # the survey's link, from feedback.surveys
    send_notice(db.session, case, state_notice(case, lookup_url(case), reply, extra), now)


@bp.route("/<number>")
@permission_required(Permission.HANDLE_CASES)
def case(number: str) -> Response:
    """The case's facts, masked contact, timeline (internal notes included) and handling forms."""
    return private_page(render_case(case_or_404(number)))


@bp.route("/<number>/contact", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def reveal_contact(number: str) -> Response:
    """The case's page with the full contact details, once the opening is written to the audit log."""
    found = case_or_404(number)
    form, valid = _posted(found, "reveal")
    if not valid:
        return _refuse(found, "reveal", form)
    record(
        db.session,
        "case.contact_viewed",
        "case",
        found.number,
        after={"fields": ["name", "email", "phone", "address"]},
    )
    db.session.commit()
    return private_page(render_case(found, revealed=True))


@bp.route("/<number>/move", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def move_case(number: str) -> Any:
    """A new state, with a public reply (required when replying)."""
    found = case_or_404(number)
    form, valid = _posted(found, "move")
    reply = (form.reply.data or "").strip() or None
    if valid and form.target.data == CaseState.REPLIED and not reply:
        form.reply.errors = [_("改為「已回覆」時，請填寫回覆民眾的內容。")]
        valid = False
    if not valid:
        return _refuse(found, "move", form)
    calendar, now = office_calendar(), utcnow()
    unconfirmed = found.state == CaseState.RECEIVED
    try:
        move(
            found,
            CaseState(form.target.data),
            calendar=calendar,
            now=now,
            staff_id=signed_in().id,
            reply=reply,
        )
        if unconfirmed:
            # Taken on without the citizen's e-mail confirmation: its clock starts today, as on confirmation.
            start_clock(found, local_day(now), calendar)
    except MoveError:
        form.target.errors = [_("結案超過 30 個工作天的案件不能重新開啟，請另立新案。")]
        return _refuse(found, "move", form)
    except CalendarGapError as gap:
        form.target.errors = [_calendar_gap(gap)]
        return _refuse(found, "move", form)
    _tell_citizen(found, reply)
    return _back(found, _("已更新案件狀態。"))


@bp.route("/<number>/note", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def add_note(number: str) -> Any:
    """An internal note on the timeline."""
    found = case_or_404(number)
    form, valid = _posted(found, "note")
    if not valid:
        return _refuse(found, "note", form)
    body = (form.note.data or "").strip()
    found.events.append(CaseEvent(at=utcnow(), kind="note", public=False, body=body, staff_id=signed_in().id))
    return _back(found, _("已加入內部註記。"))


@bp.route("/<number>/assign", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def assign_case(number: str) -> Any:
    """Give the case to one of its office's officers, or back to the office's queue."""
    found = case_or_404(number)
    form, valid = _posted(found, "assign")
    if not valid:
        return _refuse(found, "assign", form)
    try:
        assign(
            db.session,
            found,
            int(form.officer.data) if form.officer.data else None,
            actor=signed_in(),
            now=utcnow(),
        )
    except AssignmentError as error:
        form.officer.errors = [str(error)]
        return _refuse(found, "assign", form)
    return _back(found, _("已更新承辦人。"))


@bp.route("/<number>/extend", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def extend_case(number: str) -> Any:
    """More working days, with the reason the citizen reads."""
    found = case_or_404(number)
    form, valid = _posted(found, "extend")
    if valid and CaseState(found.state) in {CaseState.CLOSED, CaseState.RECEIVED}:
        form.days.errors = [_("只有處理中的案件可以延長期限。")]
        valid = False
    if not valid:
        return _refuse(found, "extend", form)
    extend(
        found,
        int(form.days.data or 0),
        form.reason.data or "",
        calendar=office_calendar(),
        now=utcnow(),
        staff_id=signed_in().id,
    )
    return _back(found, _("已延長處理期限。"))


@bp.route("/<number>/transfer", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def transfer_case(number: str) -> Any:
    """Send the case to another office (a misdirected case within one working day is counted as such)."""
    found = case_or_404(number)
    form, valid = _posted(found, "transfer")
    if valid and CaseState(found.state) not in OPEN_STATES:
        form.office.errors = [_("只有處理中的案件可以移轉。")]  # a closed case's figures stay its office's
        valid = False
    if not valid:
        return _refuse(found, "transfer", form)
    office = db.session.scalar(select(Office).where(Office.code == form.office.data))
    assert office is not None  # the form offered only existing offices
    try:
        transfer(found, office.id, calendar=office_calendar(), now=utcnow(), staff_id=signed_in().id)
    except CalendarGapError as gap:
        form.office.errors = [_calendar_gap(gap)]
        return _refuse(found, "transfer", form)
    db.session.commit()
    flash(_("已移轉至 %(office)s。", office=localized(office, "name")), "success")
    if may_see(signed_in(), found):
        return redirect(url_for("cases_staff.case", number=found.number))
    return redirect(url_for("cases_staff.queue"))


@bp.route("/<number>/merge", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def merge_case(number: str) -> Any:
    """Close the case as a duplicate of another the officer may see."""
    found = case_or_404(number)
    form, valid = _posted(found, "merge")
    into = (
        db.session.scalar(select(Case).where(Case.number == number_key(form.into.data or "")))
        if valid
        else None
    )
    if valid and (into is None or not may_see(signed_in(), into)):
        form.into.errors = [_("找不到這個案件編號，或您無權處理該案件。")]
        valid = False
    if not valid or into is None:
        return _refuse(found, "merge", form)
    try:
        merge(found, into, calendar=office_calendar(), now=utcnow(), staff_id=signed_in().id)
    except (ValueError, MoveError):
        form.into.errors = [_("不能併入本案、已併入他案的案件，或已結案的案件不能再併案。")]
        return _refuse(found, "merge", form)
    _tell_citizen(found)
    return _back(found, _("已併入案件 %(number)s。", number=into.number))


@bp.route("/<number>/no-reply", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def close_no_reply(number: str) -> Any:
    """Close a petition not to be answered under 行政程序法 §173."""
    found = case_or_404(number)
    form, valid = _posted(found, "no_reply")
    if not valid:
        return _refuse(found, "no_reply", form)
    try:
        close_without_reply(
            found,
            form.reason.data or "",
            (form.note.data or "").strip(),
            calendar=office_calendar(),
            now=utcnow(),
            staff_id=signed_in().id,
        )
    except (ValueError, MoveError):
        form.reason.errors = [_("這個案件目前不能結案。")]
        return _refuse(found, "no_reply", form)
    _tell_citizen(found)
    return _back(found, _("已依行政程序法第 173 條結案。"))
