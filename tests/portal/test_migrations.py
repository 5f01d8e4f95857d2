"""Migrations: numbered, linear, reversible, and in step with the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import datasets.models  # noqa: F401 - every model on the metadata, as migrations/env.py gathers them
import feedback.models  # noqa: F401
import portal.models  # noqa: F401
from portal import migrate
from portal.db import Base, make_engine
from tests.support.databases import drop_schema, isolated_database_url

# Opens databases or services of its own: runs on each database.
pytestmark = pytest.mark.services


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    url, schema = isolated_database_url(tmp_path, "migrations")
    yield url
    if schema:
        drop_schema(url.split("?")[0], schema)


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_revisions_are_numbered_and_linear() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config(""))
    revisions = list(script.walk_revisions())
    assert len(script.get_heads()) == 1
    numbers = sorted(revision.revision for revision in revisions)
    assert numbers == [f"{number:04d}" for number in range(1, len(numbers) + 1)]
    for path in (migrate.MIGRATIONS_PATH / "versions").glob("*.py"):
        match = re.match(r"^(\d{4})_[a-z0-9_]+\.py$", path.name)
        assert match, f"migration file not numbered: {path.name}"
        assert (
            f"revision = '{match.group(1)}'" in path.read_text()
            or f'revision = "{match.group(1)}"' in path.read_text()
        )


def test_upgrade_from_empty_then_downgrade_cleanly(empty_database: str) -> None:
    model_tables = set(Base.metadata.tables)
    migrate.upgrade(empty_database)
    assert migrate.current_revision(empty_database) == migrate.head_revision()
    assert model_tables <= table_names(empty_database)
    migrate.downgrade(empty_database, "base")
    assert migrate.current_revision(empty_database) is None
    assert table_names(empty_database) - {"alembic_version"} == set()
    migrate.upgrade(empty_database)
    assert model_tables <= table_names(empty_database)


def test_models_and_migrations_agree(empty_database: str) -> None:
    migrate.upgrade(empty_database)
    engine = make_engine(empty_database)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == [], f"models differ from migrations: {differences}"
