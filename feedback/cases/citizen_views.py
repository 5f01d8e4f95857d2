"""The citizen's lookup session pages: the case's status, its files, adding information, what we hold, leaving.

A lookup with the number and password (`views.lookup`), or a one-time link
(`link_views`), opens a short session bound to one case (`citizen_session`). In it,
without the password again:

- `GET /cases/status`: the state, due date, public timeline and the files the citizen
  may see, with a form to add information while the case is open;
- `POST /cases/status/add`: words and files added as a public timeline entry
  (`additions.add_information`), refused for a closed case with the reason;
- `GET /cases/status/attachments/<id>`: one of the case's visible files (any other id: 404);
- `GET /cases/status/data` and `/cases/status/data.json`: what we hold about the case
  that is the citizen's (`case_data.case_record`), printable and as a download;
- `POST /cases/status/leave`: the session ends.

Every page is `Cache-Control: no-store`. Without a session (or after it ended) each page
sends the visitor to the lookup page, saying why.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from feedback.cases.additions import CaseClosedError, add_information, may_add
from feedback.cases.attachments import allow_attachment_uploads, send_attachment
from feedback.cases.calendar import office_calendar
from feedback.cases.case_data import case_record
from feedback.cases.citizen_forms import AddInformationForm, LeaveForm
from feedback.cases.citizen_session import end_lookup_session, had_lookup_session, lookup_case
from feedback.cases.handling import OFFICE_ZONE
from feedback.cases.hooks import status_blocks
from feedback.cases.labels import STATE_LABELS
from feedback.cases.models import Case, CaseAttachment, CaseEvent
from feedback.cases.states import CaseState
from portal.db import db, utcnow
from portal.http import content_disposition
from portal.i18n import _, current_language
from portal.offices.models import Office
from portal.request_checks import checks_its_own_fields
from portal.security import csrf
from portal.site_frame import shown_offices

bp = Blueprint("cases_citizen", __name__, url_prefix="/cases")


def private(body: Any, status: int = 200) -> Response:
    """A page that holds a citizen's case: never kept by any cache."""
    page = make_response(body, status)
    page.headers["Cache-Control"] = "no-store"
    return page


def _public_kinds() -> tuple[str, ...]:
    from feedback.cases.views import PUBLIC_KINDS  # views imports this module's status page

    return PUBLIC_KINDS


def public_events(case: Case) -> list[CaseEvent]:
    """The timeline entries the citizen sees."""
    kinds = _public_kinds()
    return [event for event in case.events if event.public and event.kind in kinds]


def visible_attachments(case: Case) -> list[CaseAttachment]:
    """The case's files its citizen may see: their own, and those staff attached to a public entry."""
    public_ids = {event.id for event in public_events(case)}
    rows = db.session.scalars(
        select(CaseAttachment).where(CaseAttachment.case_id == case.id).order_by(CaseAttachment.id)
    )
    return [
        row for row in rows if row.from_citizen or (row.event_id is not None and row.event_id in public_ids)
    ]


def status_response(
    case: Case, form: AddInformationForm | None = None, status: int = 200, notices: Sequence[str] = ()
) -> Response:
    """The case's status page in the lookup session, with the form to add information."""
    offices = shown_offices()
    files = visible_attachments(case)
    by_event: dict[int | None, list[CaseAttachment]] = {}
    for item in files:
        by_event.setdefault(item.event_id, []).append(item)
    page = render_template(
        "cases/status.html",
        case=case,
        state_label=STATE_LABELS[CaseState(case.state)],
        office=offices.get(case.office_id),
        offices=offices,
        events=public_events(case),
        files_by_event=by_event,
        state_labels=STATE_LABELS,
        zone=OFFICE_ZONE,
        merged_into=db.session.get(Case, case.merged_into_id) if case.merged_into_id else None,
        add_form=form or AddInformationForm(formdata=None),
        may_add=may_add(case),
        leave_form=LeaveForm(formdata=None),
        extra_errors=notices,
        blocks=status_blocks(case),  # the survey's link, from feedback.surveys
    )
    return private(page, status)


def in_lookup_session(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Give the view the case of this browser's lookup session; without one, send the visitor to the lookup page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        ended = had_lookup_session()
        case = lookup_case(db.session)
        if case is None:
            if ended:
                flash(_("查詢已逾時或已結束，請再輸入一次案件編號與密碼。"), "notice")
            return redirect(url_for("cases.lookup"), 303)
        return view(case, *args, **kwargs)

    return wrapper


@bp.route("/status")
@in_lookup_session
def status(case: Case) -> Response:
    """The case of the lookup session."""
    return status_response(case)


@bp.route("/status/add", methods=["POST"])
@checks_its_own_fields
@csrf.exempt  # the form checks its own token, after the larger upload limit applies
@in_lookup_session  # reads the cookie only, never the body
def add(case: Case) -> ResponseReturnValue:
    """Words and files added to the case of the lookup session."""
    allow_attachment_uploads()  # before anything reads the body
    form = AddInformationForm()
    if not may_add(case):
        message = _("這個案件已經結案，無法再補充資料。如有新的問題，請填寫新的案件。")
        return status_response(case, form, 409, (message,))
    if not form.validate_on_submit():
        form.attachments.note_files_not_kept()
        return status_response(case, form, 400)
    session = db.use_writer_session()
    case = session.get(Case, case.id) or case
    try:
        add_information(
            session,
            case,
            form.text.data or "",
            form.attachments.checked,
            now=utcnow(),
            calendar=office_calendar(),
        )
    except CaseClosedError:
        session.rollback()
        return status_response(case, form, 409, (_("這個案件已經結案，無法再補充資料。"),))
    session.commit()
    flash(_("已收到您補充的資料，承辦同仁會一併處理。"), "success")
    return redirect(url_for("cases_citizen.status"), 303)


@bp.route("/status/attachments/<int:attachment_id>")
@in_lookup_session
def attachment(case: Case, attachment_id: int) -> Response:
    """One of the case's files the citizen may see; any other id is a 404."""
    found = next((item for item in visible_attachments(case) if item.id == attachment_id), None)
    if found is None:
        abort(404)
    return send_attachment(found)


def _record(case: Case) -> dict[str, Any]:
    return case_record(
        case,
        events=public_events(case),
        attachments=visible_attachments(case),
        offices={office.id: office for office in db.session.scalars(select(Office))},
        language=current_language().code,
        now=utcnow(),
    )


@bp.route("/status/data")
@in_lookup_session
def data_page(case: Case) -> Response:
    """What we hold about the case, to read or print."""
    return private(
        render_template("cases/data.html", case=case, record=_record(case), state_labels=STATE_LABELS)
    )


@bp.route("/status/data.json")
@in_lookup_session
def data_json(case: Case) -> Response:
    """What we hold about the case, as a JSON file."""
    body = json.dumps(_record(case), ensure_ascii=False, indent=2)
    response = private(Response(body, mimetype="application/json"))
    response.headers["Content-Disposition"] = content_disposition(f"case-{case.number}.json")
    return response


@bp.route("/status/leave", methods=["POST"])
def leave() -> ResponseReturnValue:
    """End the lookup session."""
    form = LeaveForm()
    if not form.validate_on_submit():
        abort(400)
    end_lookup_session()
    flash(_("已結束查詢。下次查詢請再輸入案件編號與密碼。"), "notice")
    return redirect(url_for("cases.lookup"), 303)
