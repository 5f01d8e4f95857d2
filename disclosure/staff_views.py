"""The staff pages of the 主動公開資訊 section: the categories' state, the documents, and publishing one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from disclosure.categories import BY_NUMBER, CATEGORIES
from disclosure.documents import add_files, category_states, remove_files
from disclosure.forms import DocumentForm, file_limits
from disclosure.models import DisclosureDocument
from portal.auth import Permission, permission_required
from portal.classification.codes import code_choices
from portal.clock import taipei_today
from portal.db import db
from portal.forms import select_choices
from portal.i18n import _
from portal.offices.services import office_choices
from portal.pagination import paginate, requested_page_number
from portal.request_checks import checks_its_own_fields
from portal.security import csrf

bp = Blueprint("disclosure_admin", __name__, url_prefix="/staff/disclosure")
FORM_MARGIN_BYTES = 1024 * 1024


@bp.route("")
@permission_required(Permission.EDIT_PAGES)
def documents() -> Any:
    """The categories' state, and the documents (of one category when asked), newest first."""
    number = request.args.get("category", type=int)
    chosen = BY_NUMBER.get(number) if number is not None else None
    query = select(DisclosureDocument).options(selectinload(DisclosureDocument.files))
    if chosen is not None:
        query = query.where(DisclosureDocument.category == chosen.number)
    query = query.order_by(DisclosureDocument.document_date.desc(), DisclosureDocument.id.desc())
    return render_template(
        "disclosure/staff/list.html",
        states=category_states(taipei_today()),
        chosen=chosen,
        page=paginate(db.session, query, requested_page_number()),
        categories=BY_NUMBER,
    )


def _prepare(form: DocumentForm, document: DisclosureDocument | None) -> None:
    form.category.choices = [
        (category.number, f"{category.number}. {category.name}") for category in CATEGORIES
    ]
    form.office_id.choices = office_choices(_("（未指定）"))
    form.theme_code.choices = code_choices("theme")
    form.cake_code.choices = code_choices("cake")
    form.service_code.choices = code_choices("service")
    form.remove_files.choices = select_choices(
        [(str(item.id), item.name) for item in document.files] if document is not None else []
    )


def _fill(document: DisclosureDocument, form: DocumentForm) -> None:
    for name in ("category", "title_zh", "title_en", "summary_zh", "summary_en", "document_date"):
        setattr(document, name, getattr(form, name).data)
    for name in ("theme_code", "cake_code", "service_code", "source_name", "source_url"):
        setattr(document, name, (getattr(form, name).data or "").strip())
    document.office_id = int(form.office_id.data) if form.office_id.data else None
    document.published = bool(form.published.data)


def _files_problem(form: DocumentForm, document: DisclosureDocument | None) -> str | None:
    removed = set(form.remove_files.data or [])
    kept = [item for item in (document.files if document else []) if str(item.id) not in removed]
    if not kept and not form.files.checked:
        return _("文件至少要有一個檔案（ODF 或 PDF）。")
    return None


def _flash_saved(document: DisclosureDocument, form: DocumentForm) -> None:
    flash(_("已儲存「%(title)s」。", title=document.title_zh), "success")
    for item in form.files.checked:
        if not item.has_text:
            flash(
                _(
                    "「%(name)s」是掃描的影像，沒有可讀取的文字：民眾無法搜尋，螢幕報讀軟體也無法朗讀。"
                    "請盡量改上傳含文字的 PDF（例如先以文字辨識 OCR 處理）。",
                    name=item.name,
                ),
                "warning",
            )


def _edit(document: DisclosureDocument | None) -> Any:
    max_bytes, max_count = file_limits()
    request.max_content_length = max_bytes * max_count + FORM_MARGIN_BYTES
    form = DocumentForm(obj=document)
    _prepare(form, document)
    if document is None and request.method == "GET":
        form.category.data = request.args.get("category", type=int) or form.category.data
        form.document_date.data = form.document_date.data or taipei_today()
    if document is not None and request.method == "GET":
        form.office_id.data = str(document.office_id) if document.office_id else ""
    if form.validate_on_submit():
        problem = _files_problem(form, document)
        if problem is None:
            target = document or DisclosureDocument()
            _fill(target, form)
            db.session.add(target)
            db.session.flush()
            removed = set(form.remove_files.data or [])
            remove_files(db.session, target, [item for item in target.files if str(item.id) in removed])
            add_files(db.session, target, form.files.checked)
            db.session.commit()
            _flash_saved(target, form)
            return redirect(url_for("disclosure_admin.documents", category=target.category))
        form.files.errors = [problem]
    if request.method == "POST":
        form.files.note_files_not_kept()
    status = 400 if request.method == "POST" else 200
    return render_template("disclosure/staff/edit.html", form=form, document=document), status


@bp.route("/new", methods=["GET", "POST"])
@checks_its_own_fields
@csrf.exempt  # the form checks its own token, after the larger upload limit applies
@permission_required(Permission.EDIT_PAGES)
def new_document() -> Any:
    """Publish a new document."""
    return _edit(None)


@bp.route("/<int:document_id>", methods=["GET", "POST"])
@checks_its_own_fields
@csrf.exempt  # the form checks its own token, after the larger upload limit applies
@permission_required(Permission.EDIT_PAGES)
def edit_document(document_id: int) -> Any:
    """Change a document, add files to it or remove some."""
    document = db.session.get(DisclosureDocument, document_id)
    if document is None:
        abort(404)
    return _edit(document)
