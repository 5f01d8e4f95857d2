"""The counter survey's public pages, under `/surveys/counter/<office>/<counter>`.

- `/kiosk`: the tablet at the counter. Five big faces, each a submit button, so one tap
  (or Tab and Enter/Space) records the answer; then an optional reason step (fixed
  reasons, or skip), after which the visitor is sent straight back (303) to the faces
  of the Chinese start, with a "thank you" banner in the visitor's language
  (`?thanks=<language>`). No page refreshes by itself (`<meta http-equiv="refresh">`
  would cut a slow visitor off, WCAG 2.2.1), and everything works without JavaScript.
  With `site/static/js/kiosk.js`, the reason step and a refusal return to the start
  after `REASON_STEP_SECONDS` without activity (any key, touch or focus starts the
  pause again, and a warning shows `RETURN_WARNING_SECONDS` before), and the banner
  goes after `THANKS_SECONDS`. `/kiosk/thanks`, the former thank-you page, answers a
  303 to the faces with the banner. The kiosk has its own minimal layout, without the
  site's header and footer. A kiosk set up by staff carries a signed cookie naming the
  device (`KIOSK_COOKIE`), which its cool-down counts; any other browser is counted by
  its client address.
- The bare path: what the poster's QR code opens on a visitor's phone (channel "qr"),
  in the site's layout, with the face and the reason in one form.

An unknown or inactive office or counter gets a 404 page saying so, a forged face or
reason a 400 saying what is wrong, and an answer over a limit a 429 (`counter_limits`);
none of them stores anything. Pages are never cached (they carry the form's token).
`register_counters(app)` adds these pages and the staff's (`staff_counters`).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from feedback.surveys.counter_forms import CounterAnswerForm, face_choices, reason_choices
from feedback.surveys.counter_limits import AnswerLimits, Device, limits_from
from feedback.surveys.counters import (
    REASON_SECONDS,
    REASONS,
    Outcome,
    Result,
    add_reason,
    parse_score,
    record_answer,
)
from feedback.surveys.models import Counter
from portal.db import db, utcnow
from portal.i18n import LANGUAGES, _, current_language, url_for_language
from portal.offices.models import Office
from portal.ratelimits import limiter_of

bp = Blueprint("counter_survey", __name__, url_prefix="/surveys/counter")

KIOSK_COOKIE = "counter_kiosk"
KIOSK_COOKIE_DAYS = 400  # the longest browsers keep a cookie
THANKS_SECONDS = 8  # the faces' thank-you banner, before it goes (with JavaScript)
REASON_STEP_SECONDS = (
    60  # a reason step left alone returns to the faces (with JavaScript; the answer is kept)
)
RETURN_WARNING_SECONDS = 20  # how long before that return a warning shows (any activity postpones it)
_KIOSK_SALT = "counter-kiosk-device"
_REASON_SALT = "counter-survey-reason"
_STATUS = {
    Result.BAD_SCORE: 400,
    Result.BAD_REASON: 400,
    Result.BAD_CHANNEL: 400,
    Result.CLOSED: 404,
    Result.DEVICE_WAIT: 429,
    Result.COUNTER_BUSY: 429,
}


def _kiosk_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt=_KIOSK_SALT)


def _reason_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.config["SECRET_KEY"]), salt=_REASON_SALT)


def kiosk_device_id() -> str | None:
    """The device id of this browser's kiosk cookie, when it carries a valid one."""
    raw = request.cookies.get(KIOSK_COOKIE)
    if not raw or len(raw) > 200:
        return None
    try:
        value = _kiosk_serializer().loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) and value else None


