"""Database: the SQLAlchemy 2 declarative base, engine and per-request session.

`db.session` is a session bound to the current Flask application context and closed
when the context ends. Services open transactions on it; views do not. A response body
read after the request has ended (a streamed export) cannot use that session: it takes
`db.snapshot()`, a connection of its own. Reads of what never changes once written (a
published release's rows) take `db.reader()`: a connection in autocommit, with no ORM
session and no transaction to begin and end. Tests rebind the session factory to one
connection whose outer transaction is rolled back after each test (see `Database.bind_to`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names so that migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database.

    SQLite has no time zones; values are stored naive in UTC and come back aware, so
    code never compares aware and naive datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portal.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}  # noqa: RUF012


# An execution option: SQLite transactions that take the write lock as they begin.
WRITER_OPTION = "portal_sqlite_writer"


def _configure_sqlite_connection(engine: Engine) -> None:
    """Enforce foreign keys, wait for locks, use WAL, and leave transactions to SQLAlchemy."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _configure_sqlite(engine: Engine) -> None:
    """Make pysqlite honour transactions and savepoints, and enforce foreign keys."""
    _configure_sqlite_connection(engine)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITER_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _json_dumps(value: Any) -> str:
    # Chinese stays readable in the database, and searchable with LIKE.
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str) -> Engine:
    """Create an engine for `url` with the settings this application relies on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, json_serializer=_json_dumps)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, json_serializer=_json_dumps)


def make_reader_engine(url: str) -> Engine:
    """An engine whose connections run every statement in autocommit: nothing to begin or roll back.

    It has a pool of its own, since changing a pooled connection's isolation level back
    and forth would cost as much as the transaction it saves (and on SQLite would undo
    the manual transaction control the writers rely on).
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False}, isolation_level="AUTOCOMMIT", pool_size=2
        )
        _configure_sqlite_connection(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=8, isolation_level="AUTOCOMMIT")


def upsert(session: Session, model: type[Any]) -> Any:
    """An `INSERT` into `model` in the session's database's dialect, which has `on_conflict_do_update`.

    SQLite and PostgreSQL both write `INSERT … ON CONFLICT DO UPDATE`; SQLAlchemy has the
    statement in each dialect, not in the core.
    """
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with the visitor's % and _ taken literally.

    Use with `escape="\\"`: `column.ilike(contains_pattern(q), escape="\\")`.
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class _AppDatabase:
    """The engine and session factory of one Flask application."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._reader_engine: Engine | None = None
        self._reader_lock = threading.Lock()
        self.session_factory: sessionmaker[Session] = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.bound: Connection | None = None  # the test connection every session runs in, if any

    @property
    def reader_engine(self) -> Engine:
        """The autocommit engine of `Database.reader`, made when first used."""
        with self._reader_lock:
            if self._reader_engine is None:
                self._reader_engine = make_reader_engine(self.url)
            return self._reader_engine


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # One snapshot for every statement, and no chance of a write.
            connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        # On SQLite (WAL) the deferred transaction's first read fixes its snapshot.
        with connection.begin():
            yield connection


class Database:
    """Access to the database of the current application."""

    extension_key = "portal.db"

    def init_app(self, app: Flask) -> None:
        """Create the application's engine and close its session after each context."""
        app.extensions[self.extension_key] = _AppDatabase(app.config["DATABASE_URL"])
        app.teardown_appcontext(self._close_session)

    @staticmethod
    def _state(app: Flask | None = None) -> _AppDatabase:
        return (app or current_app).extensions[Database.extension_key]

    @property
    def engine(self) -> Engine:
        """The current application's engine."""
        return self._state().engine

    @property
    def session(self) -> Session:
        """The session of the current application context, created on first use."""
        session = g.get("_db_session")
        if session is None:
            session = self._state().session_factory()
            g._db_session = session
        return session

    def separate_session(self) -> Session:
        """A session of its own, beside this context's: its transaction commits or rolls back alone.

        Under `bind_to` (tests) it joins the test's connection in a savepoint, like every session.
        The caller closes it.
        """
        return self._state().session_factory()

    def reader(self) -> Connection:
        """This context's autocommit connection, for reading what never changes once written.

        Each statement sees the database as of its own start and no transaction is begun
        or ended, so it suits reads of published releases (their tables never change) and
        lookups of one statement each; anything that must see one moment across statements,
        or writes, uses `session`. Closed when the context ends. Under `bind_to` (tests) it
        is the session's connection, inside the test's transaction: the test's own rows are
        seen, and a failed statement is rolled back with the request's savepoint instead of
        breaking the test's transaction (as it would on PostgreSQL).
        """
        connection = g.get("_db_reader")
        if connection is None:
            state = self._state()
            if state.bound is not None:
                return self.session.connection()
            connection = state.reader_engine.connect()
            g._db_reader = connection
        return connection

    @staticmethod
    @contextmanager
    def reading(app: Flask) -> Iterator[Connection]:
        """An autocommit connection of `app` outside any context, as `reader` gives one (WSGI shortcuts).

        Under `bind_to` (tests) it is the test's connection, as for `reader`.
        """
        state = Database._state(app)
        if state.bound is not None:
            yield state.bound
            return
        with state.reader_engine.connect() as connection:
            yield connection

    def use_writer_session(self) -> Session:
        """Give this context a fresh session for a background writer, and return it.

        On SQLite a transaction that reads first and writes later fails at once when another
        connection committed in between (WAL snapshots cannot be upgraded), so a job that
        writes throughout takes the write lock when each of its transactions begins. Web
        requests keep deferred transactions and read alongside it.
        """
        previous = g.pop("_db_session", None)
        if previous is not None:
            previous.close()
        factory = self._state().session_factory
        bind = factory.kw.get("bind")
        if isinstance(bind, Engine) and bind.dialect.name == "sqlite":
            session = factory(bind=bind.execution_options(**{WRITER_OPTION: True}))
        else:
            session = factory()
        g._db_session = session
        return session

    def discard(self) -> None:
        """Roll back what this context's session has under way, if anything (after a failure)."""
        session = g.get("_db_session")
        if session is not None:
            session.rollback()

    def snapshot(self) -> AbstractContextManager[Connection]:
        """A connection of its own, in a read-only transaction that sees one moment of the database.

        For a response body read after the request's teardown has closed `db.session`: whoever
        enters it owns the connection until it exits, and the exit returns it to the pool.
        Under `bind_to` (tests) it is the test's connection, so the test's own rows are seen;
        see `in_test_transaction`.
        """
        state = self._state()
        if state.bound is not None:
            return nullcontext(state.bound)
        return _snapshot(state.engine)

    @property
    def in_test_transaction(self) -> bool:
        """Whether sessions run inside a test's connection (`bind_to`).

        There each request's work is a savepoint rolled back at its teardown, which also ends
        any statement still reading on that connection: a stream must read its rows first.
        """
        return self._state().bound is not None

    def bind_to(self, app: Flask, connection: Connection) -> None:
        """Run every session of `app` inside `connection`'s transaction (tests)."""
        state = self._state(app)
        state.bound = connection
        state.session_factory = sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )

    def unbind(self, app: Flask) -> None:
        """Undo `bind_to`."""
        state = self._state(app)
        state.bound = None
        state.session_factory = sessionmaker(bind=state.engine, expire_on_commit=False)

    @staticmethod
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("_db_session", None)
        if session is not None:
            session.close()
        reader = g.pop("_db_reader", None)
        if reader is not None:
            reader.close()


db = Database()
