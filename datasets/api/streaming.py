"""Rows for an export whose body is sent after its request has ended.

The WSGI server reads a streamed response after the request's teardown has closed
`db.session`, so an export cannot read through it. `open_rows` enters `db.snapshot()`
(a connection of its own, a read-only transaction on one snapshot, a server-side cursor
on PostgreSQL), runs the query at once so that a failure still reaches the view's error
handling, and hands back a generator that owns the connection: it is returned to the
pool after the last row, or as soon as the generator is closed, which the WSGI server
does when the client goes away mid-stream.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.engine import Connection

from datasets.api import rowsql
from datasets.api.rowquery import RowQuery
from datasets.api.rowsql import ReleaseTable

BATCH_ROWS = 2000

RowStream = Generator[Sequence[Any], None, None]


def _owned_rows(
    snapshot: AbstractContextManager[Connection],
    target: ReleaseTable,
    query: RowQuery,
    batch: int,
    read_ahead: bool,
) -> Generator[Sequence[Any] | None, None, None]:
    with snapshot as connection:
        result = rowsql.stream_result(connection, target, query, batch)
        if read_ahead:
            result = result.freeze()()  # every row now, before the request's teardown
        try:
            yield None  # the query has run; `open_rows` stops here
            for partition in result.partitions(batch):
                yield from partition
        finally:
            result.close()


def open_rows(
    snapshot: AbstractContextManager[Connection],
    target: ReleaseTable,
    query: RowQuery,
    batch: int | None = None,
    read_ahead: bool = False,
) -> RowStream:
    """Every row `query` selects from `target`, read through `snapshot` (see the module's notes).

    Close the generator when the response is done with it (`Response.call_on_close`): that
    releases the connection even if the body was never read to the end. `read_ahead` reads
    every row at once, for a connection whose transaction ends with the request
    (`db.in_test_transaction`).
    """
    rows = _owned_rows(snapshot, target, query, batch or BATCH_ROWS, read_ahead)
    next(rows)  # opens the connection and runs the query here, inside the request
    return rows  # type: ignore[return-value]  # every later item is a row
