"""Public list of service offices, and the staff pages that edit offices and the agency."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from portal.auth import Permission, permission_required
from portal.db import db
from portal.i18n import _
from portal.offices.forms import AgencyForm, OfficeForm
from portal.offices.models import Office
from portal.offices.services import current_agency

public_bp = Blueprint("offices", __name__)
staff_bp = Blueprint("offices_admin", __name__, url_prefix="/staff")


@public_bp.route("/offices")
def office_list() -> Any:
    """Where to find the branch's service offices."""
    offices = list(
        db.session.scalars(
            select(Office).where(Office.active.is_(True)).order_by(Office.sort_order, Office.code)
        )
    )
    updated = max((office.updated_at for office in offices), default=None)
    return render_template("offices/list.html", offices=offices, last_updated=updated)


@staff_bp.route("/offices")
@permission_required(Permission.MANAGE_OFFICES)
def admin_list() -> Any:
    """Every office, shown or hidden."""
    offices = list(db.session.scalars(select(Office).order_by(Office.sort_order, Office.code)))
    return render_template("staff/offices/list.html", offices=offices)


def _code_taken(code: str, office_id: int | None) -> bool:
    query = select(func.count(Office.id)).where(func.lower(Office.code) == code.lower())
    if office_id is not None:
        query = query.where(Office.id != office_id)
    return bool(db.session.scalar(query))


def _edit(office: Office | None) -> Any:
    form = OfficeForm(obj=office)
    if form.validate_on_submit():
        assert form.code.data is not None
        if _code_taken(form.code.data, office.id if office else None):
            form.code.errors = [_("這個單位代碼已有單位使用。")]
        else:
            target = office or Office()
            form.populate_obj(target)
            target.sort_order = form.sort_order.data or 0
            db.session.add(target)
            db.session.commit()
            flash(_("已儲存 %(name)s。", name=target.name_zh), "success")
            return redirect(url_for("offices_admin.admin_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/offices/edit.html", form=form, office=office), status


@staff_bp.route("/offices/new", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_OFFICES)
def admin_new() -> Any:
    """Add an office."""
    return _edit(None)


@staff_bp.route("/offices/<int:office_id>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_OFFICES)
def admin_edit(office_id: int) -> Any:
    """Change an office."""
    office = db.session.get(Office, office_id)
    if office is None:
        abort(404)
    return _edit(office)


@staff_bp.route("/agency", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_SITE)
def agency_edit() -> Any:
    """Change the agency's name and contact details."""
    agency = current_agency()
    form = AgencyForm(obj=agency)
    if form.validate_on_submit():
        form.populate_obj(agency)
        db.session.add(agency)
        db.session.commit()
        flash(_("已儲存機關資料。"), "success")
        return redirect(url_for("offices_admin.agency_edit"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/agency.html", form=form), status
