"""Content pages: texts in both languages that publishers write in Markdown."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.db import db


def footer_pages() -> list[Any]:
    """Published pages listed in the footer, in order."""
    from portal.pages.models import Page

    try:
        return list(
            db.session.scalars(
                select(Page)
                .where(Page.published.is_(True), Page.in_footer.is_(True))
                .order_by(Page.sort_order, Page.slug)
            )
        )
    except SQLAlchemyError:
        # Error pages still render when the database is down.
        db.session.rollback()
        return []


def init_app(app: Flask) -> None:
    """Register the page views and the Markdown filter."""
    from portal.pages.markdown import render_markdown
    from portal.pages.views import public_bp, staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["footer_pages"] = footer_pages
