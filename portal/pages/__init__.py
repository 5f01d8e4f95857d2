"""Content pages: texts in both languages that publishers write in Markdown, with their classification codes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask


def _classified(scheme: str) -> Iterator[tuple[str, Any]]:
    """Each published page with a code of `scheme`, for browsing by classification."""
    from flask import url_for
    from sqlalchemy import select

    from portal.classification.codes import CODE_ATTRIBUTES
    from portal.db import db
    from portal.i18n import _l, localized
    from portal.pages.models import Page
    from portal.web.registry import ClassifiedItem

    column = getattr(Page, CODE_ATTRIBUTES[scheme])
    for page in db.session.scalars(
        select(Page).where(Page.published.is_(True), column != "").order_by(Page.id)
    ):
        item = ClassifiedItem(
            _l("網頁"),
            str(localized(page, "title")),
            url_for("pages.show", slug=page.slug),
            page.updated_at.date() if page.updated_at else None,
        )
        yield getattr(page, column.key), item


def init_app(app: Flask) -> None:
    """Register the page views, the Markdown filter, and the pages' place in browsing by classification."""
    from portal.pages.markdown import render_markdown
    from portal.pages.views import public_bp, staff_bp
    from portal.web.registry import add_classified_source

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.jinja_env.filters["markdown"] = render_markdown
    add_classified_source(app, _classified)
