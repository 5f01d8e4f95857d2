"""The query store: each release's rows in a typed, indexed table the data API reads.

A release's table is named after the publish job that built it (`ds_rows_<job>`), has
the source row number `_row` as primary key, a 64-bit hash of the row `_hash` (to tell
what changed since the previous release), and one column per field, `c0`, `c1`, ...
in schema order, so that any field name is safe. Rows are loaded through the
session's own connection (COPY on PostgreSQL, batched inserts on SQLite) and stay
invisible until a release points at the table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    and_,
    exists,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Connection

SQL_TYPES: dict[str, Any] = {
    "string": Text,
    "integer": BigInteger,
    "number": lambda: Float(precision=53),
    "date": Date,
    "datetime": DateTime,
    "year": Integer,
    "boolean": Boolean,
}


def table_name_for_job(job_id: int) -> str:
    """The query-store table a publish job fills."""
    return f"ds_rows_{int(job_id)}"


def column_key(position: int) -> str:
    """The column that holds the field at `position`."""
    return f"c{position}"


ROW_NUMBER = BigInteger().with_variant(Integer(), "sqlite")


def build_table(name: str, schema: dict[str, Any]) -> Table:
    """The SQLAlchemy table for a release with `schema` (not created)."""
    metadata = MetaData()
    columns = [
        # On SQLite an INTEGER primary key is the rowid, which every index ends with: an
        # equality filter on an indexed field then reads rows already in `_row` order.
        Column("_row", ROW_NUMBER, primary_key=True, autoincrement=False),
        Column("_hash", BigInteger, nullable=False),
    ]
    for position, field in enumerate(schema["fields"]):
        columns.append(Column(column_key(position), SQL_TYPES[field["type"]](), nullable=True))
    return Table(name, metadata, *columns)


def create(connection: Connection, table: Table) -> None:
    """Create the table (dropping a leftover of the same name)."""
    table.drop(connection, checkfirst=True)
    table.create(connection)


def drop(connection: Connection, name: str) -> None:
    """Remove a release's table, if it exists."""
    if inspect(connection).has_table(name):
        Table(name, MetaData()).drop(connection)


def _sqlite_datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    # SQLAlchemy's own text form, so that bound parameters compare equal to stored values.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _postgres_datetime(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


# A date a rule wrote reaches sqlite3 as a date object: stored as its ISO text, as SQLAlchemy's
# Date stores it (registered here rather than relying on sqlite3's deprecated default).
sqlite3.register_adapter(date, date.isoformat)


def text_conversions(
    schema: dict[str, Any], dialect: str, converted: Iterable[int] = ()
) -> list[tuple[int, Any]]:
    """What `load_texts` does to a validated cell's text before the driver takes it, by position
    in the table's row (`_row` and `_hash` first): nothing where the database reads the text as
    Python would. SQLite's integer and date text is exact, its decimals are not always the
    nearest double (so numbers are converted here); PostgreSQL parses every type but date-times
    exactly. `converted`: field positions whose text a rule wrote, converted strictly to their type.
    """
    from datasets.validation import TRUE_VALUES, convert

    sqlite = dialect == "sqlite"
    strict = set(converted)
    conversions: list[tuple[int, Any]] = []
    for field, spec in enumerate(schema["fields"]):
        kind = spec["type"]
        if kind == "datetime":
            to_store = _sqlite_datetime if sqlite else _postgres_datetime
            conversions.append(
                (field + 2, lambda text, to_store=to_store: to_store(convert("datetime", text)))
            )
        elif field in strict and kind != "string":
            conversions.append((field + 2, partial(convert, kind)))
        elif sqlite and kind == "number":
            conversions.append((field + 2, float))
        elif sqlite and kind == "boolean":
            conversions.append((field + 2, TRUE_VALUES.__contains__))
    return conversions


def load_texts(
    connection: Connection, table: Table, rows: list[list[Any]], conversions: list[tuple[int, Any]]
) -> int:
    """Append rows of `_row`, `_hash` and the cells' text, each valid for its field's type (empty
    cells stored as NULL); `conversions` from `text_conversions`. The lists are changed in place."""
    for row in rows:
        for position, to_store in conversions:
            text = row[position]
            row[position] = to_store(text) if text else None
    raw = connection.connection.dbapi_connection
    names = [column.name for column in table.columns]
    cursor = raw.cursor()  # type: ignore[union-attr]
    if connection.dialect.name == "postgresql":
        quoted = ", ".join(f'"{name}"' for name in names)
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([None if value == "" else value for value in row])
        return len(rows)
    # NULLIF in SQL: the empty cells become NULL without a Python step per cell.
    values = ", ".join(["?", "?", *["NULLIF(?, '')"] * (len(names) - 2)])
    cursor.executemany(f'INSERT INTO "{table.name}" VALUES ({values})', rows)  # noqa: S608 - our own table name
    cursor.close()
    return len(rows)


