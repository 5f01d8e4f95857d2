"""Citizen feedback: cases and their lookup, surveys and office appraisal (built in steps).

Exposes only `init_app(app)`; the portal calls it after its own parts. So far `cases`
holds the office calendar and working-day deadlines, case types (seeded), case numbers
issued per day, and the key ring that seals citizens' data, with their commands
(`flask calendar import|show`, `flask cases due-date|seed-types`).
"""

from __future__ import annotations

from flask import Flask


def _seed_demo_case_types() -> list[str]:
    from feedback.cases.case_types import seed_case_types
    from portal.db import db

    added = seed_case_types(db.session)
    db.session.commit()
    return [f"case types: {added} added"] if added else []


def init_app(app: Flask) -> None:
    """Read the case-data keys and register the feedback domain's commands and demo content."""
    from feedback.cases import keys
    from feedback.cases.cli import calendar_cli, cases_cli
    from portal.demo import add_demo_loader

    keys.init_app(app)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(cases_cli)
    add_demo_loader(app, _seed_demo_case_types)
