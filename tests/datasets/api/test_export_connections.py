"""Exports own their connection: held until the last row or until the client leaves, then given back.

These tests use an application that is not bound to the test's transaction, as a served
site is not: the request's session is closed before the body is read, and only the
stream's own connection can still be checked out. They read the demo's committed rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert, select, text
from sqlalchemy.pool import Pool

from datasets import query_store
from datasets.api import export, streaming
from datasets.models import Dataset, Release
from portal.db import db

SLUG = "water-quality"


@pytest.fixture
def unbound(app: Flask, make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> Flask:
    """An application on the suite's database with small chunks and batches, so a demo export has many."""
    monkeypatch.setattr(export, "CHUNK_ROWS", 10)
    monkeypatch.setattr(streaming, "BATCH_ROWS", 10)
    return make_app()  # `app` has loaded the demo


def _pool(application: Flask) -> Pool:
    return application.extensions["portal.db"].engine.pool


def _stream(application: Flask, path: str) -> tuple[Any, Iterator[bytes]]:
    response = application.test_client().get(path, buffered=False)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response, iter(response.response)


@pytest.mark.parametrize("kind", ["csv", "ndjson"])
def test_a_client_leaving_mid_stream_gives_the_connection_back(unbound: Flask, kind: str) -> None:
    pool = _pool(unbound)
    response, chunks = _stream(unbound, f"/api/v1/datasets/{SLUG}/rows.{kind}")
    next(chunks)
    next(chunks)
    # The request is over and its session closed: what is still checked out is the stream's.
    assert pool.checkedout() == 1
    response.close()  # what the WSGI server does when the client goes away
    assert pool.checkedout() == 0


def test_a_body_never_read_still_gives_the_connection_back(unbound: Flask) -> None:
    pool = _pool(unbound)
    response, _chunks = _stream(unbound, f"/api/v1/datasets/{SLUG}/rows.csv")
    assert pool.checkedout() == 1
    response.close()
    assert pool.checkedout() == 0


def test_the_last_row_gives_the_connection_back(unbound: Flask) -> None:
    pool = _pool(unbound)
    response, chunks = _stream(unbound, f"/api/v1/datasets/{SLUG}/rows.csv")
    body = b"".join(chunks)
    assert pool.checkedout() == 0
    response.close()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    with unbound.test_client() as client:
        total = client.get(f"/api/v1/datasets/{SLUG}/rows?limit=1").json["total"]
    assert len(rows) - 1 == total > 10


def test_an_export_reads_one_snapshot(unbound: Flask) -> None:
    """A row committed while an export is under way is not in it: the stream sees one moment."""
    with unbound.app_context():
        release = db.session.scalar(
            select(Release)
            .join(Dataset, Dataset.current_release_id == Release.id)
            .where(Dataset.slug == SLUG)
        )
        assert release is not None
        table = query_store.build_table(release.query_table, release.table_schema)
        engine = db.engine
    response, chunks = _stream(unbound, f"/api/v1/datasets/{SLUG}/rows.csv")
    first = next(chunks)
    with engine.begin() as writer:
        top = writer.scalar(select(text("max(_row)")).select_from(table)) or 0
        writer.execute(insert(table).values(_row=top + 1, _hash=0))
    try:
        body = first + b"".join(chunks)
        response.close()
        exported = len(body.decode("utf-8-sig").splitlines()) - 1
        with engine.connect() as reader:
            now = query_store.row_count(reader, table)
        assert exported == now - 1
    finally:
        with engine.begin() as writer:
            writer.execute(table.delete().where(table.c["_row"] == top + 1))