def create_indexes(connection: Connection, table: Table, schema: dict[str, Any]) -> list[str]:
    """Index `_hash` and every field marked `index`; returns the indexed field names."""
    Index(f"ix_{table.name}_hash", table.c["_hash"]).create(connection)
    indexed = []
    # Pages are ordered by `_row` last, so an index ending with it serves "field = value,
    # first 50 rows" without sorting every match (SQLite's indexes end with it already).
    tail = [] if connection.dialect.name == "sqlite" else [table.c["_row"]]
    for position, field in enumerate(schema["fields"]):
        if field.get("index"):
            column = table.c[column_key(position)]
            Index(f"ix_{table.name}_{column_key(position)}", column, *tail).create(connection)
            indexed.append(field["name"])
    key_columns = primary_key_columns(table, schema)
    if len(key_columns) > 1 or (
        key_columns and not schema["fields"][_position(schema, schema["primaryKey"][0])].get("index")
    ):
        Index(f"ix_{table.name}_pk", *key_columns).create(connection)
    return indexed


def _position(schema: dict[str, Any], name: str) -> int:
    return [field["name"] for field in schema["fields"]].index(name)


def primary_key_columns(table: Table, schema: dict[str, Any]) -> list[Column[Any]]:
    """The table columns of the schema's primary key (empty when it has none)."""
    return [table.c[column_key(_position(schema, name))] for name in schema.get("primaryKey") or []]


def duplicate_rows(
    connection: Connection, table: Table, key_columns: list[Column[Any]], limit: int
) -> list[tuple[int, tuple[Any, ...]]]:
    """Rows whose key repeats an earlier row's: `(row, key values)`, at most `limit`."""
    earlier = table.alias("earlier")
    condition = and_(
        *[earlier.c[column.name] == column for column in key_columns], earlier.c["_row"] < table.c["_row"]
    )
    query = (
        select(table.c["_row"], *key_columns)
        .where(exists(select(earlier.c["_row"]).where(condition)))
        .order_by(table.c["_row"])
        .limit(limit)
    )
    return [(row[0], tuple(row[1:])) for row in connection.execute(query)]


def small_groups(
    connection: Connection, table: Table, columns: list[Column[Any]], k: int
) -> tuple[list[int], int | None]:
    """Rows whose combination of `columns` is shared by fewer than `k` rows, and the smallest
    group left once they go (None when none is left)."""
    grouped = select(*columns, func.count().label("size")).group_by(*columns).subquery()
    same = and_(*[column.is_not_distinct_from(grouped.c[column.name]) for column in columns])
    rows = [
        row
        for (row,) in connection.execute(
            select(table.c["_row"])
            .select_from(table.join(grouped, same))
            .where(grouped.c["size"] < k)
            .order_by(table.c["_row"])
        )
    ]
    achieved = connection.scalar(select(func.min(grouped.c["size"])).where(grouped.c["size"] >= k))
    return rows, achieved


def delete_rows(connection: Connection, table: Table, rows: Iterable[int]) -> None:
    """Delete rows by their row number."""
    batch = list(rows)
    for start in range(0, len(batch), 500):
        connection.execute(table.delete().where(table.c["_row"].in_(batch[start : start + 500])))


def row_count(connection: Connection, table: Table) -> int:
    """Rows in the table."""
    return connection.scalar(select(func.count()).select_from(table)) or 0


def compare(
    connection: Connection, new: Table, old: Table, new_key: list[Column[Any]], old_key: list[Column[Any]]
) -> tuple[int, int, int | None]:
    """Rows added, removed and changed from `old` to `new`.

    With a primary key, a row whose key stays but whose values differ is changed. Without
    one, rows are compared whole and `changed` is None (unknowable).
    """
    if new_key and len(new_key) == len(old_key):
        same_key_new = and_(*[old_c == new_c for old_c, new_c in zip(old_key, new_key, strict=True)])
        added = connection.scalar(
            select(func.count()).select_from(new).where(~exists(select(old.c["_row"]).where(same_key_new)))
        )
        removed = connection.scalar(
            select(func.count()).select_from(old).where(~exists(select(new.c["_row"]).where(same_key_new)))
        )
        changed = connection.scalar(
            select(func.count())
            .select_from(new.join(old, same_key_new))
            .where(new.c["_hash"] != old.c["_hash"])
        )
        return added or 0, removed or 0, changed or 0
    added = connection.scalar(
        select(func.count())
        .select_from(new)
        .where(~exists(select(old.c["_row"]).where(old.c["_hash"] == new.c["_hash"])))
    )
    removed = connection.scalar(
        select(func.count())
        .select_from(old)
        .where(~exists(select(new.c["_row"]).where(new.c["_hash"] == old.c["_hash"])))
    )
    return added or 0, removed or 0, None


def preview(connection: Connection, table: Table, limit: int = 20) -> list[list[Any]]:
    """The first rows, as lists of field values."""
    value_columns = [column for column in table.columns if column.name.startswith("c")]
    query = select(*value_columns).order_by(table.c["_row"]).limit(limit)
    return [list(row) for row in connection.execute(query)]
