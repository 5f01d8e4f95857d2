"""Public content pages and the staff pages that edit them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from portal.auth import Permission, permission_required
from portal.classification.codes import code_choices
from portal.db import db
from portal.i18n import _
from portal.pages.forms import PageForm
from portal.pages.models import Page

public_bp = Blueprint("pages", __name__)
staff_bp = Blueprint("pages_admin", __name__, url_prefix="/staff")


@public_bp.route("/pages/<slug>")
def show(slug: str) -> Any:
    """A published content page."""
    page = db.session.scalar(select(Page).where(Page.slug == slug, Page.published.is_(True)))
    if page is None:
        abort(404)
    return render_template("pages/show.html", page=page, last_updated=page.updated_at)


@staff_bp.route("/pages")
@permission_required(Permission.EDIT_PAGES)
def admin_list() -> Any:
    """Every content page."""
    pages = list(db.session.scalars(select(Page).order_by(Page.sort_order, Page.slug)))
    return render_template("staff/pages/list.html", pages=pages)


def _slug_taken(slug: str, page_id: int | None) -> bool:
    query = select(func.count(Page.id)).where(Page.slug == slug)
    if page_id is not None:
        query = query.where(Page.id != page_id)
    return bool(db.session.scalar(query))


def _edit(page: Page | None) -> Any:
    form = PageForm(obj=page)
    for scheme in ("theme", "cake", "service"):
        getattr(form, f"{scheme}_code").choices = code_choices(scheme)
    if form.validate_on_submit():
        assert form.slug.data is not None
        if _slug_taken(form.slug.data, page.id if page else None):
            form.slug.errors = [_("這個網址代稱已有頁面使用。")]
        else:
            target = page or Page()
            form.populate_obj(target)
            for name in ("theme_code", "cake_code", "service_code"):
                setattr(target, name, getattr(form, name).data or "")
            target.sort_order = form.sort_order.data or 0
            db.session.add(target)
            db.session.commit()
            flash(_("已儲存「%(title)s」。", title=target.title_zh), "success")
            return redirect(url_for("pages_admin.admin_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/pages/edit.html", form=form, page=page), status


@staff_bp.route("/pages/new", methods=["GET", "POST"])
@permission_required(Permission.EDIT_PAGES)
def admin_new() -> Any:
    """Write a new page."""
    return _edit(None)


@staff_bp.route("/pages/<int:page_id>", methods=["GET", "POST"])
@permission_required(Permission.EDIT_PAGES)
def admin_edit(page_id: int) -> Any:
    """Change a page."""
    page = db.session.get(Page, page_id)
    if page is None:
        abort(404)
    return _edit(page)
