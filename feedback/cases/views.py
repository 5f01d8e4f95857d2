"""The citizen's pages: the opinion mailbox and online applications, confirmation, and the case lookup.

`/cases/new` takes a message or an application and shows its number and password once
(never cached); `/cases/confirm/<token>` is the link of the confirmation mail, which
sends a web case on to its office; `/cases/lookup` opens a case with its number and
password and shows its state, due date, how that was counted, and its public timeline,
never an internal note, and opens the lookup session that the status page's links and
forms work in (`feedback/cases/citizen_views.py`). Every refusal keeps what was typed and
says why in the visitor's language (files cannot be kept: the form says to choose them again).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app, make_response, render_template, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from feedback.cases.attachments import allow_attachment_uploads, store_checked
from feedback.cases.calendar import office_calendar
from feedback.cases.citizen_session import open_lookup_session
from feedback.cases.districts import all_districts, english_district, office_for_district
from feedback.cases.forms import LookupForm, MailboxForm
from feedback.cases.handling import local_day
from feedback.cases.intake import (
    CaseDraft,
    IntakeError,
    IntakeKeys,
    email_fingerprint,
    open_case,
    start_clock,
)
from feedback.cases.lookup import LookupGuard, LookupLimits, Outcome, look_up
from feedback.cases.models import Case, CaseEvent, CaseType
from feedback.cases.notices import confirmation_notice, receipt_notice, send_notice, state_notice
from feedback.cases.retention import CONFIRMATION_DAYS
from feedback.cases.states import CaseState, Channel
from portal.db import db, utcnow
from portal.i18n import _, current_language, localized
from portal.jobs import enqueue
from portal.offices.models import Office
from portal.ratelimits import limiter_of
from portal.request_checks import checks_its_own_fields
from portal.security import csrf

bp = Blueprint("cases", __name__, url_prefix="/cases")
_CONFIRM_SALT = "feedback.cases.confirm"
DUPLICATE_HOURS = 24
PUBLIC_KINDS = (
    "received",
    "state",
    "reply",
    "extension",
    "transfer",
    "due_changed",
    "calendar_changed",
    "merged",
    "citizen_added",
)


def _private(response: Any, status: int = 200) -> Response:
    page = make_response(response, status)
    page.headers["Cache-Control"] = "no-store"
    return page


def _keys() -> IntakeKeys:
    config = current_app.config
    return IntakeKeys(password_key=config["CASE_PASSWORD_KEY"], email_key=config["SECRET_KEY"])


def _offices() -> list[Office]:
    return list(db.session.scalars(select(Office).where(Office.active.is_(True)).order_by(Office.sort_order)))


def _fill_choices(form: MailboxForm, offices: list[Office]) -> list[CaseType]:
    types = list(
        db.session.scalars(
            select(CaseType)
            .where(CaseType.active.is_(True), CaseType.web_intake.is_(True))
            .order_by(CaseType.sort_order)
        )
    )
    form.case_type.choices = [("", _("請選擇"))] + [(kind.code, localized(kind, "name")) for kind in types]
    english = current_language().code == "en"
    districts = [
        (name, english_district(name) if english else name) for name, _code in all_districts(offices)
    ]
    form.district.choices = [("", _("不確定或不在列表中")), *districts]
    form.office.choices = [("", _("依地址自動選擇"))] + [
        (office.code, localized(office, "name")) for office in offices
    ]
    return types


def _chosen_office(form: MailboxForm, offices: list[Office], types: list[CaseType]) -> str | None:
    if form.office.data:
        return form.office.data
    by_district = office_for_district(offices, form.district.data or "")
    if by_district:
        return by_district
    chosen = next((kind for kind in types if kind.code == form.case_type.data), None)
    default = next((office for office in offices if chosen and office.id == chosen.office_id), None)
    return default.code if default else None


def _duplicate(form: MailboxForm) -> Case | None:
    email = (form.contact_email.data or "").strip()
    if not email:
        return None
    since = utcnow() - timedelta(hours=DUPLICATE_HOURS)
    key = email_fingerprint(_keys().email_key, email)
    for case in db.session.scalars(select(Case).where(Case.email_key == key, Case.created_at >= since)):
        if (
            case.subject == (form.subject.data or "").strip()
            and case.description == (form.description.data or "").strip()
        ):
            return case
    return None


def _email_over_its_limit(form: MailboxForm) -> bool:
    """Count this sending against its e-mail address's day; whether the address is past its limit."""
    email = (form.contact_email.data or "").strip()
    if not email:
        return False
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    key = f"{prefix}cases-per-email:{email_fingerprint(_keys().email_key, email)}"
    count, _ends = limiter_of(current_app).storage.hit(key, 86400)
    return count > int(current_app.config["CASES_PER_EMAIL_PER_DAY"])


def _render_new(form: MailboxForm, status: int, notices: tuple[str, ...] = ()) -> Response:
    if status >= 400:
        form.attachments.note_files_not_kept()
    page = render_template("cases/new.html", form=form, extra_errors=notices, days=CONFIRMATION_DAYS)
    return _private(page, status)


