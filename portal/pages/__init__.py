"""Content pages: texts in both languages that publishers write in Markdown."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the page views and the Markdown filter."""
    from portal.pages.markdown import render_markdown
    from portal.pages.views import public_bp, staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.jinja_env.filters["markdown"] = render_markdown
