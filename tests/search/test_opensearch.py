"""The OpenSearch backend against a recorded exchange (no server runs here; see the fixture's note)."""

from __future__ import annotations

from search.backends.base import Filters, IndexedRow
from search.backends.opensearch import OpenSearchBackend, index_settings, search_body
from search.tokens import VARIANTS, parse_query
from tests.search.opensearch_replay import Replay

CODES = {"theme_code": None, "administration_code": None, "service_code": None}
ROWS = [
    IndexedRow(
        1,
        109951162777601,
        "notice",
        "",
        "",
        "停水通知",
        "大安區明日停水。",
        "zh",
        {"office_code": "KL", **CODES},
    ),
    IndexedRow(
        2,
        109951162777602,
        "news",
        "",
        "",
        "水壓改善",
        "臺北市信義區停水八小時。",
        "zh",
        {"office_code": "TP", **CODES},
    ),
]


def test_the_recorded_exchange_creates_indexes_searches_and_deletes() -> None:
    replay = Replay("opensearch_exchange.json")
    backend = OpenSearchBackend("http://search.example:9200", session=replay)
    backend.ensure_schema(None)
    backend.ensure_schema(None)  # asked once
    backend.add(None, ROWS)
    query = parse_query("停水")
    everything = backend.search(None, query, Filters(), 0, 10)
    assert everything.ids == [1, 2]  # the title match, then the body match
    assert everything.total == 2
    notices = backend.search(None, query, Filters(kind="notice"), 0, 10)
    assert notices.ids == [1]
    assert notices.total == 1
    backend.remove(None, ROWS[1:])
    assert replay.finished


def test_the_analyser_has_the_parts_the_measurements_name() -> None:
    analysis = index_settings()["settings"]["analysis"]
    analyser = analysis["analyzer"]["cjk_index"]
    assert analyser["tokenizer"] == "standard"
    assert [analysis["char_filter"][name]["type"] for name in analyser["char_filter"]] == [
        "icu_normalizer",
        "mapping",
    ]
    assert analysis["char_filter"]["nfkc_cf"]["name"] == "nfkc_cf"
    assert analysis["filter"][analyser["filter"][0]] == {"type": "cjk_bigram", "output_unigrams": True}
    assert analyser["filter"][1] == "lowercase"
    assert len(analysis["char_filter"]["variants"]["mappings"]) == len(VARIANTS)


def test_queries_search_without_unigrams_so_chunks_are_phrases_of_pairs() -> None:
    mappings = index_settings()["mappings"]["properties"]
    assert mappings["title"]["search_analyzer"] == "cjk_query"
    analysis = index_settings()["settings"]["analysis"]
    query_filter = analysis["analyzer"]["cjk_query"]["filter"][0]
    assert analysis["filter"][query_filter]["output_unigrams"] is False


def test_the_body_tier_excludes_title_matches_and_every_filter_applies() -> None:
    body = search_body(
        parse_query("停水 app"), Filters(kind="news", office="KL", classification={"theme_code": "T1"}), 1
    )["bool"]
    assert len(body["must"]) == 2
    assert body["must_not"][0]["bool"]["must"][0]["bool"]["should"] == [{"match_phrase": {"title": "停水"}}]
    terms = [clause["term"] for clause in body["filter"] if "term" in clause]
    assert terms == [{"kind": "news"}, {"office_code": "KL"}, {"theme_code": "T1"}]
