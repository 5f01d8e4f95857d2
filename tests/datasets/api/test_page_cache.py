"""Rendered pages of rows: kept within a byte budget, served again unchanged, never across releases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from datasets.api import rowsql
from datasets.api.page_cache import PageCache
from tests.datasets.conftest import HEADER, sample_rows, write_csv
from tests.support.calls import count_calls


def test_the_budget_pushes_out_the_least_recently_used() -> None:
    cache = PageCache(budget_bytes=100)
    cache.put("a", b"x" * 10)
    cache.put("b", b"y" * 10)
    assert cache.get("a") == b"x" * 10  # "b" is now the least recently used
    for key in "cdefghijk":
        cache.put(key, b"z" * 10)
    assert cache.used == 100
    assert cache.get("b") is None
    assert cache.get("a") == b"x" * 10  # used more recently than "b", so still kept
    cache.put("l", b"z" * 10)
    assert cache.get("c") is None  # now the least recently used
    assert cache.get("k") == b"z" * 10


def test_a_page_too_large_for_its_share_is_not_kept() -> None:
    cache = PageCache(budget_bytes=80)
    cache.put("large", b"x" * 11)  # more than an eighth of the budget
    assert cache.get("large") is None
    assert len(cache) == 0
    cache.put("small", b"x" * 10)
    cache.put("small", b"y" * 10)  # replacing an entry does not count it twice
    assert cache.used == 10


def _published_with_rows(
    make_dataset: Callable[..., Any], run_publish: Callable[..., Any], path: Path, count: int
) -> Any:
    dataset = make_dataset()
    run_publish(dataset, write_csv(path, HEADER, sample_rows(count)))
    return dataset


def test_the_same_query_is_rendered_once_and_a_new_release_is_never_answered_from_the_old(
    client: Any,
    make_dataset: Callable[..., Any],
    run_publish: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dataset = _published_with_rows(make_dataset, run_publish, tmp_path / "first.csv", 12)
    calls = count_calls(monkeypatch, rowsql, "fetch_page")
    url = f"/api/v1/datasets/{dataset.slug}/rows?limit=5&sort=-count"
    first = client.get(url)
    again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert len(calls) == 1
    assert client.get(url + "&fields=code").status_code == 200  # another query is rendered
    assert len(calls) == 2

    run_publish(dataset, write_csv(tmp_path / "second.csv", HEADER, sample_rows(30, start=100)))
    newer = client.get(url)
    assert newer.json["release"] == first.json["release"] + 1
    assert newer.json["total"] == 30
    assert newer.get_data() != first.get_data()
    assert len(calls) == 3


def test_the_cache_can_be_turned_off(
    app: Any,
    client: Any,
    make_dataset: Callable[..., Any],
    run_publish: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dataset = _published_with_rows(make_dataset, run_publish, tmp_path / "rows.csv", 8)
    monkeypatch.setitem(app.extensions, "datasets.page_cache", None)
    calls = count_calls(monkeypatch, rowsql, "fetch_page")
    url = f"/api/v1/datasets/{dataset.slug}/rows?limit=3"
    assert client.get(url).get_data() == client.get(url).get_data()
    assert len(calls) == 2
