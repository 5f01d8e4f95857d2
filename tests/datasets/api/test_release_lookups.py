"""Release lookups: reused for `API_RELEASE_LOOKUP_SECONDS`, then asked again; a rendered page needs no SQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection

from datasets.api import release_lookups as releases
from datasets.api.release_lookups import ReleaseLookups
from datasets.models import Dataset
from portal.db import db
from tests.datasets.api.conftest import PublishedDataset
from tests.support.calls import count_calls


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    ticking = Clock()
    monkeypatch.setattr(releases.time, "monotonic", ticking)
    return ticking


@pytest.fixture
def lookups(app: Flask, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> ReleaseLookups:
    """The suite's application with lookups kept for 2 seconds (the default), for this test only."""
    kept = ReleaseLookups(2)
    monkeypatch.setitem(app.extensions, "datasets.release_lookups", kept)
    return kept


@pytest.fixture
def statements(db_transaction: Connection) -> Iterator[list[str]]:
    """Every SQL statement the test's requests run."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db_transaction, "before_cursor_execute", record)
    yield seen
    event.remove(db_transaction, "before_cursor_execute", record)


def _unpublish(app: Flask, dataset_id: int) -> None:
    with app.app_context():
        found = db.session.get(Dataset, dataset_id)
        assert found is not None
        found.published = False
        db.session.commit()


def test_a_lookup_is_reused_within_its_seconds_and_asked_again_after(
    client: Any,
    api_dataset: PublishedDataset,
    lookups: ReleaseLookups,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = count_calls(monkeypatch, releases, "_release_statement")
    url = f"/api/v1/datasets/{api_dataset.slug}/rows?limit=3"
    assert client.get(url).status_code == 200
    assert client.get(url + "&offset=3").status_code == 200  # another page, same release
    assert len(asked) == 1
    clock.now += 2.5
    assert client.get(url).status_code == 200
    assert len(asked) == 2


def test_an_unpublished_dataset_leaves_the_rows_api_when_its_lookup_expires(
    app: Flask, client: Any, api_dataset: PublishedDataset, lookups: ReleaseLookups, clock: Clock
) -> None:
    url = f"/api/v1/datasets/{api_dataset.slug}/rows?limit=3"
    assert client.get(url).status_code == 200
    _unpublish(app, api_dataset.dataset_id)
    clock.now += 1.0
    assert client.get(url).status_code == 200  # the documented delay: at most the lookup's seconds
    clock.now += 1.5
    gone = client.get(url)
    assert gone.status_code == 404
    assert gone.mimetype == "application/problem+json"


def test_without_lookups_every_request_asks_the_database(
    app: Flask, client: Any, api_dataset: PublishedDataset
) -> None:
    assert app.extensions["datasets.release_lookups"] is None  # the suite's setting
    url = f"/api/v1/datasets/{api_dataset.slug}/rows?limit=3"
    assert client.get(url).status_code == 200
    _unpublish(app, api_dataset.dataset_id)
    assert client.get(url).status_code == 404


def test_a_rendered_page_is_served_without_any_sql(
    client: Any, api_dataset: PublishedDataset, lookups: ReleaseLookups, statements: list[str]
) -> None:
    url = f"/api/v1/datasets/{api_dataset.slug}/rows?district__in=%E4%BF%A1%E7%BE%A9%E5%8D%80&limit=4"
    first = client.get(url)
    assert first.status_code == 200
    assert any("ds_rows_" in statement for statement in statements)  # the first answer reads the rows
    statements.clear()
    again = client.get(url)
    assert again.status_code == 200
    assert again.get_data() == first.get_data()
    assert statements == []


def test_lookups_keep_at_most_their_size(clock: Clock) -> None:
    kept = ReleaseLookups(5, size=2)
    made: list[Any] = [object(), object(), object()]
    kept.put(("a", None), made[0])
    kept.put(("b", None), made[1])
    kept.put(("c", 2), made[2])
    assert kept.get(("a", None)) is None  # the oldest answer made room
    assert kept.get(("b", None)) is made[1]
    assert kept.get(("c", 2)) is made[2]
    clock.now += 5
    assert kept.get(("b", None)) is None


@pytest.mark.parametrize(("seconds", "on"), [(0, False), (3, True)])
def test_the_setting_turns_lookups_on_and_off(make_app: Callable[..., Flask], seconds: int, on: bool) -> None:
    built = make_app(API_RELEASE_LOOKUP_SECONDS=seconds)
    kept = built.extensions["datasets.release_lookups"]
    assert (kept is not None) == on
    if on:
        assert kept.seconds == seconds
