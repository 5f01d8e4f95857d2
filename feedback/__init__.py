"""Citizen feedback: cases and their lookup, surveys and office appraisal (built in steps).

Exposes only `init_app(app)`; the portal calls it after its own parts. So far `cases`
holds the office calendar and working-day deadlines, with their commands
(`flask calendar import|show`, `flask cases due-date`).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the feedback domain's commands with the application."""
    from feedback.cases.cli import calendar_cli, cases_cli

    app.cli.add_command(calendar_cli)
    app.cli.add_command(cases_cli)
