"""One case's staff page: its facts, countdown, masked contact, full timeline and the handling forms.

`render_case` builds the page with every form filled with the choices this case allows
(the states it may move to, its office's officers, the other offices); an action that
fails re-renders it with that action's form carrying the errors, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_wtf import FlaskForm
from sqlalchemy import select

from feedback.cases.calendar import office_calendar
from feedback.cases.handling import NO_REPLY_REASONS, OFFICE_ZONE, counted_due, local_day
from feedback.cases.labels import CHANNEL_LABELS, STATE_LABELS
from feedback.cases.lifecycle import MOVES
from feedback.cases.models import Case
from feedback.cases.staff.common import officers_of
from feedback.cases.staff.handling_forms import (
    AssignForm,
    ExtendForm,
    MergeForm,
    MoveForm,
    NoReplyForm,
    NoteForm,
    RevealForm,
    TransferForm,
)
from feedback.cases.staff.masking import mask_address, mask_email, mask_name, mask_phone
from feedback.cases.staff.queue import clock_running, countdown
from feedback.cases.states import OPEN_STATES, CaseState
from portal.auth.models import Staff
from portal.db import db, utcnow
from portal.i18n import _l, localized
from portal.offices.models import Office

NO_REPLY_LABELS = {
    "anonymous": _l("無具體內容，或未具真實姓名或住址（第 173 條第 1 款）"),
    "repeated": _l("同一事由已適當處理並明確答覆後再陳情（第 173 條第 2 款）"),
    "not_ours": _l("非主管機關接獲以同一事由分向各機關之陳情（第 173 條第 3 款）"),
}


FORMS: dict[str, type[FlaskForm]] = {
    "move": MoveForm,
    "note": NoteForm,
    "assign": AssignForm,
    "extend": ExtendForm,
    "transfer": TransferForm,
    "merge": MergeForm,
    "no_reply": NoReplyForm,
    "reveal": RevealForm,
}


def _move_targets(case: Case) -> list[tuple[str, str]]:
    if case.merged_into_id is not None:
        return []  # carried on by the case it was merged into; reopened, it would sit in no queue
    current = CaseState(case.state)
    return [(state.value, str(STATE_LABELS[state])) for state in CaseState if state in MOVES[current]]


def _officers(case: Case) -> list[tuple[str, str]]:
    return [(str(officer.id), officer.display_name) for officer in officers_of(case.office_id)]


def _other_offices(case: Case) -> list[tuple[str, str]]:
    offices = db.session.scalars(
        select(Office).where(Office.active.is_(True), Office.id != case.office_id).order_by(Office.sort_order)
    )
    return [(office.code, localized(office, "name")) for office in offices]


def fill_choices(case: Case, forms: dict[str, FlaskForm]) -> None:
    """Offer on each of `forms` only what this case allows now."""
    choose = [("", str(_l("請選擇")))]
    if "move" in forms:
        forms["move"].target.choices = choose + _move_targets(case)
    if "assign" in forms:
        forms["assign"].officer.choices = [("", str(_l("不指定（單位待分派）"))), *_officers(case)]
    if "transfer" in forms:
        forms["transfer"].office.choices = choose + _other_offices(case)
    if "no_reply" in forms:
        reasons = [(reason, str(NO_REPLY_LABELS[reason])) for reason in NO_REPLY_REASONS]
        forms["no_reply"].reason.choices = choose + reasons


def blank_forms() -> dict[str, FlaskForm]:
    """Every handling form of the case page, empty (they read no request data)."""
    return {name: form_class(formdata=None, prefix=name) for name, form_class in FORMS.items()}


def _contact(case: Case, revealed: bool) -> dict[str, str]:
    if revealed:
        return {
            "name": case.contact_name or "",
            "email": case.contact_email or "",
            "phone": case.contact_phone or "",
            "address": case.address or "",
        }
    return {
        "name": mask_name(case.contact_name or ""),
        "email": mask_email(case.contact_email),
        "phone": mask_phone(case.contact_phone),
        "address": mask_address(case.address),
    }


def render_case(case: Case, *, failed: dict[str, FlaskForm] | None = None, revealed: bool = False) -> str:
    """The case's page; `failed` holds the form of an action that was refused, with its errors."""
    forms = blank_forms()
    forms.update(failed or {})
    fill_choices(case, forms)
    if case.assigned_to_id:
        forms["assign"].officer.data = forms["assign"].officer.data or str(case.assigned_to_id)
    calendar = office_calendar()
    now = utcnow()
    staff_ids = {event.staff_id for event in case.events if event.staff_id}
    staff_ids |= {case.assigned_to_id} if case.assigned_to_id else set()
    names = {
        row.id: row.display_name for row in db.session.scalars(select(Staff).where(Staff.id.in_(staff_ids)))
    }
    offices: dict[int, Any] = {office.id: office for office in db.session.scalars(select(Office))}
    open_now = CaseState(case.state) in OPEN_STATES
    return render_template(
        "cases/staff/case.html",
        case=case,
        forms=forms,
        contact=_contact(case, revealed),
        revealed=revealed,
        names=names,
        offices=offices,
        office=offices.get(case.office_id),
        countdown=countdown(local_day(now), case.due_on, calendar) if clock_running(case) else None,
        overdue=clock_running(case) and case.due_on is not None and case.due_on < local_day(now),
        counted=counted_due(case, calendar, now),
        open_now=open_now,
        state_labels=STATE_LABELS,
        channel_labels=CHANNEL_LABELS,
        no_reply_labels=NO_REPLY_LABELS,
        zone=OFFICE_ZONE,
        merged_into=db.session.get(Case, case.merged_into_id) if case.merged_into_id else None,
    )
