"""Running a `RowQuery` on a release's query-store table: a page, the exact total, or every row.

Pages are ordered by the requested fields (nulls last) and then by the source row
number, so every order is total and a cursor can continue exactly where a page ended
(keyset paging: a deep page costs what the first one does). Filters use the indexes the
publisher declared; `q` searches every text field for the words as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, Table, and_, bindparam, false, func, or_, select, true
from sqlalchemy.engine import Connection, Result
from sqlalchemy.sql.elements import BindParameter

from datasets.api.lru import LruMap
from datasets.api.rowquery import Fields, Filter, RowQuery
from datasets.query_store import column_key
from portal.db import contains_pattern

STATEMENTS_PER_TABLE = 32


@dataclass(frozen=True)
class ReleaseTable:
    """A release's table with what the API needs to know of its schema."""

    release_id: int
    table: Table
    fields: Fields
    cache_key: str  # names this release's contents for caches, even across databases
    # Built statements by query shape: building one costs more than running it.
    statements: LruMap[tuple[Any, ...], Select[Any]] = field(
        default_factory=lambda: LruMap(STATEMENTS_PER_TABLE), compare=False, repr=False
    )

    def column(self, name: str) -> Any:
        """The table column of field `name`."""
        return self.table.c[column_key(self.fields.names.index(name))]

    def statement(self, shape: tuple[Any, ...], build: Callable[[], Select[Any]]) -> Select[Any]:
        """The statement of `shape`, built by `build` the first time it is asked for."""
        found = self.statements.get(shape)
        if found is None:
            found = build()
            self.statements.put(shape, found)
        return found


def _stored(value: Any) -> Any:
    # The query store keeps datetimes naive, in UTC when the source said which zone.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


# Statements are built with named parameters and kept per query shape (which fields,
# operators, sort and selection, not the values); `_filter_values` and `_page_values`
# give the values under the same names. A value that changes the SQL itself (`null`'s
# yes/no, a null in a cursor key) is part of the shape.


def _filter_shape(query: RowQuery) -> tuple[Any, ...]:
    return (
        tuple(
            (item.field, item.operator, item.value if item.operator == "null" else None)
            for item in query.filters
        ),
        bool(query.q),
    )


def _filter_values(query: RowQuery) -> dict[str, Any]:
    """The bound values of the filters and `q`, under the names `where_clause` gives them."""
    values: dict[str, Any] = {}
    for position, item in enumerate(query.filters):
        if item.operator == "null":
            continue
        if item.operator == "contains":
            values[f"f{position}"] = contains_pattern(item.value)
        elif isinstance(item.value, list):
            values[f"f{position}"] = [_stored(value) for value in item.value]
        else:
            values[f"f{position}"] = _stored(item.value)
    if query.q:
        values["q"] = contains_pattern(query.q)
    return values


def _page_values(query: RowQuery, after: Sequence[Any] | None) -> dict[str, Any]:
    """The bound values of `page_statement`: the filters', the limit, and the offset or cursor key."""
    values = _filter_values(query)
    values["limit"] = query.limit + 1  # one more tells whether there is a next page
    if after is not None:
        *keys, last_row = after
        for position, value in enumerate(keys):
            if value is not None:
                values[f"k{position}"] = value
        values["k_row"] = last_row
    elif query.offset:
        values["offset"] = query.offset
    return values


def _condition(target: ReleaseTable, item: Filter, position: int) -> ColumnElement[bool]:
    column = target.column(item.field)
    if item.operator == "null":
        return column.is_(None) if item.value else column.is_not(None)
    value: BindParameter[Any] = bindparam(f"f{position}", expanding=item.operator == "in")
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
            return column.ilike(value, escape="\\")
    raise ValueError(item.operator)


