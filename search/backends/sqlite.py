"""SQLite FTS5: a contentless table over the tokeniser's terms, with a prefix index for one character.

`search_fts(title, body)` holds each row's terms under its `rank_key` as rowid, so the
index itself returns newest first (`ORDER BY rowid DESC`) and a date range is a rowid
range. A one-character query is the prefix query `"水"*`, answered by `prefix='1'`; a
longer chunk is the phrase of its terms. The `unicode61` tokenizer only splits the
stored terms at spaces (they hold letters and digits only). Filters join
`search_document` with CROSS JOIN, which keeps the FTS table as the outer loop: the
other way round, SQLite would evaluate the MATCH once per document of the kind. The
unary `+` in the join keeps SQLite from copying the rowid range onto `rank_key`, which
turned each document's lookup into a range scan (40 ms instead of 0.6 on 2,000). A contentless table cannot
give its text back, so a row is deleted with the terms it was indexed with, which
`search_document` keeps.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from search.backends.base import Filters, Hits, IndexedRow, tiered_search
from search.tokens import Query, Term

TABLE = "search_fts"
CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, body, content='', prefix='1', columnsize=0, "
    "tokenize='unicode61 remove_diacritics 0')"
)


def _phrase(term: Term) -> str:
    quoted = '"' + " ".join(term.sequence).replace('"', '""') + '"'
    return quoted + "*" if term.single else quoted


def match_expressions(query: Query) -> tuple[str, str]:
    """FTS5 MATCH expressions of the title tier and of the body-only tier."""
    full = " AND ".join(_phrase(term) for term in query.terms)
    title = f"{{title}} : ({full})"
    return title, f"({full}) NOT {title}"


class SQLiteBackend:
    """FTS5 on the application's SQLite database."""

    name = "sqlite-fts5"

    def ensure_schema(self, connection: Connection) -> None:
        """Create `search_fts` if it is missing."""
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
        ).first()
        if exists is None:
            connection.exec_driver_sql(CREATE)

    def add(self, connection: Connection, rows: list[IndexedRow]) -> None:
        """Index rows under their rank keys."""
        if rows:
            connection.execute(
                text(
                    f"INSERT INTO {TABLE}(rowid, title, body) VALUES (:rank_key, :title_terms, :body_terms)"  # noqa: S608 - our own table
                ),
                [
                    {"rank_key": r.rank_key, "title_terms": r.title_terms, "body_terms": r.body_terms}
                    for r in rows
                ],
            )

    def remove(self, connection: Connection, rows: list[IndexedRow]) -> None:
        """Delete rows with the terms they were indexed with (a contentless table needs them)."""
        if rows:
            connection.execute(
                text(
                    f"INSERT INTO {TABLE}({TABLE}, rowid, title, body) "  # noqa: S608 - our own table and clauses; values are bound
                    "VALUES ('delete', :rank_key, :title_terms, :body_terms)"
                ),
                [
                    {"rank_key": r.rank_key, "title_terms": r.title_terms, "body_terms": r.body_terms}
                    for r in rows
                ],
            )

    def clear(self, connection: Connection) -> None:
        """Empty the index."""
        connection.exec_driver_sql(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")  # noqa: S608 - our own table and clauses; values are bound

    def finish_rebuild(self, connection: Connection) -> None:
        """Merge the index's segments after a rebuild (FTS5 `optimize`)."""
        connection.exec_driver_sql(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")  # noqa: S608 - our own table

    def _where(self, filters: Filters) -> tuple[str, dict[str, object]]:
        conditions, params = filters.sql("d")
        low, high = filters.rank_range()
        params.update(low=low, high=high)
        where = f"{TABLE} MATCH :match AND {TABLE}.rowid BETWEEN :low AND :high"
        return (f"{where} AND {conditions}" if conditions else where), params

    def _count(self, connection: Connection, match: str, filters: Filters, cap: int) -> int:
        where, params = self._where(filters)
        join = "" if not filters.sql()[0] else f"CROSS JOIN search_document d ON d.rank_key = +{TABLE}.rowid"
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} {join} WHERE {where} LIMIT {int(cap)})"  # noqa: S608 - our own table and clauses; values are bound
        return int(connection.execute(text(sql), {**params, "match": match}).scalar_one())

    def _ids(
        self, connection: Connection, match: str, filters: Filters, offset: int, limit: int
    ) -> list[int]:
        where, params = self._where(filters)
        sql = (
            f"SELECT d.id FROM {TABLE} CROSS JOIN search_document d ON d.rank_key = +{TABLE}.rowid "  # noqa: S608 - our own table and clauses; values are bound
            f"WHERE {where} ORDER BY {TABLE}.rowid DESC LIMIT :limit OFFSET :offset"
        )
        rows = connection.execute(text(sql), {**params, "match": match, "limit": limit, "offset": offset})
        return [row[0] for row in rows]

    def search(self, connection: Connection, query: Query, filters: Filters, offset: int, limit: int) -> Hits:
        """Title matches newest first, then body-only matches newest first."""
        matches = match_expressions(query)
        return tiered_search(
            lambda tier, cap: self._count(connection, matches[tier], filters, cap),
            lambda tier, tier_offset, tier_limit: self._ids(
                connection, matches[tier], filters, tier_offset, tier_limit
            ),
            offset,
            limit,
        )
