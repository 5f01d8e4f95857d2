"""The staff's counter-survey pages, under `/staff/surveys/counters` (survey managers only).

- The counters of each office: add, rename, stop using (a counter's code is in its
  links and poster, so it is fixed once made; a counter is deactivated, never deleted,
  since answers refer to it). `Counter` is an audited model.
- Each counter's kiosk page, its poster (A4 PDF whose QR code opens the phone page), and
  "set up this tablet as the kiosk": a signed cookie naming the device, whose cool-down
  is then counted on its own.
- The answers: figures per office and counter over a date range, and the bursts of
  flagged answers, each with a form to exclude it with a reason (audited).

A survey manager who belongs to an office and does not handle every office's cases
sees only that office.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import func, select

from feedback.cases.handling import local_day
from feedback.surveys.counter_figures import counter_figures, office_totals
from feedback.surveys.counter_limits import limits_from
from feedback.surveys.counter_views import set_kiosk_cookie
from feedback.surveys.counters import burst_responses, exclude, flagged_bursts
from feedback.surveys.models import Counter, CounterResponse
from feedback.surveys.poster import PosterContent, poster_pdf
from feedback.surveys.staff_counter_forms import AnswersFilterForm, CounterForm, ExcludeBurstForm
from portal.audit import record
from portal.auth import Permission, permission_required
from portal.auth.models import Staff
from portal.db import db, utcnow
from portal.http import content_disposition
from portal.i18n import _, _l, localized, url_for_language
from portal.offices.models import Office
from portal.offices.services import current_agency
from portal.ratelimits import limiter_of
from portal.web.registry import DashboardCard, Link

bp = Blueprint("counter_survey_staff", __name__, url_prefix="/staff/surveys/counters")
DEFAULT_DAYS = 30


def _staff() -> Staff:
    staff: Staff = g.staff
    return staff


def office_scope(staff: Staff) -> int | None:
    """The one office `staff` manages counters of, or None for every office."""
    if staff.can(Permission.HANDLE_ALL_CASES) or staff.office_id is None:
        return None
    return staff.office_id


def _offices() -> list[Office]:
    scope = office_scope(_staff())
    query = select(Office).order_by(Office.sort_order, Office.code)
    if scope is not None:
        query = query.where(Office.id == scope)
    return list(db.session.scalars(query))


def _counter_or_404(office_code: str, counter_code: str) -> tuple[Office, Counter]:
    found = db.session.execute(
        select(Office, Counter)
        .join(Counter, Counter.office_id == Office.id)
        .where(Office.code == office_code[:20], Counter.code == counter_code[:20])
    ).first()
    scope = office_scope(_staff())
    if found is None or (scope is not None and found[0].id != scope):
        abort(404)
    office, counter = found
    return office, counter


@bp.route("")
@permission_required(Permission.MANAGE_SURVEYS)
def counter_list() -> Any:
    """The counters of each office the manager sees, with their kiosk page and poster."""
    offices = _offices()
    counters = db.session.scalars(
        select(Counter).where(Counter.office_id.in_([office.id for office in offices])).order_by(Counter.code)
    )
    by_office: dict[int, list[Counter]] = {office.id: [] for office in offices}
    for counter in counters:
        by_office[counter.office_id].append(counter)
    return render_template("surveys/staff/counters.html", offices=offices, by_office=by_office)


def _save(form: CounterForm, counter: Counter) -> None:
    counter.name_zh = (form.name_zh.data or "").strip()
    counter.name_en = (form.name_en.data or "").strip()
    counter.active = bool(form.active.data)
    db.session.add(counter)
    db.session.commit()


def _edit_page(form: CounterForm, counter: Counter | None, office: Office | None, status: int) -> Any:
    page = render_template("surveys/staff/counter_edit.html", form=form, counter=counter, office=office)
    return page, status


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def counter_new() -> Any:
    """Add a counter to an office."""
    form = CounterForm()
    offices = {office.code: office for office in _offices()}
    form.office.choices = [("", _("請選擇"))] + [
        (code, localized(office, "name")) for code, office in offices.items()
    ]
    if request.method == "GET":
        form.active.data = True
        return _edit_page(form, None, None, 200)
    if form.validate_on_submit():
        office = offices.get(form.office.data or "")
        code = form.code.data or ""
        if office is None:
            form.office.errors = [_("請選擇服務據點。")]
        elif db.session.scalar(
            select(Counter.id).where(Counter.office_id == office.id, Counter.code == code)
        ):
            form.code.errors = [_("這個服務據點已有櫃台使用這個代碼。")]
        else:
            counter = Counter(office_id=office.id, code=code)
            _save(form, counter)
            flash(_("已新增櫃台 %(name)s。", name=localized(counter, "name")), "success")
            return redirect(url_for("counter_survey_staff.counter_list"))
    return _edit_page(form, None, None, 400)


@bp.route("/<office_code>/<counter_code>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def counter_edit(office_code: str, counter_code: str) -> Any:
    """Rename a counter or stop using it (its office and code stay)."""
    office, counter = _counter_or_404(office_code, counter_code)
    form = CounterForm(obj=counter)
    form.office.choices = [(office.code, localized(office, "name"))]
    form.office.data = office.code
    form.code.data = counter.code  # fixed once made
    if form.validate_on_submit():
        _save(form, counter)
        flash(_("已儲存櫃台 %(name)s。", name=localized(counter, "name")), "success")
        return redirect(url_for("counter_survey_staff.counter_list"))
    return _edit_page(form, counter, office, 400 if request.method == "POST" else 200)


@bp.route("/<office_code>/<counter_code>/kiosk-setup", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def kiosk_setup(office_code: str, counter_code: str) -> Any:
    """Make this browser the counter's kiosk (a signed cookie naming a new device), then open the kiosk page."""
    office, counter = _counter_or_404(office_code, counter_code)
    device_id = secrets.token_urlsafe(12)
    record(db.session, "counter_kiosk.set_up", "service_counter", counter.id, after={"device": device_id})
    db.session.commit()
    response = redirect(
        url_for("counter_survey.kiosk", office_code=office.code, counter_code=counter.code), 303
    )
    set_kiosk_cookie(response, device_id)
    return response


