"""Citizen feedback: cases and their lookup, surveys and office appraisal (built in later steps).

Exposes only `init_app(app)`; the portal calls it after its own parts.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the feedback domain with the application (nothing to register yet)."""
    del app
