"""What the frame of every page shows: the agency's details, the footer's pages and the offices.

Every page's header and footer name the agency and list the footer pages, and the case
pages name offices. Reading those rows afresh for every request cost a query and a set of
ORM objects each. Instead each worker keeps them as plain read-only values, and one small
query per request reads the tables' stamp: each table's newest `updated_at` and its row
count. While the stamp is unchanged the kept values are used; a change saved by any
worker changes it (every save sets `updated_at`, adding or removing a row changes the
count), so the next request in every worker reads the rows again.

The values are for showing only; code that changes a row reads it through the session.
When the database cannot be read, the agency's placeholder and empty lists are shown, so
error pages still render.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from portal.db import db
from portal.offices.models import Agency, Office
from portal.pages.models import Page

_KEY = "portal.site_frame"
_FOOTER_PAGE_COLUMNS = ("id", "slug", "title_zh", "title_en", "sort_order", "updated_at")

# What an agency row shows when the database has none yet (a new installation).
AGENCY_PLACEHOLDER: dict[str, Any] = {
    "name_zh": "（機關名稱未設定）",
    "name_en": "(Agency name not set)",
    "address_zh": "",
    "address_en": "",
    "phone": "",
    "hours_zh": "",
    "hours_en": "",
}


@dataclass(frozen=True)
class Frame:
    """The values the frame shows, as one worker last read them."""

    agency: SimpleNamespace
    footer_pages: tuple[SimpleNamespace, ...]
    offices: dict[int, SimpleNamespace]  # by id, in the offices' order


class _Kept:
    """One application's kept frame and the stamp it was read at."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stamp: tuple[Any, ...] | None = None
        self.frame: Frame | None = None


def _values(row: Any, columns: tuple[str, ...] | None = None) -> SimpleNamespace:
    names = columns or tuple(column.key for column in row.__table__.columns)
    return SimpleNamespace(**{name: getattr(row, name) for name in names})


def placeholder_agency() -> SimpleNamespace:
    """The agency as shown before one is saved: every column empty but the placeholder's."""
    values: dict[str, Any] = {column.key: None for column in Agency.__table__.columns}
    values.update(AGENCY_PLACEHOLDER)
    return SimpleNamespace(**values)


# Plain SQL, written once: building and compiling an expression each request cost more
# than the rows it spares reading. The tables are those of Agency, Page and Office.
_STAMP = text(
    "SELECT (SELECT max(updated_at) FROM agency), (SELECT count(*) FROM agency),"
    " (SELECT max(updated_at) FROM page), (SELECT count(*) FROM page),"
    " (SELECT max(updated_at) FROM office), (SELECT count(*) FROM office)"
)


def _stamp() -> tuple[Any, ...]:
    return tuple(db.session.execute(_STAMP).one())


def _read() -> Frame:
    agency = db.session.scalar(select(Agency).order_by(Agency.id).limit(1))
    pages = db.session.scalars(
        select(Page)
        .where(Page.published.is_(True), Page.in_footer.is_(True))
        .order_by(Page.sort_order, Page.slug)
    )
    offices = db.session.scalars(select(Office).order_by(Office.sort_order, Office.code))
    return Frame(
        agency=_values(agency) if agency is not None else placeholder_agency(),
        footer_pages=tuple(_values(page, _FOOTER_PAGE_COLUMNS) for page in pages),
        offices={office.id: _values(office) for office in offices},
    )


def site_frame() -> Frame:
    """The frame's values for this request: the kept ones while the tables' stamp is unchanged."""
    frame: Frame | None = g.get("_site_frame")
    if frame is not None:
        return frame
    kept: _Kept = current_app.extensions[_KEY]
    try:
        stamp = _stamp()
        with kept.lock:  # one thread of the worker reads the rows; the others wait for them
            if kept.frame is None or kept.stamp != stamp:
                kept.frame, kept.stamp = _read(), stamp
            frame = kept.frame
    except SQLAlchemyError:
        db.session.rollback()
        frame = Frame(agency=placeholder_agency(), footer_pages=(), offices={})
    g._site_frame = frame
    return frame


def shown_agency() -> SimpleNamespace:
    """The agency's details as the frame shows them."""
    return site_frame().agency


def footer_pages() -> tuple[SimpleNamespace, ...]:
    """The published pages listed in the footer, in order."""
    return site_frame().footer_pages


def shown_offices() -> dict[int, SimpleNamespace]:
    """Every office (active or not) by id, in the offices' order, as pages show them."""
    return site_frame().offices


def init_app(app: Flask) -> None:
    """Keep this application's frame, and give templates the agency and the footer pages."""
    app.extensions[_KEY] = _Kept()
    app.jinja_env.globals["current_agency"] = shown_agency
    app.jinja_env.globals["footer_pages"] = footer_pages
