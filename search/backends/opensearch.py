"""OpenSearch (or Elasticsearch) behind the same interface, for a site that outgrows its database.

The index analyses text itself, with the parts docs/search.md names: the `icu_normalizer`
char filter (nfkc_cf, plugin `analysis-icu`), the variant table of `search.tokens` as a
`mapping` char filter, the `standard` tokenizer, `cjk_bigram` with `output_unigrams` and
`lowercase`. Queries are analysed without the unigrams, so a chunk of two or more
characters is the phrase of its pairs and a single character finds every place it
occurs. Writes go over HTTP as they are made, not inside the database's transaction:
`flask search reindex` brings the index back in step after a rollback.

No server runs where this was written: `tests/search/test_opensearch.py` checks the
requests against a recorded exchange (`tests/search/recorded/`).
"""

from __future__ import annotations

import json
from typing import Any

import requests
from sqlalchemy.engine import Connection

from search.backends.base import COUNT_CAP, Filters, Hits, IndexedRow, tiered_search
from search.tokens import VARIANTS, Query

TIMEOUT_SECONDS = 10


def index_settings() -> dict[str, Any]:
    """The index's settings and mappings (analysers and fields)."""
    analysis = {
        "char_filter": {
            "variants": {"type": "mapping", "mappings": [f"{a} => {b}" for a, b in VARIANTS.items()]},
            "nfkc_cf": {"type": "icu_normalizer", "name": "nfkc_cf"},
        },
        "filter": {
            "cjk_pairs_and_singles": {"type": "cjk_bigram", "output_unigrams": True},
            "cjk_pairs": {"type": "cjk_bigram", "output_unigrams": False},
        },
        "analyzer": {
            "cjk_index": {
                "type": "custom",
                "char_filter": ["nfkc_cf", "variants"],
                "tokenizer": "standard",
                "filter": ["cjk_pairs_and_singles", "lowercase"],
            },
            "cjk_query": {
                "type": "custom",
                "char_filter": ["nfkc_cf", "variants"],
                "tokenizer": "standard",
                "filter": ["cjk_pairs", "lowercase"],
            },
        },
    }
    text_field = {"type": "text", "analyzer": "cjk_index", "search_analyzer": "cjk_query"}
    keyword = {"type": "keyword"}
    return {
        "settings": {"analysis": analysis},
        "mappings": {
            "properties": {
                "kind": keyword,
                "language": keyword,
                "office_code": keyword,
                "theme_code": keyword,
                "administration_code": keyword,
                "service_code": keyword,
                "rank_key": {"type": "long"},
                "title": text_field,
                "body": text_field,
            }
        },
    }


def _phrases(query: Query, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    clauses = []
    for term in query.terms:
        should = [{"match_phrase": {field: term.needle}} for field in fields]
        clauses.append({"bool": {"should": should, "minimum_should_match": 1}})
    return clauses


def search_body(query: Query, filters: Filters, tier: int) -> dict[str, Any]:
    """The bool query of one tier: all terms in the title, or anywhere but not all in the title."""
    low, high = filters.rank_range()
    filter_clauses: list[dict[str, Any]] = [{"range": {"rank_key": {"gte": low, "lte": high}}}]
    for field, value in (
        ("kind", filters.kind),
        ("office_code", filters.office),
        ("language", filters.language),
    ):
        if value:
            filter_clauses.append({"term": {field: value}})
    for column, code in sorted(filters.classification.items()):
        filter_clauses.append({"term": {column: code}})
    title_only = _phrases(query, ("title",))
    if tier == 0:
        return {"bool": {"must": title_only, "filter": filter_clauses}}
    return {
        "bool": {
            "must": _phrases(query, ("title", "body")),
            "must_not": [{"bool": {"must": title_only}}],
            "filter": filter_clauses,
        }
    }


class OpenSearchBackend:
    """An OpenSearch index reached over HTTP at `url`, named `index`."""

    name = "opensearch"

    def __init__(self, url: str, index: str = "portal-search", session: Any = None) -> None:
        self.url = url.rstrip("/")
        self.index = index
        self.http = session or requests.Session()
        self.ready = False  # the index is known to exist

    def _call(self, method: str, path: str, body: Any = None, ndjson: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/x-ndjson" if ndjson is not None else "application/json"}
        data = (
            ndjson
            if ndjson is not None
            else (json.dumps(body, ensure_ascii=False) if body is not None else None)
        )
        response = self.http.request(
            method,
            f"{self.url}{path}",
            data=data.encode() if data else None,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        return dict(response.json())

    def ensure_schema(self, connection: Connection | None) -> None:
        """Create the index with its analysers if it is missing (asked once per process)."""
        if self.ready:
            return
        response = self.http.request("HEAD", f"{self.url}/{self.index}", timeout=TIMEOUT_SECONDS)
        if response.status_code == 404:
            self._call("PUT", f"/{self.index}", index_settings())
        self.ready = True

    def add(self, connection: Connection | None, rows: list[IndexedRow]) -> None:
        """Index documents (their text; the index analyses it) in one bulk request."""
        lines = []
        for row in rows:
            document = {
                "title": row.title,
                "body": row.body,
                **row.codes,
                "rank_key": row.rank_key,
                "kind": row.kind,
                "language": row.language,
            }
            lines.append(json.dumps({"index": {"_index": self.index, "_id": str(row.id)}}))
            lines.append(json.dumps(document, ensure_ascii=False))
        if lines:
            self._call("POST", "/_bulk?refresh=wait_for", ndjson="\n".join(lines) + "\n")

    def remove(self, connection: Connection | None, rows: list[IndexedRow]) -> None:
        """Delete documents by id."""
        lines = [json.dumps({"delete": {"_index": self.index, "_id": str(row.id)}}) for row in rows]
        if lines:
            self._call("POST", "/_bulk?refresh=wait_for", ndjson="\n".join(lines) + "\n")

    def clear(self, connection: Connection | None) -> None:
        """Delete every document."""
        self._call("POST", f"/{self.index}/_delete_by_query?refresh=true", {"query": {"match_all": {}}})

    def finish_rebuild(self, connection: Connection | None) -> None:
        """Nothing to do: the bulk requests waited for the index's refresh."""

    def _count(self, query: Query, filters: Filters, tier: int, cap: int) -> int:
        body = {"size": 0, "track_total_hits": cap, "query": search_body(query, filters, tier)}
        return int(self._call("POST", f"/{self.index}/_search", body)["hits"]["total"]["value"])

    def _ids(self, query: Query, filters: Filters, tier: int, offset: int, limit: int) -> list[int]:
        body = {
            "from": offset,
            "size": limit,
            "_source": False,
            "track_total_hits": False,
            "sort": [{"rank_key": "desc"}],
            "query": search_body(query, filters, tier),
        }
        return [int(hit["_id"]) for hit in self._call("POST", f"/{self.index}/_search", body)["hits"]["hits"]]

    def search(
        self, connection: Connection | None, query: Query, filters: Filters, offset: int, limit: int
    ) -> Hits:
        """Title matches newest first, then body-only matches newest first."""
        return tiered_search(
            lambda tier, cap: min(self._count(query, filters, tier, cap), COUNT_CAP + 1),
            lambda tier, tier_offset, tier_limit: self._ids(query, filters, tier, tier_offset, tier_limit),
            offset,
            limit,
        )