def where_clause(target: ReleaseTable, query: RowQuery) -> ColumnElement[bool]:
    """The condition the filters and `q` put on rows, with the values as named parameters."""
    conditions = [_condition(target, item, position) for position, item in enumerate(query.filters)]
    if query.q:
        text_columns = [
            target.column(name) for name in target.fields.names if target.fields.types[name] == "string"
        ]
        pattern: BindParameter[str] = bindparam("q")
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


def _after(target: ReleaseTable, query: RowQuery, nulls: Sequence[bool]) -> ColumnElement[bool]:
    """Rows after the cursor's row: its sort values (`nulls` says which are null) and row number."""
    columns = [(target.column(name), descending) for name, descending in query.sort]
    alternatives = []
    equal_so_far: list[ColumnElement[bool]] = []
    for position, ((column, descending), is_null) in enumerate(zip(columns, nulls, strict=True)):
        if not is_null:  # nulls sort last: after a value come smaller/greater values, then nulls
            value: BindParameter[Any] = bindparam(f"k{position}")
            beyond = column < value if descending else column > value
            alternatives.append(and_(*equal_so_far, or_(beyond, column.is_(None))))
            equal_so_far.append(column == value)
        else:
            equal_so_far.append(column.is_(None))
    alternatives.append(and_(*equal_so_far, target.table.c["_row"] > bindparam("k_row")))
    return or_(*alternatives)


def _value_columns(target: ReleaseTable, query: RowQuery) -> list[Any]:
    names = query.fields or target.fields.names
    return [target.column(name).label(name) for name in names]


def _cursor_nulls(after: Sequence[Any] | None) -> tuple[bool, ...] | None:
    return None if after is None else tuple(value is None for value in after[:-1])


def page_statement(target: ReleaseTable, query: RowQuery, after: Sequence[Any] | None = None) -> Select[Any]:
    """The SELECT of one page: the chosen fields, then the sort values and `_row` for the next cursor.

    Its values are named parameters; `_page_values(query, after)` gives them.
    """
    nulls = _cursor_nulls(after)
    shape = ("page", _filter_shape(query), tuple(query.sort), tuple(query.fields), nulls, bool(query.offset))

    def build() -> Select[Any]:
        sort_columns = [target.column(name) for name, _descending in query.sort]
        statement = (
            select(*_value_columns(target, query), *sort_columns, target.table.c["_row"])
            .where(where_clause(target, query))
            .order_by(*_order(target, query))
            .limit(bindparam("limit", type_=Integer))
        )
        if nulls is not None:
            return statement.where(_after(target, query, nulls))
        if query.offset:
            return statement.offset(bindparam("offset", type_=Integer))
        return statement

    return target.statement(shape, build)


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
    result = connection.execute(page_statement(target, query, after), _page_values(query, after)).all()
    more = len(result) > query.limit
    result = result[: query.limit]
    next_key = list(result[-1][width:]) if more and result else None
    return Page(names, [tuple(row[:width]) for row in result], [row[-1] for row in result], next_key)


def count(connection: Connection, target: ReleaseTable, query: RowQuery) -> int:
    """The exact number of rows the filters and `q` select."""
    statement = target.statement(
        ("count", _filter_shape(query)),
        lambda: select(func.count()).select_from(target.table).where(where_clause(target, query)),
    )
    return connection.scalar(statement, _filter_values(query)) or 0


def stream_result(
    connection: Connection, target: ReleaseTable, query: RowQuery, batch: int = 2000
) -> Result[Any]:
    """Run the export query: every selected row, in order, read from a server-side cursor `batch` at a time.

    The caller owns the result and closes it (`datasets/api/streaming.py`).
    """
    statement = (
        select(*_value_columns(target, query))
        .where(where_clause(target, query))
        .order_by(*_order(target, query))
    )
    # Options on the statement, not the connection: `Connection.execution_options()` changes the
    # connection itself, and whatever it ran next (a savepoint) would go through a server cursor.
    return connection.execute(
        statement.execution_options(stream_results=True, yield_per=batch), _filter_values(query)
    )
