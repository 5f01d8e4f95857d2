"""Reading the agency's row, for code that uses or changes it (pages show `portal.site_frame`'s copy)."""

from __future__ import annotations

from flask import g
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.db import db
from portal.offices.models import Agency
from portal.site_frame import AGENCY_PLACEHOLDER


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
            agency = Agency(**AGENCY_PLACEHOLDER)
        g._agency = agency
    return agency
