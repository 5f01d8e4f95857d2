"""The public 主動公開資訊 section: the ten categories, each category's documents, a document, its files, the feed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from disclosure.categories import BY_NUMBER, BY_SLUG
from disclosure.documents import category_states, published_documents, send_document_file
from disclosure.models import DisclosureDocument, DisclosureFile
from portal.atom import MEDIA_TYPE, FeedEntry, atom_feed
from portal.classification.codes import code_names
from portal.clock import taipei_today
from portal.db import db
from portal.http import cacheable
from portal.i18n import _, current_language, localized
from portal.offices.models import Office
from portal.pagination import paginate, requested_page_number

bp = Blueprint("disclosure", __name__, url_prefix="/disclosure")
FEED_ENTRIES = 50


@bp.route("/")
def index() -> Any:
    """The ten categories of §7, each with its explanation, its documents' count and its last update."""
    return render_template("disclosure/index.html", states=category_states(taipei_today()))


@bp.route("/<slug>")
def category(slug: str) -> Any:
    """A category's published documents, newest first."""
    found = BY_SLUG.get(slug)
    if found is None:
        abort(404)
    query = published_documents(found).options(selectinload(DisclosureDocument.files))
    page = paginate(db.session, query, requested_page_number())
    state = next(state for state in category_states(taipei_today()) if state.category is found)
    return render_template("disclosure/category.html", category=found, state=state, page=page)


def _published(document_id: int) -> DisclosureDocument:
    document = db.session.get(DisclosureDocument, document_id)
    if document is None or not document.published:
        abort(404)
    return document


@bp.route("/documents/<int:document_id>")
def document(document_id: int) -> Any:
    """A document: what it is, who issued it, its classification and its files."""
    found = _published(document_id)
    office = db.session.get(Office, found.office_id) if found.office_id else None
    codes = {
        scheme: code_names(scheme).get(value)
        for scheme, value in (
            ("theme", found.theme_code),
            ("cake", found.cake_code),
            ("service", found.service_code),
        )
        if value
    }
    return render_template(
        "disclosure/document.html",
        document=found,
        category=BY_NUMBER[found.category],
        office=office,
        codes=codes,
    )


@bp.route("/files/<int:file_id>/<path:name>")
def file(file_id: int, name: str) -> Response:
    """A document's file, under its own name."""
    found = db.session.get(DisclosureFile, file_id)
    if found is None or found.name != name or not found.document.published:
        abort(404)
    return send_document_file(found)


@bp.route("/feed.atom")
def feed() -> Response:
    """The newest documents as an Atom feed."""
    documents = db.session.scalars(
        select(DisclosureDocument)
        .where(DisclosureDocument.published.is_(True))
        .order_by(DisclosureDocument.created_at.desc(), DisclosureDocument.id.desc())
        .limit(FEED_ENTRIES)
    )
    entries = [
        FeedEntry(
            url=url_for("disclosure.document", document_id=item.id, _external=True),
            title=str(localized(item, "title")),
            updated=item.updated_at,
            published=item.created_at,
            summary=f"{BY_NUMBER[item.category].name} · {item.document_date.isoformat()} {localized(item, 'summary')}".strip(),
        )
        for item in documents
    ]
    body = atom_feed(
        self_url=url_for("disclosure.feed", _external=True),
        page_url=url_for("disclosure.index", _external=True),
        title=_("主動公開資訊"),
        language=current_language().html_lang,
        entries=entries,
    )
    return cacheable(Response(body, mimetype=MEDIA_TYPE), max_age=300)
