"""The database's backend (FTS5 on SQLite, RUM or GIN on PostgreSQL) against a substring scan.

The suite runs on PostgreSQL when `DATABASE_URL` names one, so the same corpus and
queries check both databases: the same matches, in the same tiered order.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.db import db
from search.backends.base import COUNT_CAP
from search.models import SearchDocument
from search.services import (
    PER_PAGE,
    Document,
    SearchRefusedError,
    clear_index,
    index_document,
    index_documents,
    remove_document,
    search,
)
from tests.search.corpus import CORPUS, QUERIES, all_keys, newest_first, scan

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def corpus() -> dict[str, int]:
    """The corpus indexed alone (the demo's pages and datasets taken out); source key -> document id."""
    clear_index()
    index_documents(CORPUS)
    rows = db.session.execute(select(SearchDocument.source_key, SearchDocument.id)).all()
    return dict(rows)


@pytest.mark.parametrize("query", QUERIES)
def test_matches_equal_a_substring_scan_in_the_tiered_order(corpus: dict[str, int], query: str) -> None:
    expected = scan(query)
    keys = [key for key in all_keys(query) if key in corpus]
    assert keys == newest_first(expected.title, corpus) + newest_first(expected.body, corpus)
    assert search(query).total == len(keys)


def test_the_corpus_exercises_both_tiers_and_paging(corpus: dict[str, int]) -> None:
    expected = scan("水")
    assert expected.title
    assert expected.body
    assert len(expected.title) + len(expected.body) > PER_PAGE


def test_a_type_filter(corpus: dict[str, int]) -> None:
    expected = scan("停水")
    notices = [d for d in expected.title + expected.body if d.kind == "notice"]
    assert sorted(all_keys("停水", kind="notice")) == sorted(d.source_key for d in notices)
    assert len(notices) >= 2


def test_office_classification_and_date_filters(corpus: dict[str, int]) -> None:
    assert all_keys("水", office="TP") == ["t8", "t5"]
    assert all_keys("停水", classification={"theme": "T1"}) == ["t6", "t1"]
    assert all_keys("繳費", classification={"service": "S2"}) == ["t4", "t3"]
    assert all_keys("費", classification={"administration": "A9"}) == ["t7"]
    within = all_keys("水", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert sorted(within) == ["t4", "t6"] or sorted(within) == ["t6"]
    assert set(within) == {
        d.source_key
        for d in scan("水").title + scan("水").body
        if date(2026, 3, 1) <= d.day <= date(2026, 3, 31)
    }


def test_results_carry_highlighted_titles_and_snippets(corpus: dict[str, int]) -> None:
    results = search("台北")
    by_key = {result.source_key: result for result in results.results}
    assert str(by_key["t5"].snippet) == "<mark>台北</mark>市的自來水由本處供應。"
    assert str(by_key["t2"].snippet).count("<mark>臺北</mark>") == 1
    assert by_key["t2"].url == "/t/2"


def test_reindexing_a_document_replaces_it(corpus: dict[str, int]) -> None:
    changed = CORPUS[0]
    index_document(
        Document(
            changed.kind, changed.source_key, "zh", "水表更換", "新的內文", date(2027, 1, 1), changed.url
        )
    )
    assert "t1" not in all_keys("停水通知")
    assert all_keys("水表") == ["t1"]
    assert all_keys("水")[0] == "t1"  # the newest title match now


def test_removing_a_document(corpus: dict[str, int]) -> None:
    assert remove_document("notice", "t10") == 1
    assert "t10" not in all_keys("水")
    assert remove_document("notice", "t10") == 0


def test_empty_query_finds_nothing(corpus: dict[str, int]) -> None:
    for query in ("😀", "！？", "   "):
        results = search(query)
        assert results.total == 0
        assert results.results == []


def test_a_query_too_long_is_refused_with_a_message(corpus: dict[str, int]) -> None:
    with pytest.raises(SearchRefusedError) as refusal:
        search("水" * 10_000)
    assert "200" in str(refusal.value.message)


@pytest.mark.parametrize(
    "filters",
    [
        {"kind": "poem"},
        {"classification": {"colour": "x"}},
        {"date_from": date(2026, 2, 1), "date_to": date(2026, 1, 1)},
    ],
)
def test_bad_filters_are_refused(corpus: dict[str, int], filters: dict[str, object]) -> None:
    with pytest.raises(SearchRefusedError):
        search("水", **filters)  # type: ignore[arg-type]


def test_pages_beyond_the_count_cap_are_refused(corpus: dict[str, int]) -> None:
    with pytest.raises(SearchRefusedError):
        search("水", page=COUNT_CAP // PER_PAGE + 1)
    with pytest.raises(SearchRefusedError):
        search("水", page=0)


def test_an_unknown_kind_of_document_is_not_indexed(app_context: None) -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        index_document(Document("poem", "x", "zh", "詩", "", date(2026, 1, 1), "/x"))