def set_kiosk_cookie(response: BaseResponse, device_id: str) -> None:
    """Make the browser of `response` a kiosk named `device_id` (staff set a tablet up with it)."""
    response.set_cookie(
        KIOSK_COOKIE,
        _kiosk_serializer().dumps(device_id),
        max_age=KIOSK_COOKIE_DAYS * 24 * 3600,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def _device(kiosk: bool) -> Device:
    device_id = kiosk_device_id() if kiosk else None
    return Device.kiosk(device_id) if device_id else Device.address(request.remote_addr or "127.0.0.1")


def _limits() -> AnswerLimits:
    return limits_from(current_app.config, limiter_of(current_app).storage)


def _no_store(body: Any, status: int = 200) -> Response:
    page = make_response(body, status)
    page.headers["Cache-Control"] = "no-store"
    return page


def _find(office_code: str, counter_code: str) -> tuple[Office, Counter] | None:
    found = db.session.execute(
        select(Office, Counter)
        .join(Counter, Counter.office_id == Office.id)
        .where(Office.code == office_code[:20], Counter.code == counter_code[:20])
    ).first()
    if found is None:
        return None
    office, counter = found
    return (office, counter) if office.active and counter.active else None


def _problem(
    kind: str, status: int, kiosk: bool, place: tuple[Office, Counter] | None, retry: int = 0
) -> Response:
    office, counter = place if place else (None, None)
    # A kiosk left on a refusal returns to its start after a pause, as from the reason step.
    returns = kiosk and office is not None and counter is not None
    page = render_template(
        "surveys/counter_problem.html",
        kind=kind,
        status=status,
        kiosk=kiosk,
        office=office,
        counter=counter,
        retry=retry,
        start_url=_start_url(office, counter, kiosk) if office and counter else None,
        home_url=_kiosk_home(office, counter) if returns and office and counter else None,
        **(_return_pause() if returns else {}),
    )
    response = _no_store(page, status)
    if status == 429:
        response.headers["Retry-After"] = str(max(1, retry))
    return response


def _start_url(office: Office, counter: Counter, kiosk: bool) -> str:
    endpoint = "counter_survey.kiosk" if kiosk else "counter_survey.phone"
    return url_for(endpoint, office_code=office.code, counter_code=counter.code)


def _refused(outcome: Outcome, kiosk: bool, place: tuple[Office, Counter]) -> Response:
    return _problem(str(outcome.result), _STATUS[outcome.result], kiosk, place, outcome.retry_after)


@bp.route("/<office_code>/<counter_code>", methods=["GET", "POST"])
def phone(office_code: str, counter_code: str) -> Any:
    """The survey the poster's QR code opens: a face and an optional reason, in one form."""
    place = _find(office_code, counter_code)
    if place is None:
        return _problem("unknown", 404, False, None)
    office, counter = place
    form = CounterAnswerForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _no_store(
                render_template("surveys/counter_phone.html", form=form, office=office, counter=counter), 400
            )
        score = parse_score(form.score.data)
        assert score is not None  # the form accepts only the five scores
        outcome = record_answer(
            db.session, counter, score, form.reason.data or "", "qr", utcnow(), _device(False), _limits()
        )
        if not outcome.recorded:
            db.session.rollback()
            return _refused(outcome, False, place)
        db.session.commit()
        return redirect(
            url_for("counter_survey.phone_thanks", office_code=office.code, counter_code=counter.code), 303
        )
    return _no_store(render_template("surveys/counter_phone.html", form=form, office=office, counter=counter))


@bp.route("/<office_code>/<counter_code>/thanks")
def phone_thanks(office_code: str, counter_code: str) -> Any:
    """The phone's thank-you page."""
    place = _find(office_code, counter_code)
    if place is None:
        return _problem("unknown", 404, False, None)
    office, counter = place
    return _no_store(render_template("surveys/counter_phone_thanks.html", office=office, counter=counter))


def _kiosk_home(office: Office, counter: Counter, **query: str) -> str:
    """The kiosk's start: its faces in Chinese, whatever language the last visitor chose."""
    return url_for_language(
        "zh", "counter_survey.kiosk", office_code=office.code, counter_code=counter.code, **query
    )


def _return_pause() -> dict[str, int]:
    """What a kiosk page that returns to the start by itself (with JavaScript) tells its script."""
    return {"return_seconds": REASON_STEP_SECONDS, "warning_seconds": RETURN_WARNING_SECONDS}


def _thanks_banner(asked: str) -> tuple[str, str] | None:
    """The faces' thank-you banner for `?thanks=<language>`: its `lang` and text, or None.

    The banner speaks the language of the visitor who just answered (the faces are the
    Chinese start for the next one); any other value gets the page's language.
    """
    if not asked:
        return None
    language = next((item for item in LANGUAGES if item.code == asked), current_language())
    with force_locale(language.locale):
        return language.html_lang, str(_("謝謝您的評分！"))


def _kiosk_page(template: str, place: tuple[Office, Counter], status: int = 200, **extra: Any) -> Response:
    office, counter = place
    page = render_template(
        template, office=office, counter=counter, home_url=_kiosk_home(office, counter), **extra
    )
    return _no_store(page, status)


def _back_to_the_faces(office: Office, counter: Counter) -> BaseResponse:
    """303 to the kiosk's start, with the thank-you banner in this visitor's language."""
    return redirect(_kiosk_home(office, counter, thanks=current_language().code), 303)


@bp.route("/<office_code>/<counter_code>/kiosk", methods=["GET", "POST"])
def kiosk(office_code: str, counter_code: str) -> Any:
    """The kiosk: five faces; a face pressed is recorded at once, then the reason step is shown."""
    place = _find(office_code, counter_code)
    if place is None:
        return _problem("unknown", 404, True, None)
    if request.method == "GET":
        return _kiosk_page(
            "surveys/counter_kiosk.html",
            place,
            faces=face_choices(),
            thanks=_thanks_banner(request.args.get("thanks", "")),
            thanks_seconds=THANKS_SECONDS,
        )
    score = parse_score(request.form.get("score"))
    if score is None:
        return _problem(str(Result.BAD_SCORE), 400, True, place)
    counter = place[1]
    outcome = record_answer(db.session, counter, score, "", "kiosk", utcnow(), _device(True), _limits())
    if not outcome.recorded or outcome.response is None:
        db.session.rollback()
        return _refused(outcome, True, place)
    db.session.commit()
    token = _reason_serializer().dumps([outcome.response.id, counter.id])
    return _kiosk_page(
        "surveys/counter_kiosk_reason.html",
        place,
        token=token,
        reasons=reason_choices(),
        **_return_pause(),
    )


@bp.route("/<office_code>/<counter_code>/kiosk/reason", methods=["POST"])
def kiosk_reason(office_code: str, counter_code: str) -> Any:
    """The reason step's answer (a reason, or none), then straight back to the faces, thanked."""
    place = _find(office_code, counter_code)
    if place is None:
        return _problem("unknown", 404, True, None)
    office, counter = place
    reason = request.form.get("reason", "")
    if reason not in ("", *REASONS):
        return _problem(str(Result.BAD_REASON), 400, True, place)
    try:
        response_id, counter_id = _reason_serializer().loads(
            request.form.get("answer", ""), max_age=REASON_SECONDS
        )
    except SignatureExpired:
        # A slow visitor: the face is stored, the reason comes too late to be joined to it.
        return _back_to_the_faces(office, counter)
    except (BadSignature, ValueError, TypeError):
        return _problem("no_answer", 400, True, place)
    if counter_id != counter.id:
        return _problem("no_answer", 400, True, place)
    if reason and add_reason(db.session, int(response_id), counter.id, reason, utcnow()):
        db.session.commit()
    return _back_to_the_faces(office, counter)


@bp.route("/<office_code>/<counter_code>/kiosk/thanks")
def kiosk_thanks(office_code: str, counter_code: str) -> Any:
    """The former thank-you page, for links kept to it: back to the faces with the banner."""
    place = _find(office_code, counter_code)
    if place is None:
        return _problem("unknown", 404, True, None)
    return _back_to_the_faces(*place)


def register_counters(app: Flask) -> None:
    """Add the counter survey's public pages, the staff's counter pages and their dashboard card."""
    from feedback.surveys.counter_limits import check_settings
    from feedback.surveys.staff_counters import bp as staff_pages
    from feedback.surveys.staff_counters import counter_card
    from portal.web.registry import add_dashboard_card

    check_settings(app.config)
    app.register_blueprint(bp)
    app.register_blueprint(staff_pages)
    add_dashboard_card(app, counter_card)
