"""The Open311 GeoReport v2 endpoint, `/open311/v2/`: discovery, services, requests and tokens.

Every resource answers in `.json` and `.xml`; another extension is a 404 (in XML, the
specification's required format). Errors take the specification's shape, every problem
at once: 404 for a URL that names nothing, 403 for a missing or refused `api_key`, 400
for anything else. Refusals the site makes before the view (a control character, a rate
limit, a wrong method) keep their status and take the same shape (`shape_errors`).
Programs are answered in the language of `Accept-Language` or of the `/en` prefix.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from sqlalchemy import select

from feedback.cases.numbers import normalise_case_number
from feedback.cases.open311 import formats, params, queries
from feedback.cases.open311.formats import TAIPEI, Problem
from feedback.cases.open311.submit import Opened, open_submission
from portal.apikeys.services import KeyRefusedError, authenticate
from portal.audit import Actor
from portal.db import db, utcnow
from portal.http import cacheable
from portal.i18n import _, absolute_url, current_language, localized, unprefixed_script_root
from portal.jobs import enqueue
from portal.offices.models import Agency
from portal.security import csrf

ROOT = "/open311/v2"
bp = Blueprint("open311", __name__, url_prefix=ROOT)
csrf.exempt(bp)  # a program's call, authenticated by its api_key, never by a cookie

SCOPE = "open311:submit"
# When this endpoint's behaviour last changed, as discovery reports it.
CHANGESET = datetime(2026, 12, 2, 9, 0, tzinfo=TAIPEI)
MAX_AGE = 60


class RefusedError(Exception):
    """An answer of errors: the HTTP status and every problem."""

    def __init__(self, status: int, problems: list[Problem]) -> None:
        super().__init__(status)
        self.status = status
        self.problems = problems


def _format() -> str:
    fmt = (request.view_args or {}).get("fmt", "")
    return fmt if fmt in formats.FORMATS else "xml"


def _answer(root: str, document: Any, status: int = 200) -> Response:
    body, media_type = formats.render(_format(), root, document)
    return Response(body, status=status, content_type=f"{media_type}; charset=utf-8")


def _errors(status: int, problems: list[Problem]) -> Response:
    return _answer("errors", formats.errors_document(problems), status)


def _check_format(fmt: str) -> None:
    if fmt not in formats.FORMATS:
        problem = Problem(404, _("不支援的格式「%(format)s」，請用 .json 或 .xml。", format=fmt[:20]))
        raise RefusedError(404, [problem])


def _public(response: Response) -> Response:
    return cacheable(response, max_age=MAX_AGE)


@bp.errorhandler(RefusedError)
def _refused(error: RefusedError) -> Response:
    return _errors(error.status, error.problems)


def shape_errors(response: Response) -> Response:
    """Any other refusal under /open311/v2/ (a rate limit, a control character, a wrong method) in the errors shape.

    The site answers those as problem documents (`portal.errors`); their detail becomes
    the one error's description, their status stays, and so does `Allow` or `Retry-After`.
    """
    if response.mimetype != "application/problem+json" or not request.path.startswith(ROOT + "/"):
        return response
    try:
        detail = str(json.loads(response.get_data()).get("detail", ""))
    except (ValueError, AttributeError):
        detail = ""
    fmt = "json" if request.path.endswith(".json") else "xml"
    body, media_type = formats.render(
        fmt, "errors", formats.errors_document([Problem(response.status_code, detail)])
    )
    response.set_data(body)
    response.content_type = f"{media_type}; charset=utf-8"
    return response


def _endpoint_url() -> str:
    """The endpoint's base URL without the language prefix (the language follows Accept-Language)."""
    return absolute_url(unprefixed_script_root() + ROOT)


@bp.route("/discovery.<fmt>")
def discovery(fmt: str) -> Response:
    """Where this endpoint is, what it speaks, and whom to ask for a key."""
    _check_format(fmt)
    agency = db.session.scalar(select(Agency).limit(1))
    ways = "、".join(part for part in (agency.email, agency.phone) if part) if agency else ""
    document = formats.discovery_document(
        changeset=CHANGESET,
        contact=_("有問題請洽 %(ways)s。", ways=ways or "1910"),
        key_service=_(
            "送出案件需要 API 金鑰，由本處同仁核發：請洽 %(ways)s，說明用途後申請。", ways=ways or "1910"
        ),
        url=_endpoint_url(),
        formats=list(formats.MEDIA_TYPES.values()),
    )
    return _public(_answer("discovery", document))


