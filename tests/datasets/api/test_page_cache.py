"""Rendered pages of rows: kept within a byte budget, served again unchanged, never across releases,
and keyed on the parsed query so that no query can answer for another."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from datasets.api import rowsql
from datasets.api.page_cache import PageCache
from datasets.api.rowquery import Filter, QueryError, RowQuery, parse_rest
from tests.datasets.api.conftest import API_SCHEMA, PublishedDataset
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


def test_a_value_holding_an_ampersand_never_answers_for_two_parameters(
    client: Any, api_dataset: PublishedDataset
) -> None:
    base = f"/api/v1/datasets/{api_dataset.slug}/rows"
    # One filter whose value is "中正區&limit=7" (it matches nothing), asked first, by anyone...
    poisoned = client.get(f"{base}?district=%E4%B8%AD%E6%AD%A3%E5%8D%80%26limit%3D7")
    assert poisoned.status_code == 200
    assert poisoned.json["total"] == 0
    # ...and then the filter with a limit: its own answer, under its own tag.
    honest = client.get(f"{base}?district=%E4%B8%AD%E6%AD%A3%E5%8D%80&limit=7")
    expected = sum(1 for row in api_dataset.rows if row["district"] == "中正區")
    assert (honest.json["total"], honest.json["limit"], len(honest.json["rows"])) == (expected, 7, 7)
    assert honest.headers["ETag"] != poisoned.headers["ETag"]
    revalidated = client.get(
        f"{base}?district=%E4%B8%AD%E6%AD%A3%E5%8D%80&limit=7",
        headers={"If-None-Match": poisoned.headers["ETag"]},
    )
    assert revalidated.status_code == 200, "the other query's tag must not pass for this one's"


def test_the_same_query_written_differently_shares_its_page(
    client: Any, api_dataset: PublishedDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_calls(monkeypatch, rowsql, "fetch_page")
    base = f"/api/v1/datasets/{api_dataset.slug}/rows"
    first = client.get(f"{base}?limit=5&count__gt=10&fields=code,count")
    again = client.get(f"{base}?fields=code,count&count__gt=10&limit=05")
    assert first.headers["ETag"] == again.headers["ETag"]
    assert len(calls) == 1


def _strictly_equal(left: Any, right: Any) -> bool:
    """Equal, and of the same types all the way down (1, 1.0 and True are three values here)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, list | tuple):
        return len(left) == len(right) and all(map(_strictly_equal, left, right))
    if isinstance(left, Filter | RowQuery):
        return _strictly_equal(list(vars(left).values()), list(vars(right).values()))
    if isinstance(left, float):
        return repr(left) == repr(right)
    return bool(left == right)


VALUES = st.one_of(
    st.text(alphabet="中正區&=%,;-+ 1.0aé\u2028", max_size=8),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
FILTERS = st.builds(
    Filter,
    st.sampled_from(["code", "district", "day", "count", "a&b", "a=b"]),
    st.sampled_from(["eq", "ne", "in", "gt", "contains"]),
    st.one_of(VALUES, st.lists(VALUES, max_size=3)),
)
QUERIES = st.builds(
    RowQuery,
    filters=st.lists(FILTERS, max_size=3),
    q=st.text(alphabet="水&= ", max_size=3),
    sort=st.lists(st.tuples(st.sampled_from(["code", "count", "day"]), st.booleans()), max_size=2),
    fields=st.lists(st.sampled_from(["code", "count", "day", "a,b"]), max_size=3),
    limit=st.integers(min_value=1, max_value=1000),
    offset=st.integers(min_value=0, max_value=100_000),
    cursor=st.text(alphabet="ab.-_&=", max_size=4),
    count=st.booleans(),
)


@settings(max_examples=600, deadline=None)
@given(QUERIES, QUERIES)
def test_distinct_queries_never_share_a_key(first: RowQuery, second: RowQuery) -> None:
    if _strictly_equal(first, second):
        assert first.page_key() == second.page_key()
    else:
        assert first.page_key() != second.page_key()


ARGUMENT_NAMES = [
    "district",
    "code",
    "count__gt",
    "day__lt",
    "code__in",
    "q",
    "sort",
    "fields",
    "limit",
    "offset",
]
ARGUMENTS = st.lists(
    st.tuples(st.sampled_from(ARGUMENT_NAMES), st.text(alphabet="中正區&=%,-1 2C0", max_size=6)), max_size=4
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ARGUMENTS, ARGUMENTS)
def test_query_strings_that_mean_different_things_never_share_a_key(
    app: Flask, first: list[tuple[str, str]], second: list[tuple[str, str]]
) -> None:
    schema = {"fields": API_SCHEMA["fields"]}
    with app.test_request_context("/"):
        try:
            parsed = [parse_rest(MultiDict(first), schema), parse_rest(MultiDict(second), schema)]
        except QueryError:
            assume(False)
    if not _strictly_equal(*parsed):
        assert parsed[0].page_key() != parsed[1].page_key()
