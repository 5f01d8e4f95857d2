"""A one-time lookup link by e-mail, for a citizen who lost the case password.

`/cases/link`: the case number and the case's e-mail address. When they match, a link
valid for 30 minutes is mailed to that address in the case's language; the answer is the
same page whether or not they matched, so the form tells nobody which numbers exist or
which address a case has. Every request is counted by the lookup's guard (`LookupGuard`)
as a failed lookup of that number from that address: a number or address locked for
guessing passwords is locked here too, guessing addresses locks it the same way, and no
one can have more than a handful of links mailed to a citizen in a window.

`/cases/link/<token>`: a page with one button; pressing it uses the link (once) and opens
the lookup session. The link is not used by merely fetching it, since mail scanners fetch
links. A used, expired or unknown link gets a page saying which, and how to get a new one.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from feedback.cases.citizen_forms import LinkOpenForm, LinkRequestForm
from feedback.cases.citizen_session import open_lookup_session
from feedback.cases.citizen_views import private
from feedback.cases.lookup import LookupGuard, LookupLimits, number_key
from feedback.cases.lookup_links import LINK_MINUTES, LinkState, issue_link, link_state, matches, redeem
from feedback.cases.notices import lookup_link_notice, send_notice
from portal.db import db, utcnow
from portal.i18n import _
from portal.jobs import enqueue
from portal.ratelimits import limiter_of

bp = Blueprint("cases_link", __name__, url_prefix="/cases")
FAILED_STATUS = {LinkState.USED: 410, LinkState.EXPIRED: 410, LinkState.UNKNOWN: 404}


def _guard() -> LookupGuard:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return LookupGuard(limiter_of(current_app).storage, LookupLimits(), prefix=prefix)


def _request_page(form: LinkRequestForm, status: int = 200) -> Response:
    return private(render_template("cases/link_request.html", form=form), status)


@bp.route("/link", methods=["GET", "POST"])
def request_link() -> Response:
    """Ask for a one-time lookup link with the case number and the case's e-mail address."""
    form = LinkRequestForm()
    if request.method == "GET":
        form.number.data = request.args.get("number", "")[:40]
        return _request_page(form)
    if not form.validate_on_submit():
        return _request_page(form, 400)
    guard = _guard()
    address = request.remote_addr or "127.0.0.1"
    key = number_key(form.number.data or "")
    wait = guard.retry_after(address, key)
    if wait:
        minutes = max(1, round(wait / 60))
        form.email.errors = [_("嘗試次數過多，請在 %(minutes)d 分鐘後再試。", minutes=minutes)]
        page = _request_page(form, 429)
        page.headers["Retry-After"] = str(wait)
        return page
    guard.failed(address, key)  # matched or not: the same count, the same answer
    session = db.use_writer_session()
    case = matches(session, current_app.config["SECRET_KEY"], form.number.data or "", form.email.data or "")
    if case is not None:
        now = utcnow()
        token = issue_link(session, case, now)
        url = url_for("cases_link.open_link", token=token, _external=True)
        send_notice(session, case, lookup_link_notice(case, url, LINK_MINUTES), now)
        session.commit()
        if current_app.config["CASE_MAIL_BACKGROUND"]:
            enqueue("feedback.cases.outbox.deliver_job")
    return private(render_template("cases/link_sent.html", minutes=LINK_MINUTES))


def _failed(state: LinkState) -> Response:
    return private(
        render_template("cases/link_failed.html", state=state.value, minutes=LINK_MINUTES),
        FAILED_STATUS[state],
    )


@bp.route("/link/<token>", methods=["GET", "POST"])
def open_link(token: str) -> ResponseReturnValue:
    """A one-time link: shown with a button, used when the button is pressed."""
    form = LinkOpenForm()
    if len(token) > 100:
        return _failed(LinkState.UNKNOWN)
    if request.method == "GET" or not form.validate_on_submit():
        state = link_state(db.session, token, utcnow())
        if state is not LinkState.USABLE:
            return _failed(state)
        return private(render_template("cases/link_open.html", form=form, token=token))
    session = db.use_writer_session()
    state, case = redeem(session, token, utcnow())
    if state is not LinkState.USABLE or case is None:
        session.rollback()
        return _failed(state)
    session.commit()
    _guard().succeeded(case.number)
    open_lookup_session(case)
    return redirect(url_for("cases_citizen.status"), 303)
