"""The open-data API: REST under `/api/v1`, CKAN's actions under `/api/3/action`, and the OpenAPI document.

`rowquery` parses what a client asks of a release's rows, `rowsql` runs it,
`count_cache` keeps exact totals, `page_cache` keeps rendered pages (`lru` is the
bounded map the per-worker caches share), `cursors` signs continuation tokens,
`release_lookups` finds the release a request reads, `rows_page` renders a page and
`rows_shortcut` answers the commonest rows requests before Flask does, `documents` shapes
catalogue records, `rest` and `ckan` are the two dialects, `publishing` takes new
releases from API keys, `openapi` describes them, and `export` streams CSV and NDJSON.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the API's blueprints and its caches."""
    from datasets.api import count_cache, page_cache, release_lookups, rows_shortcut
    from datasets.api.ckan import bp as ckan_bp
    from datasets.api.docs import bp as docs_bp
    from datasets.api.release_uploads import bp as publishing_bp
    from datasets.api.rest import bp as rest_bp

    count_cache.init_app(app)
    page_cache.init_app(app)
    release_lookups.init_app(app)
    rows_shortcut.init_app(app)
    app.register_blueprint(rest_bp)
    app.register_blueprint(ckan_bp)
    app.register_blueprint(publishing_bp)
    app.register_blueprint(docs_bp)
