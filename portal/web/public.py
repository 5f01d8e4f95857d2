"""The public shell: home page and the site map (網站導覽)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import func, select

from portal.db import db
from portal.offices.models import Office
from portal.page_views import ranked_links
from portal.pages.models import Page
from portal.web.registry import registry

bp = Blueprint("web", __name__)


def _latest_content_update() -> Any:
    page_update = db.session.scalar(select(func.max(Page.updated_at)).where(Page.published.is_(True)))
    office_update = db.session.scalar(select(func.max(Office.updated_at)))
    dates = [value for value in (page_update, office_update) if value is not None]
    return max(dates) if dates else None


@bp.route("/")
def home() -> Any:
    """Most-used services first, then where to find the offices."""
    offices = list(
        db.session.scalars(
            select(Office).where(Office.active.is_(True)).order_by(Office.sort_order, Office.code)
        )
    )
    return render_template(
        "home.html",
        services=ranked_links(registry().home_services),
        offices=offices,
        last_updated=_latest_content_update(),
    )


@bp.route("/sitemap")
def sitemap() -> Any:
    """Every public section, and how to move around the site with the keyboard."""
    pages = list(
        db.session.scalars(select(Page).where(Page.published.is_(True)).order_by(Page.sort_order, Page.slug))
    )
    return render_template(
        "sitemap.html",
        navigation=registry().navigation,
        pages=pages,
        last_updated=_latest_content_update(),
    )
