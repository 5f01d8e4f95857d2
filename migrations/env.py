"""Alembic environment: runs this project's revisions against the configured database."""

from __future__ import annotations

from alembic import context

import portal.models  # noqa: F401 - registers every model on the metadata
from portal.db import Base, make_engine

config = context.config
database_url = config.attributes.get("database_url")
connection = config.attributes.get("connection")


def _configure(conn) -> None:  # type: ignore[no-untyped-def]
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
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
