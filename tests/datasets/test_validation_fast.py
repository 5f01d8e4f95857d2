"""`RowValidator.valid`, which checks a row by patterns, accepts exactly the rows `check` accepts."""

from __future__ import annotations

import random

import pytest

from datasets.validation import Report, RowValidator

YEARS = [*range(0, 12), *range(1896, 1906), *range(1996, 2006), *range(2096, 2106), *range(2396, 2406), 9999]
TRICKY = {
    "integer": ["0", "+5", "-0", "007", "1_000", " 7", "７", "9" * 18, "9" * 19, "1.0", "", "1e3", "-", "+"],
    "number": [
        "1",
        "1e5",
        "1e999",
        ".5",
        "5.",
        "+.5",
        "-.",
        "nan",
        "inf",
        "1,000",
        "9" * 301,
        "1.2.3",
        "",
        "1E-7",
    ],
    "date": [
        "2026-11-26",
        "2026-02-29",
        "2024-02-29",
        "1900-02-29",
        "2000-02-29",
        "0000-01-01",
        "2026-1-26",
        "",
    ],
    "year": ["2026", "0000", "26", "20260", "２０２６", ""],
    "boolean": ["true", "True", "TRUE", "1", "false", "FALSE", "0", "yes", "tRue", ""],
    "string": ["水壓", "", " ", "a\x00b", "=1+2", "0900282669"],
    "datetime": ["2026-11-26T10:00:00Z", "2026-11-26T10:00:00+08:00", "2026-11-26 10:00:00", ""],
}


def _agree(schema: dict, rows: list[list[str]]) -> None:
    validator = RowValidator(schema)
    for number, row in enumerate(rows, start=2):
        slow, fast = Report(), Report()
        expected = validator.check(number, row, slow) is not None
        assert validator.valid(number, row, fast) is expected, row
        assert fast.to_dict() == slow.to_dict(), row


def test_dates_are_checked_against_the_calendar() -> None:
    schema = {"fields": [{"name": "day", "type": "date"}]}
    rows = [
        [f"{year:04d}-{month:02d}-{day:02d}"]
        for year in YEARS
        for month in range(0, 14)
        for day in range(0, 33)
    ]
    _agree(schema, rows)


@pytest.mark.parametrize("required", [False, True])
def test_every_type_accepts_and_refuses_what_the_converters_do(required: bool) -> None:
    constraints = {"required": True} if required else {}
    schema = {
        "fields": [{"name": kind, "type": kind, "constraints": constraints} for kind in TRICKY]
        + [{"name": "limited", "type": "integer", "constraints": {"minimum": 3, "maximum": 9}}]
    }
    generator = random.Random(3)
    rows = [
        [generator.choice(TRICKY[kind]) for kind in TRICKY] + [generator.choice(["", "2", "5", "10", "x"])]
        for _ in range(5000)
    ]
    rows += [[], [""] * (len(TRICKY) + 1), ["1"] * 3, ["1"] * (len(TRICKY) + 2)]
    _agree(schema, rows)


def test_a_nul_inside_a_cell_cannot_pass_for_a_separator() -> None:
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}
    validator = RowValidator(schema)
    report = Report()
    assert validator.valid(2, ["1\x002", "3"], report) is False
    assert report.counts["type-error"] == 1
