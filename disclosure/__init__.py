"""Proactive disclosure (主動公開資訊): the ten categories of 政府資訊公開法 §7 and their documents.

Exposes only `init_app(app)`. The parts: `categories` (the ten, fixed, and when one is out
of date, pure), `file_checks` (ODF or PDF by content, text for search, scanned PDFs
flagged, pure), `models`, `documents` (the categories' state, storing and serving files),
`forms`, `views` (the public section, its feed), `staff_views` (publishing),
`search_documents` (what the search index holds), `demo`. See docs/disclosure.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask

from portal.i18n import _l


def _sitemap_entries() -> Iterator[Any]:
    """The section, each category and each published document, for `/sitemap.xml`."""
    from sqlalchemy import select

    from disclosure.categories import CATEGORIES
    from disclosure.models import DisclosureDocument
    from portal.db import db
    from portal.web.registry import SitemapEntry

    yield SitemapEntry("disclosure.index")
    for category in CATEGORIES:
        yield SitemapEntry("disclosure.category", {"slug": category.slug})
    documents = db.session.execute(
        select(DisclosureDocument.id, DisclosureDocument.updated_at)
        .where(DisclosureDocument.published.is_(True))
        .order_by(DisclosureDocument.id)
    )
    for document_id, updated_at in documents:
        yield SitemapEntry("disclosure.document", {"document_id": document_id}, updated_at.date())


def _classified(scheme: str) -> Iterator[Any]:
    """Each published document with a code of `scheme`, for browsing by classification."""
    from flask import url_for
    from sqlalchemy import select

    from disclosure.models import DisclosureDocument
    from portal.classification.codes import CODE_ATTRIBUTES
    from portal.db import db
    from portal.i18n import localized
    from portal.web.registry import ClassifiedItem

    column = getattr(DisclosureDocument, CODE_ATTRIBUTES[scheme])
    statement = select(DisclosureDocument).where(DisclosureDocument.published.is_(True), column != "")
    for document in db.session.scalars(statement.order_by(DisclosureDocument.id)):
        item = ClassifiedItem(
            _l("主動公開資訊"),
            str(localized(document, "title")),
            url_for("disclosure.document", document_id=document.id),
            document.document_date,
        )
        yield getattr(document, column.key), item


def _link_places() -> Iterator[Any]:
    """Each document's source address, for the link checker."""
    from flask import url_for
    from sqlalchemy import select

    from disclosure.models import DisclosureDocument
    from portal.db import db
    from portal.links.sources import LinkPlace

    statement = (
        select(DisclosureDocument).where(DisclosureDocument.source_url != "").order_by(DisclosureDocument.id)
    )
    for document in db.session.scalars(statement):
        edit = url_for("disclosure_admin.edit_document", document_id=document.id)
        yield LinkPlace(document.title_zh, edit, (document.source_url,))


def _dashboard_card(staff: Any) -> Any:
    from disclosure.documents import category_states
    from portal.auth import Permission
    from portal.clock import taipei_today
    from portal.web.registry import DashboardCard, Link

    if not staff.can(Permission.EDIT_PAGES):
        return None
    states = category_states(taipei_today())
    behind = [state for state in states if not state.current]
    figures = [
        (
            f"{state.category.number}. {state.category.name}",
            state.last_update.isoformat() if state.last_update else _l("尚無文件"),
        )
        for state in behind
    ]
    return DashboardCard(
        title=_l("主動公開資訊"),
        figures=figures,
        note=_l("以下類別沒有文件，或超過檢視期限未更新：") if behind else _l("十個類別都在檢視期限內更新。"),
        links=[
            Link("disclosure_admin.documents", _l("主動公開文件")),
            Link("disclosure_admin.new_document", _l("新增文件")),
        ],
        order=25,
    )


def _template_helpers() -> dict[str, Any]:
    from disclosure.file_checks import EXTENSIONS
    from portal.classification.codes import SCHEME_LABELS

    return {
        "file_format": lambda item: EXTENSIONS.get(item.media_type, "").lstrip(".").upper(),
        "scheme_label": lambda scheme: SCHEME_LABELS.get(scheme, scheme),
    }


def init_app(app: Flask) -> None:
    """Register the section's pages, the staff pages, navigation, the dashboard card, search and demo content."""
    from disclosure.demo import load_demo_documents
    from disclosure.search_documents import disclosure_source, follow_documents
    from disclosure.staff_views import bp as staff_bp
    from disclosure.views import bp as public_bp
    from portal.demo import add_demo_loader
    from portal.links.sources import LinkSource, add_link_source
    from portal.web.registry import (
        Link,
        add_classified_source,
        add_dashboard_card,
        add_navigation,
        add_sitemap_source,
    )
    from search.sources import register_source

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.jinja_env.globals.update(_template_helpers())
    add_navigation(
        app,
        Link(
            "disclosure.index",
            _l("主動公開資訊"),
            _l("依政府資訊公開法第 7 條公開的法規、計畫、預算與契約。"),
            order=30,
        ),
    )
    add_dashboard_card(app, _dashboard_card)
    add_sitemap_source(app, _sitemap_entries)
    add_classified_source(app, _classified)
    add_link_source(app, LinkSource("disclosure", _l("主動公開文件"), _link_places))
    register_source(app, disclosure_source())
    follow_documents()
    add_demo_loader(app, load_demo_documents)
