"""The database layer: a background writer's session on SQLite survives other connections' commits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from portal import create_app
from portal.db import db
from tests.conftest import app_overrides

# Opens databases or services of its own: runs on each database.
pytestmark = pytest.mark.services


@pytest.fixture
def sqlite_app(tmp_path: Path):
    application = create_app(app_overrides(f"sqlite:///{tmp_path / 'site.db'}", tmp_path / "instance"))
    with application.app_context(), db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
    yield application
    application.extensions["portal.db"].engine.dispose()


def _read_then_write_after_another_commit(application) -> None:
    """Read in the context's session, let another connection commit, then write."""
    assert db.session.execute(text("SELECT value FROM counter")).scalar_one() == 0
    with db.engine.begin() as other:
        other.execute(text("UPDATE counter SET value = value + 10"))
    db.session.execute(text("UPDATE counter SET value = value + 1"))
    db.session.commit()


def test_a_deferred_transaction_cannot_write_after_reading_a_stale_snapshot(sqlite_app) -> None:
    # Why writers need their own session: this is what a web request's session does.
    with sqlite_app.app_context(), pytest.raises(OperationalError, match="locked"):
        _read_then_write_after_another_commit(sqlite_app)


def test_a_writer_session_takes_the_lock_first_and_never_loses_its_write(sqlite_app) -> None:
    with sqlite_app.app_context():
        session = db.use_writer_session()
        assert session.execute(text("SELECT value FROM counter")).scalar_one() == 0
        # Another writer now waits for this transaction instead of slipping in before it.
        with db.engine.connect() as other:
            other.exec_driver_sql("PRAGMA busy_timeout=100")
            with pytest.raises(OperationalError, match="locked"):
                other.execute(text("UPDATE counter SET value = value + 10"))
            other.rollback()
        session.execute(text("UPDATE counter SET value = value + 1"))
        session.commit()
        with db.engine.begin() as other:
            other.execute(text("UPDATE counter SET value = value + 10"))
        assert session.execute(text("SELECT value FROM counter")).scalar_one() == 11
        session.commit()
