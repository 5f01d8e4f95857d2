"""PostgreSQL: a tsvector per document built from the tokeniser's terms, under a RUM index (or GIN).

`search_pg_index` holds each row's `rank_key`, kind and tsvector. The tsvector is
written as a literal, never parsed by a text-search configuration: titles' terms carry
weight A, bodies' D, at the positions of the term stream, and every CJK character is
also a term (at the position of the pair it starts), so one-character queries are term
lookups. Queries are tsquery literals: a chunk is the `<->` phrase of its terms, the
title tier restricts each to weight A.

With the `rum` extension (Debian: `postgresql-15-rum`) the index stores positions and
`rank_key`, and returns newest first itself (`rank_key <=| ceiling`). Without it a GIN
index and a btree on `rank_key` serve, slower for frequent characters; a warning says so.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Connection

from search.backends.base import Filters, Hits, IndexedRow, tiered_search
from search.models import RANK_KEY_CEILING
from search.tokens import Query, Term, unigrams

logger = logging.getLogger(__name__)

TABLE = "search_pg_index"
MAX_POSITION = 16383  # PostgreSQL keeps no position beyond it


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title_terms: str, body_terms: str) -> str:
    """The tsvector of a row: title terms weighted A, then body terms, at stream positions."""
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, terms in (("A", title_terms.split()), ("D", body_terms.split())):
        for group in unigrams(terms):
            position = min(position + 1, MAX_POSITION)
            label = f"{position}{weight}" if weight != "D" else str(position)
            for term in group:
                positions.setdefault(term, []).append(label)
        position = min(position + 1, MAX_POSITION)  # no phrase runs from a title into its body
    return " ".join(f"{_lexeme(term)}:{','.join(found)}" for term, found in positions.items())


def _operand(term: Term, weight: str) -> str:
    return " <-> ".join(f"{_lexeme(part)}{weight}" for part in term.sequence)


def tsquery_literals(query: Query) -> tuple[str, str]:
    """tsquery literals of the title tier and of the body-only tier."""
    full = " & ".join(f"({_operand(term, '')})" for term in query.terms)
    title = " & ".join(f"({_operand(term, ':A')})" for term in query.terms)
    return title, f"({full}) & !({title})"


class PostgreSQLBackend:
    """tsvector search on the application's PostgreSQL database."""

    name = "postgresql"

    def __init__(self) -> None:
        self.uses_rum: bool | None = None

    def _has_rum(self, connection: Connection) -> bool:
        if connection.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'rum'").first():
            return True
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS rum")
        except Exception as error:  # any refusal means: no RUM here
            logger.warning("search: the rum extension is missing (%s); using GIN, slower", error)
            return False
        return True

    def ensure_schema(self, connection: Connection) -> None:
        """Create `search_pg_index` and its index (RUM when the extension can be had, else GIN)."""
        if connection.exec_driver_sql(f"SELECT to_regclass('{TABLE}')").scalar() is not None:
            if self.uses_rum is None:
                self.uses_rum = bool(
                    connection.exec_driver_sql(
                        f"SELECT 1 FROM pg_indexes WHERE tablename = '{TABLE}' AND indexdef ILIKE '%USING rum%'"  # noqa: S608 - our own table and clauses; values are bound
                    ).first()
                )
            return
        connection.exec_driver_sql(
            f"CREATE TABLE {TABLE} (rank_key bigint PRIMARY KEY, "
            "doc_id integer NOT NULL REFERENCES search_document (id) ON DELETE CASCADE, "
            "kind varchar(20) NOT NULL, tsv tsvector NOT NULL)"
        )
        connection.exec_driver_sql(f"CREATE INDEX {TABLE}_doc ON {TABLE} (doc_id)")
        self.uses_rum = self._has_rum(connection)
        if self.uses_rum:
            connection.exec_driver_sql(
                f"CREATE INDEX {TABLE}_tsv ON {TABLE} USING rum (tsv rum_tsvector_addon_ops, rank_key) "
                "WITH (attach = 'rank_key', to = 'tsv')"
            )
        else:
            connection.exec_driver_sql(f"CREATE INDEX {TABLE}_tsv ON {TABLE} USING gin (tsv)")

    def add(self, connection: Connection, rows: list[IndexedRow]) -> None:
        """Index rows."""
        if rows:
            connection.execute(
                text(
                    f"INSERT INTO {TABLE} (rank_key, doc_id, kind, tsv) "  # noqa: S608 - our own table and clauses; values are bound
                    "VALUES (:rank_key, :id, :kind, CAST(:tsv AS tsvector))"
                ),
                [
                    {
                        "rank_key": r.rank_key,
                        "id": r.id,
                        "kind": r.kind,
                        "tsv": tsvector_literal(r.title_terms, r.body_terms),
                    }
                    for r in rows
                ],
            )

    def remove(self, connection: Connection, rows: list[IndexedRow]) -> None:
        """Take rows out of the index."""
        if rows:
            connection.execute(
                text(f"DELETE FROM {TABLE} WHERE rank_key = :rank_key"),  # noqa: S608 - our own table
                [{"rank_key": r.rank_key} for r in rows],
            )

    def clear(self, connection: Connection) -> None:
        """Empty the index."""
        connection.exec_driver_sql(f"TRUNCATE {TABLE}")

    def _where(self, filters: Filters) -> tuple[str, str, dict[str, object]]:
        conditions, params = filters.sql("d")
        low, high = filters.rank_range()
        params.update(low=low, high=high)
        where = "p.tsv @@ CAST(:match AS tsquery) AND p.rank_key BETWEEN :low AND :high"
        if filters.kind:
            where += " AND p.kind = :f_kind"
            conditions = " AND ".join(c for c in conditions.split(" AND ") if c and "d.kind" not in c)
        join = "JOIN search_document d ON d.id = p.doc_id" if conditions else ""
        return (f"{where} AND {conditions}" if conditions else where), join, params

    def _count(self, connection: Connection, match: str, filters: Filters, cap: int) -> int:
        where, join, params = self._where(filters)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} p {join} WHERE {where} LIMIT {int(cap)}) AS m"  # noqa: S608 - our own table and clauses; values are bound
        return int(connection.execute(text(sql), {**params, "match": match}).scalar_one())

    def _ids(
        self, connection: Connection, match: str, filters: Filters, offset: int, limit: int
    ) -> list[int]:
        where, join, params = self._where(filters)
        order = f"p.rank_key <=| CAST({RANK_KEY_CEILING} AS bigint)" if self.uses_rum else "p.rank_key DESC"
        sql = (
            f"SELECT p.doc_id FROM {TABLE} p {join} WHERE {where} "  # noqa: S608 - our own table and clauses; values are bound
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
        rows = connection.execute(text(sql), {**params, "match": match, "limit": limit, "offset": offset})
        return [row[0] for row in rows]

    def search(self, connection: Connection, query: Query, filters: Filters, offset: int, limit: int) -> Hits:
        """Title matches newest first, then body-only matches newest first."""
        if self.uses_rum is None:
            self.ensure_schema(connection)
        matches = tsquery_literals(query)
        return tiered_search(
            lambda tier, cap: self._count(connection, matches[tier], filters, cap),
            lambda tier, tier_offset, tier_limit: self._ids(
                connection, matches[tier], filters, tier_offset, tier_limit
            ),
            offset,
            limit,
        )
