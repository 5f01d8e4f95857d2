"""Staff intake: a case taken at the counter (臨櫃), on the phone (1910), from a letter or an e-mail.

Three steps on one URL: the form; the review page, where a spoken request is read back
to the citizen and the officer confirms it (required for the counter and the phone); the
saved case, with its number and password shown once and a printable PDF receipt. The
case goes straight to its office's queue (no e-mail confirmation: the officer saw or
heard the citizen), recorded with its channel and who typed it in.
"""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request
from sqlalchemy import select

from feedback.cases.calendar import office_calendar
from feedback.cases.handling import local_day
from feedback.cases.intake import CaseDraft, IntakeError, IntakeKeys, open_case
from feedback.cases.labels import CHANNEL_LABELS
from feedback.cases.lookup import number_key
from feedback.cases.models import Case, CaseType
from feedback.cases.notices import receipt_notice, send_notice
from feedback.cases.numbers import normalise_case_password
from feedback.cases.passwords import verify_case_password
from feedback.cases.staff import bp
from feedback.cases.staff.common import lookup_url, private_page, send_mail_soon, signed_in
from feedback.cases.staff.intake_forms import SPOKEN_CHANNELS, STAFF_CHANNELS, ReceiptForm, StaffIntakeForm
from feedback.cases.staff.queue import may_see
from feedback.cases.staff.receipt import ReceiptContent, receipt_pdf
from feedback.cases.states import Channel
from portal.auth import Permission, permission_required
from portal.db import db, utcnow
from portal.http import content_disposition
from portal.i18n import _, localized
from portal.offices.models import Office
from portal.offices.services import current_agency


def intake_keys() -> IntakeKeys:
    """The keys intake needs, from the settings (the same as the citizen's mailbox)."""
    config = current_app.config
    return IntakeKeys(password_key=config["CASE_PASSWORD_KEY"], email_key=config["SECRET_KEY"])


def _fill(form: StaffIntakeForm) -> None:
    form.channel.choices = [(channel.value, str(CHANNEL_LABELS[channel])) for channel in STAFF_CHANNELS]
    types = db.session.scalars(
        select(CaseType).where(CaseType.active.is_(True)).order_by(CaseType.sort_order, CaseType.code)
    )
    form.case_type.choices = [("", _("請選擇"))] + [(kind.code, localized(kind, "name")) for kind in types]
    offices = db.session.scalars(select(Office).where(Office.active.is_(True)).order_by(Office.sort_order))
    form.office.choices = [("", _("請選擇"))] + [
        (office.code, localized(office, "name")) for office in offices
    ]
    form.language.choices = [("zh", "中文"), ("en", "English")]


def _form_page(form: StaffIntakeForm, status: int) -> Response:
    return private_page(render_template("cases/staff/intake.html", form=form), status)


def _review_page(form: StaffIntakeForm, status: int) -> Response:
    spoken = form.channel.data in SPOKEN_CHANNELS
    return private_page(render_template("cases/staff/intake_review.html", form=form, spoken=spoken), status)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.HANDLE_CASES)
def intake() -> Response:
    """Type in a case for a citizen, read it back, save it, and hand over the receipt."""
    form = StaffIntakeForm()
    _fill(form)
    if request.method == "GET":
        staff = signed_in()
        form.channel.data = request.args.get("channel", Channel.COUNTER.value)
        form.office.data = staff.office.code if staff.office else ""
        return _form_page(form, 200)
    if form.edit.data:
        return _form_page(form, 200)
    if not form.validate_on_submit():
        return _form_page(form, 400)
    if not form.save.data:
        return _review_page(form, 200)
    if form.channel.data in SPOKEN_CHANNELS and not form.read_back.data:
        form.read_back.errors = [_("請先向民眾複誦內容並確認無誤，再建立案件。")]
        return _review_page(form, 400)
    return _save(form)


def _draft(form: StaffIntakeForm) -> CaseDraft:
    return CaseDraft(
        type_code=form.case_type.data or "",
        office_code=form.office.data or "",
        channel=Channel(form.channel.data),
        subject=(form.subject.data or "").strip(),
        description=(form.description.data or "").strip(),
        contact_name=(form.contact_name.data or "").strip(),
        contact_email=(form.contact_email.data or "").strip() or None,
        contact_phone=(form.contact_phone.data or "").strip() or None,
        address=(form.address.data or "").strip() or None,
        language=form.language.data or "zh",
    )


def _save(form: StaffIntakeForm) -> Response:
    staff_id = signed_in().id
    session = db.use_writer_session()  # the day's number is issued under the write lock (SQLite)
    now = utcnow()
    try:
        opened = open_case(
            session,
            _draft(form),
            today=local_day(now),
            calendar=office_calendar(),
            keys=intake_keys(),
            needs_confirmation=False,
        )
    except IntakeError as error:
        session.rollback()
        getattr(form, "case_type" if error.field == "type" else "office").errors = [_("請從清單中選擇。")]
        return _form_page(form, 400)
    case = opened.case
    case.received_by_id = staff_id
    send_notice(session, case, receipt_notice(case, opened.password, lookup_url(case)), now)
    session.commit()
    send_mail_soon()
    page = render_template(
        "cases/staff/intake_saved.html",
        case=case,
        password=opened.password,
        channel_label=CHANNEL_LABELS[Channel(case.channel)],
        may_handle=may_see(signed_in(), case),  # a case taken in for another office is theirs to handle
    )
    return private_page(page, 201)


def _receipt_case(number: str) -> Case:
    """The case numbered `number` for the officer who took it in (for any office) or who may see it; else 404."""
    staff = signed_in()
    case = db.session.scalar(select(Case).where(Case.number == number_key(number)))
    if case is None or not (case.received_by_id == staff.id or may_see(staff, case)):
        abort(404)
    return case


@bp.route("/<number>/receipt.pdf", methods=["POST"])
@permission_required(Permission.HANDLE_CASES)
def receipt(number: str) -> Response:
    """The receipt as PDF, for the officer who has just saved the case and holds its password."""
    found = _receipt_case(number)
    form = ReceiptForm()
    password = form.password.data or ""
    if not form.validate_on_submit() or not verify_case_password(
        current_app.config["CASE_PASSWORD_KEY"], found.password_hash, password
    ):
        return private_page(render_template("cases/staff/receipt_refused.html", case=found), 400)
    office = db.session.get(Office, found.office_id)
    content = ReceiptContent(
        agency=current_agency().name_zh,
        office=office.name_zh if office else "",
        office_phone=(office.phone if office else "") or "",
        number=found.number,
        password=normalise_case_password(password),
        type_name=f"{found.case_type.name_zh} {found.case_type.name_en}",
        channel=str(CHANNEL_LABELS[Channel(found.channel)]),
        received=found.received_on,
        due=found.due_on,
        lookup_url=lookup_url(found),
    )
    config = current_app.config
    body = receipt_pdf(content, font_path=config["PDF_FONT"], font_index=config["PDF_FONT_INDEX"])
    response = private_page(body)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition(f"receipt-{found.number}.pdf", inline=True)
    return response
