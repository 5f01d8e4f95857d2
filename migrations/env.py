"""Alembic environment: runs this project's revisions against the configured database."""

from __future__ import annotations

import importlib
import importlib.util

from alembic import context

import portal.models  # noqa: F401 - registers the house's models on the metadata
from portal import DOMAINS
from portal.db import Base, make_engine

# Each domain package keeps its models in `<domain>.models`, if it has any yet.
for domain in DOMAINS:
    if importlib.util.find_spec(f"{domain}.models") is not None:
        importlib.import_module(f"{domain}.models")

config = context.config
database_url = config.attributes.get("database_url")
connection = config.attributes.get("connection")


def _configure(conn) -> None:
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=conn.dialect.name == "sqlite",
        compare_type=True,
    )


if context.is_offline_mode():
    context.configure(url=database_url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                # A batch migration copies a table and drops the old one, which enforced foreign
                # keys refuse while rows point at it (a case's timeline). Set on the driver's
                # connection, outside any transaction, where SQLite honours it.
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
