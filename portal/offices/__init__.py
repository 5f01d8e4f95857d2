"""The agency and its offices: contact details every page shows, and where to find each office."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the public office list and the staff pages that edit offices and the agency."""
    from portal.offices.views import public_bp, staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
