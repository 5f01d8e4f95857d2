"""Full-text search across the site's content, in Chinese and English.

Exposes only `init_app(app)`. The parts: `tokens` (the one tokeniser, pure), `snippets`
(highlighting in the original text, pure), `models` (the index's table), `backends`
(SQLite FTS5, PostgreSQL with RUM or GIN, OpenSearch), `services` (index, remove,
search), `sources` (what a rebuild reads), `builtin_sources` (pages, datasets),
`follow` (keeping them in step as they are edited), `rebuild` and `cli` (`flask search reindex`),
`asking` (the parameters a search takes, pure), `forms` and `views` (the search page and
`/api/v1/search`), `keywords` and `keyword_models` (popular keywords), `staff_views` (hiding
a keyword). See docs/search.md.
"""

from __future__ import annotations

from typing import Any

from flask import Flask


def _keywords_card(staff: Any) -> Any:
    from portal.auth import Permission
    from portal.i18n import _l
    from portal.web.registry import DashboardCard, Link

    if not staff.can(Permission.EDIT_PAGES):
        return None
    return DashboardCard(
        title=_l("全站搜尋"),
        note=_l("民眾常搜尋的字詞，可隱藏不適合公開列出的字詞。"),
        links=[Link("search_admin.keywords", _l("熱門關鍵字"))],
        order=60,
    )


def init_app(app: Flask) -> None:
    """Register the search page and API, the `flask search` commands, the sources of pages and datasets, and follow their edits."""
    from portal.web.registry import add_dashboard_card
    from search.builtin_sources import builtin_sources, follow_builtin_models
    from search.cli import search_cli
    from search.sources import register_source
    from search.staff_views import staff_bp
    from search.views import api_bp, bp

    app.register_blueprint(bp)  # the search page
    app.register_blueprint(api_bp)  # /api/v1/search
    app.register_blueprint(staff_bp)  # popular keywords: hide or show a term
    add_dashboard_card(app, _keywords_card)
    app.cli.add_command(search_cli)
    for source in builtin_sources():
        register_source(app, source)
    follow_builtin_models()