@bp.route("/<office_code>/<counter_code>/poster.pdf")
@permission_required(Permission.MANAGE_SURVEYS)
def poster(office_code: str, counter_code: str) -> Response:
    """The counter's A4 poster; its QR code opens the phone page (Chinese, absolute)."""
    office, counter = _counter_or_404(office_code, counter_code)
    agency = current_agency()
    content = PosterContent(
        agency_zh=agency.name_zh,
        agency_en=agency.name_en,
        office_zh=office.name_zh,
        office_en=office.name_en,
        counter_zh=counter.name_zh,
        counter_en=counter.name_en or counter.name_zh,
        url=url_for_language(
            "zh", "counter_survey.phone", office_code=office.code, counter_code=counter.code
        ),
    )
    config = current_app.config
    body = poster_pdf(content, font_path=config["PDF_FONT"], font_index=config["PDF_FONT_INDEX"])
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(
        f"counter-poster-{office.code}-{counter.code}.pdf", inline=True
    )
    return response


def _filters(offices: list[Office]) -> tuple[AnswersFilterForm, bool]:
    form = AnswersFilterForm(request.args)
    form.office.choices = [("", _("全部服務據點"))] + [
        (office.code, localized(office, "name")) for office in offices
    ]
    today = local_day(utcnow())
    if not request.args:
        form.start.data, form.end.data = today - timedelta(days=DEFAULT_DAYS - 1), today
        return form, True
    return form, form.validate()


def _answers_page(
    form: AnswersFilterForm, valid: bool, offices: list[Office], status: int, **extra: Any
) -> Any:
    today = local_day(utcnow())
    start: date = form.start.data if valid and form.start.data else today - timedelta(days=DEFAULT_DAYS - 1)
    end: date = form.end.data if valid and form.end.data else today
    chosen = next((office for office in offices if valid and office.code == form.office.data), None)
    scope = chosen.id if chosen else office_scope(_staff())
    rows = counter_figures(db.session, scope, start, end)
    rule = limits_from(current_app.config, limiter_of(current_app).storage).burst
    page = render_template(
        "surveys/staff/counter_answers.html",
        form=form,
        rows=rows,
        totals=office_totals(rows),
        bursts=flagged_bursts(db.session, scope, start, end, rule),
        counters={row.counter_id: row for row in rows},
        start=start,
        end=end,
        office_code=chosen.code if chosen else "",
        rule=rule,
        **extra,
    )
    return page, (400 if not valid else status)


@bp.route("/answers")
@permission_required(Permission.MANAGE_SURVEYS)
def answers() -> Any:
    """The figures per office and counter for a date range, and the flagged bursts to review."""
    offices = _offices()
    form, valid = _filters(offices)
    return _answers_page(form, valid, offices, 200)


@bp.route("/answers/exclude", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def exclude_burst() -> Any:
    """Exclude a burst's flagged answers from the figures, with the reason given (audited)."""
    form = ExcludeBurstForm()
    back: dict[str, Any] = {key: (request.form.get(key) or "")[:20] for key in ("start", "end", "office")}
    if not form.validate_on_submit():
        offices = _offices()
        filters, valid = _filters(offices)
        return _answers_page(
            filters, valid, offices, 400, failed=(form.counter.data, form.ids.data), exclude_form=form
        )
    counter = db.session.get(Counter, int(form.counter.data or 0))
    scope = office_scope(_staff())
    if counter is None or (scope is not None and counter.office_id != scope):
        abort(404)
    chosen = burst_responses(db.session, counter.id, form.id_numbers())
    if not chosen:
        flash(_("這批回答已經排除，或已不在標記中。"), "error")
    else:
        count = exclude(db.session, chosen, _staff(), form.reason.data or "")
        db.session.commit()
        flash(_("已排除 %(count)d 筆回答，不再列入統計。", count=count), "success")
    return redirect(url_for("counter_survey_staff.answers", **back), 303)


def counter_card(staff: Staff) -> DashboardCard | None:
    """The staff dashboard's card for survey managers: counters in use and bursts awaiting review."""
    if not staff.can(Permission.MANAGE_SURVEYS):
        return None
    scope = office_scope(staff)
    in_use = select(func.count(Counter.id)).where(Counter.active.is_(True))
    flagged = select(func.count(CounterResponse.id)).where(
        CounterResponse.flagged.is_(True), CounterResponse.excluded_at.is_(None)
    )
    if scope is not None:
        in_use = in_use.where(Counter.office_id == scope)
        flagged = flagged.where(CounterResponse.office_id == scope)
    return DashboardCard(
        title=_l("櫃台滿意度"),
        figures=[
            (_l("使用中的櫃台"), db.session.scalar(in_use) or 0),
            (_l("待檢視的標記回答"), db.session.scalar(flagged) or 0),
        ],
        links=[
            Link("counter_survey_staff.counter_list", _l("櫃台與平板")),
            Link("counter_survey_staff.answers", _l("櫃台評分統計")),
        ],
        order=26,
    )
