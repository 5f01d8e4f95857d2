"""Streaming exports of a row query: CSV (UTF-8 with BOM, formulas neutralised, header included) and NDJSON.

Rows come from a server-side cursor a batch at a time and leave as text chunks, so an
export of any size runs in constant memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

import orjson

from datasets.writers.tabular import neutralise_formula

CHUNK_ROWS = 1000


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return neutralise_formula(repr(value), numeric=True)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise_formula(value)
    return neutralise_formula(str(value), numeric=isinstance(value, int))


def csv_chunks(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV text of `rows` under a header of `names`, as UTF-8 chunks (the first with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(name) for name in names])
    pending = 0
    first = True
    for row in rows:
        writer.writerow([_text(value) for value in row])
        pending += 1
        if pending >= CHUNK_ROWS:
            yield (("\ufeff" if first else "") + buffer.getvalue()).encode()
            first = False
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield (("\ufeff" if first else "") + buffer.getvalue()).encode()


def json_value(value: Any) -> Any:
    """A query-store value as JSON can carry it."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def page_json(body: Any) -> bytes:
    """`body` as compact UTF-8 JSON, dates and datetimes written as `json_value` writes them.

    orjson writes a naive datetime as `isoformat()` does and turns NaN into null, and it
    serialises a page of rows several times faster than the standard library.
    """
    return orjson.dumps(body)


def ndjson_chunks(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """One JSON object a line per row, as UTF-8 chunks."""
    lines: list[bytes] = []
    for row in rows:
        lines.append(orjson.dumps(dict(zip(names, row, strict=True))))
        if len(lines) >= CHUNK_ROWS:
            yield b"\n".join(lines) + b"\n"
            lines = []
    if lines:
        yield b"\n".join(lines) + b"\n"
