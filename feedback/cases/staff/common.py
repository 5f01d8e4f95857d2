"""What the staff case pages share: finding a case the signed-in officer may see, the officers to pick, the lookup link."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, g, make_response
from sqlalchemy import select

from feedback.cases.lookup import number_key
from feedback.cases.models import Case
from feedback.cases.staff.queue import may_see
from portal.auth.models import Staff, StaffRole
from portal.auth.roles import Role
from portal.db import db
from portal.i18n import url_for_language
from portal.jobs import enqueue


def signed_in() -> Staff:
    """The member of staff of this request (the views are all behind `permission_required`)."""
    staff: Staff = g.staff
    return staff


def case_or_404(number: str) -> Case:
    """The case numbered `number` if the signed-in officer may see it; 404 otherwise (others' cases included)."""
    case = db.session.scalar(select(Case).where(Case.number == number_key(number)))
    if case is None or not may_see(signed_in(), case):
        abort(404)
    return case


def lookup_url(case: Case) -> str:
    """The lookup page with the case's number filled in, in the citizen's language (not the officer's)."""
    return url_for_language(case.language, "cases.lookup", number=case.number)


def officers_of(office_id: int | None) -> list[Staff]:
    """Active case officers of an office (every office's, when `office_id` is None), by name."""
    query = (
        select(Staff)
        .join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(Staff.active.is_(True), StaffRole.role == Role.CASE_OFFICER.value)
        .order_by(Staff.display_name, Staff.id)
    )
    if office_id is not None:
        query = query.where(Staff.office_id == office_id)
    return list(db.session.scalars(query).unique())


def send_mail_soon() -> None:
    """Have the background sender look at the outbox now (when mail is sent in the background)."""
    if current_app.config["CASE_MAIL_BACKGROUND"]:
        enqueue("feedback.cases.outbox.deliver_job")


def private_page(body: Any, status: int = 200) -> Response:
    """A staff answer that holds a citizen's data: never kept by a browser or proxy cache."""
    page = make_response(body, status)
    page.headers["Cache-Control"] = "no-store"
    return page
