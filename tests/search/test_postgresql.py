"""PostgreSQL's structure: the tsvector and tsquery literals (pure), RUM when present, GIN without it."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import delete, select

from portal.db import db
from search.backends import backend_for
from search.backends.postgresql import PostgreSQLBackend, tsquery_literal, tsvector_literals
from search.models import SearchDocument
from search.services import index_documents
from search.tokens import parse_query, tokenise
from tests.search.corpus import CORPUS, QUERIES, all_keys, newest_first, scan


def test_tsvectors_of_the_title_and_of_the_whole_give_single_characters_their_pairs_position() -> None:
    title, whole = tsvector_literals(" ".join(tokenise("停水")), " ".join(tokenise("水壓")))
    assert title == "'停水':1 '停':1 '水':2"
    assert whole == "'停水':1 '停':1 '水':2,4 '水壓':4 '壓':5"


def test_no_phrase_runs_from_the_title_into_the_body() -> None:
    _title, whole = tsvector_literals("app", "app繳 繳費")
    assert whole.startswith("'app':1 ")
    assert "'app繳':3" in whole  # position 2 is left empty


def test_quotes_and_backslashes_are_escaped() -> None:
    assert tsvector_literals("o'k", "")[0] == "'o''k':1"


def test_tsquery_of_a_query() -> None:
    assert tsquery_literal(parse_query("停水通知 水")) == "('停水' <-> '水通' <-> '通知') & ('水')"


@pytest.fixture
def postgresql_app(app: Flask, app_context: None) -> Flask:
    if not app.config["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("runs where the suite runs on PostgreSQL")
    return app


def test_rum_is_used_where_the_extension_is_installed(postgresql_app: Flask) -> None:
    backend = backend_for(postgresql_app)
    assert isinstance(backend, PostgreSQLBackend)
    connection = db.session.connection()
    available = connection.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'").first()
    if available is None:
        pytest.skip("postgresql-15-rum is not installed here (scripts/bootstrap-system test installs it)")
    index_documents(CORPUS)
    assert backend.uses_rum is True
    another_process = PostgreSQLBackend()
    another_process.ensure_schema(connection)  # finds the table made before it started
    assert another_process.uses_rum is True


def test_without_rum_gin_serves_the_same_results_with_a_warning(
    postgresql_app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    backend = PostgreSQLBackend()
    monkeypatch.setitem(postgresql_app.extensions, "search.backend", backend)
    connection = db.session.connection()
    connection.exec_driver_sql("DROP TABLE IF EXISTS search_pg_index")
    has_rum = PostgreSQLBackend._has_rum
    monkeypatch.setattr(
        PostgreSQLBackend, "_has_rum", lambda self, conn: has_rum(self, _RefusingConnection(conn))
    )
    with caplog.at_level(logging.WARNING, logger="search.backends.postgresql"):
        index_documents(CORPUS)
    db.session.execute(
        delete(SearchDocument).where(SearchDocument.source_key.not_in([d.source_key for d in CORPUS]))
    )
    assert backend.uses_rum is False
    assert "rum extension is missing" in caplog.text
    indexdef = connection.exec_driver_sql(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_pg_index_tsv'"
    ).scalar_one()
    assert "USING gin" in indexdef
    ids = dict(db.session.execute(select(SearchDocument.source_key, SearchDocument.id)).all())
    for query in QUERIES:
        expected = scan(query)
        assert all_keys(query) == newest_first(expected.title, ids) + newest_first(expected.body, ids)


class _RefusingConnection:
    """A connection on which the rum extension is neither installed nor installable."""

    def __init__(self, connection: object) -> None:
        self._connection = connection

    def exec_driver_sql(self, sql: str, *args: object) -> object:
        if "pg_extension" in sql:
            return _NoRows()
        if "CREATE EXTENSION" in sql:
            raise RuntimeError('extension "rum" is not available')
        return self._connection.exec_driver_sql(sql, *args)  # type: ignore[attr-defined]

    def begin_nested(self) -> object:
        return self._connection.begin_nested()  # type: ignore[attr-defined]


class _NoRows:
    def first(self) -> None:
        return None


def test_the_planner_settings_are_put_back_after_a_search(postgresql_app: Flask) -> None:
    from search.services import search

    index_documents(CORPUS)
    connection = db.session.connection()
    connection.exec_driver_sql("SET LOCAL enable_sort = on")
    assert search("停水").total > 0
    for name in ("enable_bitmapscan", "enable_seqscan", "enable_sort"):
        assert connection.exec_driver_sql(f"SHOW {name}").scalar() == "on"


def test_a_process_in_another_schema_reads_its_own_schemas_index_not_public(postgresql_app: Flask) -> None:
    """An isolated schema's GIN index is not mistaken for the RUM index `public` holds."""
    index_documents(CORPUS)  # `public` has its index (RUM where the extension is installed)
    connection = db.session.connection()
    connection.exec_driver_sql("CREATE SCHEMA other_site")
    connection.exec_driver_sql(
        "CREATE TABLE other_site.search_pg_index (rank_key bigint PRIMARY KEY, title_tsv tsvector, tsv tsvector)"
    )
    connection.exec_driver_sql(
        "CREATE INDEX search_pg_index_tsv ON other_site.search_pg_index USING gin (tsv)"
    )
    connection.exec_driver_sql("SET LOCAL search_path = other_site")
    other_site = PostgreSQLBackend()
    other_site.ensure_schema(connection)
    assert other_site.uses_rum is False
    connection.exec_driver_sql("SET LOCAL search_path = public")
    this_site = PostgreSQLBackend()
    this_site.ensure_schema(connection)
    available = connection.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'rum'").first()
    assert this_site.uses_rum is (available is not None)
