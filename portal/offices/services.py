"""Reading the agency's row, for code that uses or changes it (pages show `portal.site_frame`'s copy)."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from wtforms.fields.choices import SelectChoice

from portal.db import db
from portal.forms import select_choices
from portal.i18n import localized
from portal.offices.models import Agency, Office
from portal.site_frame import AGENCY_PLACEHOLDER


def office_choices(blank_label: Any) -> list[SelectChoice]:
    """A select field's choices: `blank_label` for none, then every office by its name in the visitor's language."""
    offices = db.session.scalars(select(Office).order_by(Office.sort_order, Office.code))
    return select_choices(
        [("", blank_label)] + [(str(office.id), localized(office, "name")) for office in offices]
    )


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
