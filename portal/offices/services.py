"""Reading the agency's details, which every page shows."""

from __future__ import annotations

from flask import g
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.db import db
from portal.offices.models import Agency

# Shown only until an administrator fills in the agency (a fresh, empty database).
_PLACEHOLDER = {
    "name_zh": "（機關名稱未設定）",
    "name_en": "(Agency name not set)",
    "address_zh": "",
    "address_en": "",
    "phone": "",
    "hours_zh": "",
    "hours_en": "",
}


def current_agency() -> Agency:
    """The agency row, or an unsaved placeholder on a database without one (cached per request)."""
    agency = g.get("_agency")
    if agency is None:
        try:
            agency = db.session.scalar(select(Agency).order_by(Agency.id).limit(1))
        except SQLAlchemyError:
            # Error pages still render when the database is down.
            db.session.rollback()
            agency = None
        if agency is None:
            agency = Agency(**_PLACEHOLDER)
        g._agency = agency
    return agency
