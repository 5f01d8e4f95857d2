"""Search backends behind one interface (`base.Backend`): SQLite FTS5, PostgreSQL, OpenSearch.

`backend_for(app)` picks one: OpenSearch when `SEARCH_OPENSEARCH_URL` is set, otherwise
the database's own.
"""

from __future__ import annotations

from flask import Flask

from search.backends.base import Backend

_KEY = "search.backend"


def backend_for(app: Flask) -> Backend:
    """The application's backend, made once."""
    backend = app.extensions.get(_KEY)
    if backend is None:
        url = app.config.get("SEARCH_OPENSEARCH_URL")
        if url:
            from search.backends.opensearch import OpenSearchBackend

            backend = OpenSearchBackend(url, app.config.get("SEARCH_OPENSEARCH_INDEX") or "portal-search")
        elif app.config["DATABASE_URL"].startswith("postgresql"):
            from search.backends.postgresql import PostgreSQLBackend

            backend = PostgreSQLBackend()
        else:
            from search.backends.sqlite import SQLiteBackend

            backend = SQLiteBackend()
        app.extensions[_KEY] = backend
    return backend