@bp.route("/new", methods=["GET", "POST"])
@checks_its_own_fields
@csrf.exempt  # the form checks its own token, after the larger upload limit applies
def new() -> Response:
    """The opinion mailbox and online applications."""
    allow_attachment_uploads()  # before anything reads the body
    form = MailboxForm()
    offices = _offices()
    types = _fill_choices(form, offices)
    if request.method == "GET":
        form.case_type.data = request.args.get("type", "")
        return _render_new(form, 200)
    if not form.validate_on_submit():
        return _render_new(form, 400)
    if form.website.data:
        return _render_new(form, 400, (_("無法受理這份表單，請清除「請勿填寫此欄」欄位後再送出。"),))
    office = _chosen_office(form, offices, types)
    if office is None:
        form.office.errors = [_("請選擇承辦單位。")]
        return _render_new(form, 400)
    if _email_over_its_limit(form):
        message = _("這個電子郵件今天已送出多件案件，請明天再送，或撥 1910 客服專線。")
        return _render_new(form, 429, (message,))
    duplicate = _duplicate(form)
    if duplicate is not None:
        message = _(
            "您在 24 小時內已送出相同的內容，案件編號 %(number)s；請勿重複送出。", number=duplicate.number
        )
        return _render_new(form, 409, (message,))
    return _open(form, office)


def _open(form: MailboxForm, office: str) -> Response:
    draft = CaseDraft(
        type_code=form.case_type.data or "",
        office_code=office,
        channel=Channel.WEB,
        subject=(form.subject.data or "").strip(),
        description=(form.description.data or "").strip(),
        contact_name=(form.contact_name.data or "").strip(),
        contact_email=(form.contact_email.data or "").strip() or None,
        contact_phone=(form.contact_phone.data or "").strip() or None,
        district=form.district.data or "",
        language=current_language().code,
    )
    session = db.use_writer_session()
    now = utcnow()
    try:
        opened = open_case(
            session,
            draft,
            today=local_day(now),
            calendar=office_calendar(),
            keys=_keys(),
            needs_confirmation=bool(current_app.config["CASE_EMAIL_CONFIRMATION"]),
        )
    except IntakeError as error:
        session.rollback()
        getattr(form, "case_type" if error.field == "type" else "office").errors = [_("請從清單中選擇。")]
        return _render_new(form, 400)
    case = opened.case
    for checked in form.attachments.checked:  # examined by the form; stored with the case or not at all
        store_checked(session, case, checked, from_citizen=True)
    lookup = url_for("cases.lookup", number=case.number, _external=True)
    send_notice(session, case, receipt_notice(case, opened.password, lookup), now)
    if case.state == CaseState.RECEIVED:
        token = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_CONFIRM_SALT).dumps(case.id)
        confirm = url_for("cases.confirm", token=token, _external=True)
        send_notice(session, case, confirmation_notice(case, confirm, CONFIRMATION_DAYS), now)
    session.commit()
    if case.contact_email:
        _send_soon()
    page = render_template(
        "cases/sent.html", case=case, password=opened.password, days=CONFIRMATION_DAYS, lookup_url=lookup
    )
    return _private(page, 201)


@bp.route("/confirm/<token>")
def confirm(token: str) -> Response:
    """The confirmation link: the web case enters its office's queue and its clock starts."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_CONFIRM_SALT)
    try:
        case_id = serializer.loads(token, max_age=CONFIRMATION_DAYS * 86400)
    except SignatureExpired:
        return _private(render_template("cases/confirmed.html", outcome="expired"), 410)
    except BadSignature:
        return _private(render_template("cases/confirmed.html", outcome="invalid"), 404)
    session = db.use_writer_session()
    case = session.get(Case, case_id) if isinstance(case_id, int) else None
    if case is None:
        return _private(render_template("cases/confirmed.html", outcome="invalid"), 404)
    if case.state == CaseState.RECEIVED:
        now = utcnow()
        case.state = CaseState.ASSIGNED.value
        case.confirmed_at = now
        case.events.append(
            CaseEvent(at=now, kind="state", state_from="received", state_to="assigned", public=True)
        )
        start_clock(case, local_day(now), office_calendar())
        lookup = url_for("cases.lookup", number=case.number, _external=True)
        send_notice(session, case, state_notice(case, lookup), now)
        session.commit()
        _send_soon()
    return _private(render_template("cases/confirmed.html", outcome="confirmed", case=case))


def _send_soon() -> None:
    if current_app.config["CASE_MAIL_BACKGROUND"]:
        enqueue("feedback.cases.outbox.deliver_job")


def _guard() -> LookupGuard:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return LookupGuard(limiter_of(current_app).storage, LookupLimits(), prefix=prefix)


@bp.route("/lookup", methods=["GET", "POST"])
def lookup() -> Response:
    """A case opened with its number and password."""
    form = LookupForm()
    if request.method == "GET":
        form.number.data = request.args.get("number", "")[:40]
        return _private(render_template("cases/lookup.html", form=form))
    if not form.validate_on_submit():
        return _private(render_template("cases/lookup.html", form=form), 400)
    address = request.remote_addr or "127.0.0.1"
    answer = look_up(
        db.session,
        _guard(),
        current_app.config["CASE_PASSWORD_KEY"],
        address,
        form.number.data or "",
        form.password.data or "",
    )
    if answer.outcome is Outcome.FOUND and answer.case is not None:
        from feedback.cases.citizen_views import status_response  # it imports PUBLIC_KINDS from here

        open_lookup_session(answer.case)
        return status_response(answer.case)
    if answer.outcome is Outcome.LOCKED:
        minutes = max(1, round(answer.retry_after / 60))
        form.password.errors = [_("嘗試次數過多，請在 %(minutes)d 分鐘後再試。", minutes=minutes)]
        page = _private(render_template("cases/lookup.html", form=form), 429)
        page.headers["Retry-After"] = str(answer.retry_after)
        return page
    form.password.errors = [_("案件編號或密碼不正確，請檢查後再試。")]
    return _private(render_template("cases/lookup.html", form=form), 200)
