"""Running a `RowQuery` on a release's query-store table: a page, the exact total, or every row.

Pages are ordered by the requested fields (nulls last) and then by the source row
number, so every order is total and a cursor can continue exactly where a page ended
(keyset paging: a deep page costs what the first one does). Filters use the indexes the
publisher declared; `q` searches every text field for the words as typed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, false, func, or_, select, true
from sqlalchemy.engine import Connection

from datasets.api.rowquery import Fields, Filter, RowQuery
from datasets.query_store import column_key
from portal.db import contains_pattern


@dataclass(frozen=True)
class ReleaseTable:
    """A release's table with what the API needs to know of its schema."""

    release_id: int
    table: Table
    fields: Fields
    cache_key: str  # names this release's contents for caches, even across databases

    def column(self, name: str) -> Any:
        """The table column of field `name`."""
        return self.table.c[column_key(self.fields.names.index(name))]


def _stored(value: Any) -> Any:
    # The query store keeps datetimes naive, in UTC when the source said which zone.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _condition(target: ReleaseTable, item: Filter) -> ColumnElement[bool]:
    column = target.column(item.field)
    value = [_stored(v) for v in item.value] if isinstance(item.value, list) else _stored(item.value)
    match item.operator:
        case "eq":
            return column == value
        case "ne":
            return column.is_distinct_from(value)
        case "in":
            return column.in_(value)
        case "gt":
            return column > value
        case "gte":
            return column >= value
        case "lt":
            return column < value
        case "lte":
            return column <= value
        case "contains":
            return column.ilike(contains_pattern(value), escape="\\")
        case "null":
            return column.is_(None) if value else column.is_not(None)
    raise ValueError(item.operator)


def where_clause(target: ReleaseTable, query: RowQuery) -> ColumnElement[bool]:
    """The condition the filters and `q` put on rows."""
    conditions = [_condition(target, item) for item in query.filters]
    if query.q:
        text_columns = [
            target.column(name) for name in target.fields.names if target.fields.types[name] == "string"
        ]
        pattern = contains_pattern(query.q)
        conditions.append(
            or_(*(column.ilike(pattern, escape="\\") for column in text_columns)) if text_columns else false()
        )
    return and_(true(), *conditions)


def _order(target: ReleaseTable, query: RowQuery) -> list[Any]:
    order = []
    for name, descending in query.sort:
        column = target.column(name)
        order.append((column.desc() if descending else column.asc()).nulls_last())
    order.append(target.table.c["_row"].asc())
    return order


def _after(target: ReleaseTable, query: RowQuery, key: Sequence[Any]) -> ColumnElement[bool]:
    """Rows that come after the row whose sort values and row number are `key`."""
    columns = [(target.column(name), descending) for name, descending in query.sort]
    *values, last_row = key
    alternatives = []
    equal_so_far: list[ColumnElement[bool]] = []
    for (column, descending), value in zip(columns, values, strict=True):
        if value is not None:  # nulls sort last: after a value come smaller/greater values, then nulls
            beyond = column < value if descending else column > value
            alternatives.append(and_(*equal_so_far, or_(beyond, column.is_(None))))
            equal_so_far.append(column == value)
        else:
            equal_so_far.append(column.is_(None))
    alternatives.append(and_(*equal_so_far, target.table.c["_row"] > last_row))
    return or_(*alternatives)


def _value_columns(target: ReleaseTable, query: RowQuery) -> list[Any]:
    names = query.fields or target.fields.names
    return [target.column(name).label(name) for name in names]


def page_statement(target: ReleaseTable, query: RowQuery, after: Sequence[Any] | None = None) -> Select[Any]:
    """The SELECT of one page: the chosen fields, then the sort values and `_row` for the next cursor."""
    sort_columns = [target.column(name) for name, _descending in query.sort]
    statement = (
        select(*_value_columns(target, query), *sort_columns, target.table.c["_row"])
        .where(where_clause(target, query))
        .order_by(*_order(target, query))
        .limit(query.limit + 1)  # one more tells whether there is a next page
    )
    if after is not None:
        statement = statement.where(_after(target, query, after))
    elif query.offset:
        statement = statement.offset(query.offset)
    return statement


@dataclass
class Page:
    """Rows of one page, and the sort key of its last row when more follow."""

    names: list[str]
    rows: list[tuple[Any, ...]]
    row_ids: list[int]  # the source row numbers
    next_key: list[Any] | None


def fetch_page(
    connection: Connection, target: ReleaseTable, query: RowQuery, after: Sequence[Any] | None
) -> Page:
    """Run the page query."""
    names = query.fields or target.fields.names
    width = len(names)
    result = connection.execute(page_statement(target, query, after)).all()
    more = len(result) > query.limit
    result = result[: query.limit]
    next_key = list(result[-1][width:]) if more and result else None
    return Page(names, [tuple(row[:width]) for row in result], [row[-1] for row in result], next_key)


def count(connection: Connection, target: ReleaseTable, query: RowQuery) -> int:
    """The exact number of rows the filters and `q` select."""
    statement = select(func.count()).select_from(target.table).where(where_clause(target, query))
    return connection.scalar(statement) or 0


def stream(
    connection: Connection, target: ReleaseTable, query: RowQuery, batch: int = 2000
) -> Iterator[Sequence[Any]]:
    """Every selected row, in order, read from a server-side cursor a batch at a time."""
    statement = (
        select(*_value_columns(target, query))
        .where(where_clause(target, query))
        .order_by(*_order(target, query))
    )
    # Options on the statement, not the connection: `Connection.execution_options()` changes the
    # connection itself, and whatever it ran next (a savepoint) would go through a server cursor.
    result = connection.execute(statement.execution_options(stream_results=True, yield_per=batch))
    try:
        for partition in result.partitions(batch):
            yield from partition
    finally:
        result.close()
