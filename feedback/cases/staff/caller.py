"""Looking a case up for a caller (1910, or at the counter) once the caller's identity is checked.

The officer types the case number and what the caller says: their name and the phone
number or e-mail address on the case, or the case password. Only a full match opens the
case's public status (what the citizen sees on the lookup page), with a link to the
staff page when the officer may handle it. Every attempt, matched or not, is written to
the audit log with who, when, the number and the kind of check; never what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask import Response, current_app, render_template
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from feedback.cases.labels import STATE_LABELS
from feedback.cases.lookup import number_key
from feedback.cases.models import Case
from feedback.cases.passwords import verify_case_password
from feedback.cases.staff import bp
from feedback.cases.staff.common import private_page, signed_in
from feedback.cases.staff.queue import may_see
from feedback.cases.states import CaseState
from feedback.cases.views import PUBLIC_KINDS
from portal.audit import record
from portal.auth import Permission, permission_required
from portal.db import db
from portal.forms import LineField
from portal.i18n import _, _l
from portal.offices.models import Office


class CallerLookupForm(FlaskForm):
    """The case number and how the caller proved the case is theirs."""

    number = LineField(
        _l("案件編號"), validators=[DataRequired(message=_l("請輸入案件編號。")), Length(max=40)]
    )
    method = SelectField(
        _l("身分核對方式"),
        choices=[("contact", _l("姓名與案件上的電話或電子郵件")), ("password", _l("案件密碼"))],
        validators=[DataRequired(message=_l("請選擇身分核對方式。"))],
    )
    caller_name = LineField(_l("來電者姓名"), validators=[Optional(), Length(max=60)])
    caller_contact = LineField(_l("來電者提供的電話或電子郵件"), validators=[Optional(), Length(max=254)])
    password = PasswordField(_l("來電者提供的案件密碼"), validators=[Optional(), Length(max=40)])
    submit = SubmitField(_l("核對並查詢"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Every field's checks, then what the chosen check needs (an empty one is no check at all)."""
        valid = super().validate(extra_validators)
        needed = {
            "contact": [
                (self.caller_name, _l("請填寫來電者姓名。")),
                (self.caller_contact, _l("請填寫來電者提供的電話或電子郵件。")),
            ],
            "password": [(self.password, _l("請填寫來電者提供的案件密碼。"))],
        }
        for field, message in needed.get(self.method.data or "", []):
            if not (field.data or "").strip():
                field.errors = [*field.errors, message]
                valid = False
        return valid


def _plain(text: str | None) -> str:
    """Text as people say it: width, case and spaces ignored."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).casefold()


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text or ""))


def contact_matches(case: Case, name: str, contact: str) -> bool:
    """Whether the caller's name and phone (digits) or e-mail match the case's."""
    if not _plain(name) or _plain(name) != _plain(case.contact_name):
        return False
    said = contact.strip()
    if "@" in said:
        return bool(case.contact_email) and _plain(said) == _plain(case.contact_email)
    digits = _digits(said)
    return len(digits) >= 6 and digits == _digits(case.contact_phone)


def _matched(form: CallerLookupForm, case: Case | None) -> bool:
    if form.method.data == "password":
        key = current_app.config["CASE_PASSWORD_KEY"]
        return verify_case_password(key, case.password_hash if case else None, form.password.data or "")
    return case is not None and contact_matches(
        case, form.caller_name.data or "", form.caller_contact.data or ""
    )


def _page(form: CallerLookupForm, status: int, **context: Any) -> Response:
    return private_page(render_template("cases/staff/caller.html", form=form, **context), status)


@bp.route("/caller", methods=["GET", "POST"])
@permission_required(Permission.HANDLE_CASES)
def caller_lookup() -> Response:
    """The caller's case, once their identity is checked; every attempt is logged."""
    form = CallerLookupForm()
    if not form.is_submitted():
        return _page(form, 200)
    if not form.validate_on_submit():
        return _page(form, 400)
    number = number_key(form.number.data or "")
    case = db.session.scalar(select(Case).where(Case.number == number, Case.purged_at.is_(None)))
    matched = _matched(form, case)
    record(
        db.session,
        "case.caller_lookup",
        "case",
        number,
        after={"method": form.method.data, "matched": matched},
    )
    db.session.commit()
    if not matched or case is None:
        return _page(
            form, 200, refused=_("資料不符：案件編號、姓名、聯絡方式或密碼有誤。請再次向來電者確認。")
        )
    offices = {office.id: office for office in db.session.scalars(select(Office))}
    return _page(
        form,
        200,
        case=case,
        office=offices.get(case.office_id),
        offices=offices,
        state_label=STATE_LABELS[CaseState(case.state)],
        state_labels=STATE_LABELS,
        events=[event for event in case.events if event.public and event.kind in PUBLIC_KINDS],
        may_handle=may_see(signed_in(), case),
    )
