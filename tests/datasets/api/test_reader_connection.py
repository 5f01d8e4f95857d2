"""The rows API reads on the autocommit reader: no ORM session, nothing begun, nothing left checked out.

An application not bound to the test's transaction, as a served site is not; it reads the
demo's committed rows.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import event, func, select

from datasets.models import Dataset
from portal.db import db

SLUG = "water-quality"


def test_a_page_of_rows_uses_only_the_reader(app: Flask, make_app: Callable[..., Flask]) -> None:
    unbound = make_app(API_PAGE_CACHE_MB=0)  # `app` has loaded the demo
    state = unbound.extensions["portal.db"]
    checkouts = {"main": 0, "reader": 0}

    def counted(name: str) -> Callable[..., None]:
        def count(*_args: object) -> None:
            checkouts[name] += 1

        return count

    event.listen(state.engine, "checkout", counted("main"))
    event.listen(state.reader_engine, "checkout", counted("reader"))
    client = unbound.test_client()
    for _ask in range(3):
        answer = client.get(f"/api/v1/datasets/{SLUG}/rows?limit=5")
        assert answer.status_code == 200
        assert len(answer.json["rows"]) == 5
        assert answer.json["total"] > 5
    assert checkouts == {"main": 0, "reader": 3}
    assert state.engine.pool.checkedout() == 0
    assert state.reader_engine.pool.checkedout() == 0


def test_the_reader_is_one_autocommit_connection_per_context(make_app: Callable[..., Flask]) -> None:
    unbound = make_app()
    with unbound.app_context():
        reader = db.reader()
        assert db.reader() is reader
        assert reader.execute(select(func.count()).select_from(Dataset)).scalar() > 0
        driver = reader.connection.driver_connection
        if reader.dialect.name == "sqlite":
            assert not driver.in_transaction  # no BEGIN was sent: the select ran on its own
        else:
            assert driver.autocommit
    assert unbound.extensions["portal.db"].reader_engine.pool.checkedout() == 0
