"""The query store: each release's rows in a typed, indexed table the data API reads.

A release's table is named after the publish job that built it (`ds_rows_<job>`), has
the source row number `_row` as primary key, a 64-bit hash of the row `_hash` (to tell
what changed since the previous release), and one column per field, `c0`, `c1`, ...
in schema order, so that any field name is safe. Rows are loaded through the
session's own connection (COPY on PostgreSQL, batched inserts on SQLite) and stay
invisible until a release points at the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
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


def _adapters(table: Table, dialect: str) -> list[tuple[int, Any]]:
    """Positions of the values a driver cannot take as they are, and what to do with them."""
    adapters = []
    for position, column in enumerate(table.columns):
        if isinstance(column.type, DateTime):
            adapters.append((position, _sqlite_datetime if dialect == "sqlite" else _postgres_datetime))
        elif isinstance(column.type, Date) and dialect == "sqlite":
            adapters.append((position, date.isoformat))
        elif isinstance(column.type, Boolean) and dialect == "sqlite":
            adapters.append((position, int))
    return adapters


def _adapted(rows: Iterable[Sequence[Any]], adapters: list[tuple[int, Any]]) -> Iterator[Sequence[Any]]:
    if not adapters:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for position, adapt in adapters:
            if values[position] is not None:
                values[position] = adapt(values[position])
        yield values


def load(connection: Connection, table: Table, rows: Iterable[Sequence[Any]]) -> int:
    """Append `rows` (`_row`, `_hash`, then the field values) to the table; returns how many."""
    raw = connection.connection.dbapi_connection
    dialect = connection.dialect.name
    names = [column.name for column in table.columns]
    prepared = _adapted(rows, _adapters(table, dialect))
    count = 0
    cursor = raw.cursor()  # type: ignore[union-attr]
    if dialect == "postgresql":
        quoted = ", ".join(f'"{name}"' for name in names)
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in prepared:
                copy.write_row(row)
                count += 1
        return count
    statement = f'INSERT INTO "{table.name}" VALUES ({", ".join("?" for _ in names)})'  # noqa: S608 - our own table name
    batch = list(prepared)
    cursor.executemany(statement, batch)
    cursor.close()
    return len(batch)


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


def count_duplicates(connection: Connection, table: Table, key_columns: list[Column[Any]]) -> int:
    """How many rows repeat an earlier row's key."""
    earlier = table.alias("earlier")
    condition = and_(
        *[earlier.c[column.name] == column for column in key_columns], earlier.c["_row"] < table.c["_row"]
    )
    return (
        connection.scalar(
            select(func.count()).select_from(table).where(exists(select(earlier.c["_row"]).where(condition)))
        )
        or 0
    )


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
