"""The staff page of popular keywords (`/staff/search/keywords`): every term of the window, hide or show one.

Staff who edit the site's pages (EDIT_PAGES) see each term counted in the last
`keywords.WINDOW_DAYS` days with its searches and days, whether the public list shows it,
and a button to hide it (a term that is offensive, or someone's details the checks let
through) or show it again; each change is audited.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.auth import Permission, permission_required
from portal.db import db
from portal.i18n import _
from search.keywords import MIN_DAYS, WINDOW_DAYS, local_today, set_hidden, standings

staff_bp = Blueprint("search_admin", __name__, url_prefix="/staff/search")


@staff_bp.route("/keywords")
@permission_required(Permission.EDIT_PAGES)
def keywords() -> ResponseReturnValue:
    """Every term counted in the window, most searched first."""
    rows = standings(db.session, local_today(), include_hidden=True)
    return render_template(
        "staff/search/keywords.html", rows=rows, min_days=MIN_DAYS, window_days=WINDOW_DAYS
    )


@staff_bp.route("/keywords/visibility", methods=["POST"])
@permission_required(Permission.EDIT_PAGES)
def visibility() -> ResponseReturnValue:
    """Hide a term from the public list, or show it again."""
    term = (request.form.get("term") or "").strip()
    action = request.form.get("action")
    if action not in ("hide", "show") or not term:
        abort(400)
    if not set_hidden(db.session, term, action == "hide"):
        abort(404)
    db.session.commit()
    flash(
        _("已隱藏「%(term)s」。", term=term)
        if action == "hide"
        else _("已恢復顯示「%(term)s」。", term=term),
        "success",
    )
    return redirect(url_for("search_admin.keywords"), 303)