@bp.route("/services.<fmt>")
def services(fmt: str) -> Response:
    """Every case type citizens may bring online, as a service."""
    _check_format(fmt)
    offered = [queries.as_service(kind) for kind in queries.offered_types(db.session)]
    return _public(_answer("services", formats.services_document(offered)))


@bp.route("/services/<code>.<fmt>")
def service_definition(code: str, fmt: str) -> Response:
    """One service's definition (no attributes); an unknown code is a 404."""
    _check_format(fmt)
    if queries.offered_type(db.session, code) is None:
        raise RefusedError(404, [Problem(404, _("找不到服務代碼「%(code)s」。", code=code[:40]))])
    return _public(_answer("service_definition", formats.definition_document(code)))


def _listed(rows: list[Any]) -> Response:
    english = current_language().code == "en"
    documents = [
        formats.request_document(case) for case in queries.public_requests(db.session, rows, english=english)
    ]
    return _public(_answer("service_requests", documents))


@bp.route("/requests.<fmt>", methods=["GET", "POST"])
def requests(fmt: str) -> Response:
    """GET: the public fields of the cases asked for. POST: a new case from a client with a key."""
    _check_format(fmt)
    if request.method == "POST":
        return _submit()
    filters, problems = params.read_filters(request.args, utcnow())
    unknown = queries.unknown_codes(db.session, filters.codes) if filters.codes else []
    problems += [Problem(400, _("未知的服務代碼「%(code)s」。", code=code[:40])) for code in unknown]
    if problems:
        raise RefusedError(400, problems)
    return _listed(queries.public_rows(db.session, filters))


@bp.route("/requests/<request_id>.<fmt>")
def one_request(request_id: str, fmt: str) -> Response:
    """One case's public fields; a number that names no listed case is a 404."""
    _check_format(fmt)
    number = normalise_case_number(request_id)
    row = queries.public_row_by_number(db.session, number) if number else None
    if row is None:
        raise RefusedError(404, [Problem(404, _("找不到案件「%(id)s」。", id=request_id[:40]))])
    return _listed([row])


@bp.route("/tokens/<token>.<fmt>")
def token(token: str, fmt: str) -> Response:
    """The request id a POST's token stands for."""
    _check_format(fmt)
    number = queries.number_for_token(db.session, token) if len(token) <= 40 else None
    if number is None:
        raise RefusedError(404, [Problem(404, _("找不到這個 token。"))])
    return _answer("service_requests", formats.token_document(token, number))


def _key_problem() -> Problem | None:
    """Check the form's api_key (recording its use); a problem when it is missing or refused."""
    presented = params.value(request.form, "api_key")
    if not presented:
        return Problem(403, _("請提供 api_key（API 金鑰）。"))
    try:
        key = authenticate(presented, SCOPE)
    except KeyRefusedError:
        return Problem(403, _("api_key 無效、已撤銷、已過期或暫停，或沒有送出案件的權限。"))
    g.api_key = key
    g.audit_actor = Actor(label=f"{key.staff.username} (API key {key.prefix})", staff_id=key.staff_id)
    return None


def _submit() -> Response:
    session = db.use_writer_session()
    refused = _key_problem()
    if refused is not None:
        session.rollback()
        raise RefusedError(403, [refused])
    submission, problems = params.read_submission(request.form)
    code = params.value(request.form, "service_code")
    kind = queries.offered_type(session, code) if code else None
    if code and kind is None:
        problems.insert(0, Problem(400, _("未知的服務代碼「%(code)s」。", code=code[:40])))
    if problems or submission is None or kind is None:
        session.rollback()
        raise RefusedError(400, problems)
    now = utcnow()
    opened = open_submission(session, submission, kind, g.api_key, now, current_language().code)
    if opened is None:
        session.rollback()
        raise RefusedError(400, [Problem(400, _("目前沒有受理案件的單位，請改撥 1910 客服專線。"))])
    notice = _notice(opened)
    session.commit()
    if submission.email and current_app.config["CASE_MAIL_BACKGROUND"]:
        enqueue("feedback.cases.outbox.deliver_job")
    return _answer("service_requests", formats.submitted_document(opened.token, notice), 201)


def _notice(opened: Opened) -> str:
    case = opened.opened.case
    office = localized(opened.office, "name")
    if case.due_on:
        text = _("已交由%(office)s處理，預定 %(day)s 前回覆。", office=office, day=case.due_on.isoformat())
    else:
        text = _("已交由%(office)s處理。", office=office)
    if case.contact_email:
        text += _("案件編號與查詢密碼會寄到民眾留下的電子郵件。")
    return text
