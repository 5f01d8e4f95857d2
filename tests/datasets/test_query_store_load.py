"""Rows loaded as validated text read back as the values the validator's converters give."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from datasets import query_store
from datasets.validation import convert
from portal.db import db

SCHEMA = {
    "fields": [
        {"name": "code", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "rate", "type": "number"},
        {"name": "day", "type": "date"},
        {"name": "at", "type": "datetime"},
        {"name": "year", "type": "year"},
        {"name": "flag", "type": "boolean"},
        {"name": "masked", "type": "integer"},
    ]
}
ROWS = [
    ["007", "+5", "108.960839", "2024-02-29", "2026-11-26T10:00:00+08:00", "2026", "TRUE", "12"],
    ["", "-0", "9.53595620149098", "2026-01-05", "2026-11-26T02:00:00Z", "0999", "0", "007"],
    ["a", "007", "1e126", "", "", "", "", ""],
    ["b", "", "27321.00000559", "1900-01-01", "2026-11-26T02:00:00.5", "1900", "false", "-3"],
    ["c", "9" * 18, "-.5", "2000-12-31", "2026-11-26T10:00:00", "2000", "True", "0"],
]


def _expected(field_type: str, text: str) -> object:
    if text == "":
        return None
    value = convert(field_type, text)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


@pytest.mark.usefixtures("app_context")
def test_every_type_reads_back_as_its_converted_value() -> None:
    connection = db.session.connection()
    table = query_store.build_table("ds_rows_load_test", SCHEMA)
    query_store.create(connection, table)
    # The last field's text was written by a rule: converted strictly, not left to the database.
    conversions = query_store.text_conversions(SCHEMA, connection.dialect.name, converted=[7])
    rows = [[number, number * 7, *cells] for number, cells in enumerate(ROWS, start=2)]
    assert query_store.load_texts(connection, table, [list(row) for row in rows], conversions) == len(ROWS)
    stored = connection.execute(select(table).order_by(table.c["_row"])).all()
    for row, cells in zip(stored, ROWS, strict=True):
        expected = [
            _expected(field["type"], text) for field, text in zip(SCHEMA["fields"], cells, strict=True)
        ]
        assert list(row[2:]) == expected
        # Equal, and of the same type: 1 is not 1.0, True is not 1 once read through the table's types.
        assert [type(value) for value in row[2:]] == [type(value) for value in expected]
    query_store.drop(connection, table.name)
