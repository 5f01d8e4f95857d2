"""Validation: every type and constraint, and the same findings as `frictionless validate`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from frictionless import Resource, Schema

from datasets.validation import Problem, Report, RowValidator, convert
from tests.datasets.conftest import write_csv


def check(schema: dict[str, Any], cells: list[str]) -> tuple[list[Any] | None, list[Problem]]:
    report = Report()
    values = RowValidator(schema).check(2, cells, report)
    return values, report.problems


def one_field(field_type: str, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": "value", "type": field_type}
    if constraints:
        field["constraints"] = constraints
    return {"fields": [field]}


@pytest.mark.parametrize(
    ("field_type", "text", "expected"),
    [
        ("integer", "42", 42),
        ("integer", "-7", -7),
        ("integer", "007", 7),
        ("number", "3.14", 3.14),
        ("number", "-1e3", -1000.0),
        ("number", ".5", 0.5),
        ("date", "2026-02-28", __import__("datetime").date(2026, 2, 28)),
        ("year", "2026", 2026),
        ("boolean", "TRUE", True),
        ("boolean", "0", False),
        ("string", "0912345678", "0912345678"),
    ],
)
def test_values_convert(field_type: str, text: str, expected: Any) -> None:
    assert convert(field_type, text) == expected
    values, problems = check(one_field(field_type), [text])
    assert problems == []
    assert values == [expected]


@pytest.mark.parametrize(
    ("field_type", "text"),
    [
        ("integer", "4.2"),
        ("integer", "1_000"),
        ("integer", " 7"),
        ("integer", "１２"),
        ("integer", "1,000"),
        ("number", "abc"),
        ("number", "1e999"),
        ("number", "nan"),
        ("number", "1,5"),
        ("date", "2026-02-30"),
        ("date", "20260228"),
        ("date", "2026/02/28"),
        ("date", "115-02-28"),
        ("datetime", "2026-02-28 10:00"),
        ("year", "26"),
        ("boolean", "yes"),
    ],
)
def test_type_errors(field_type: str, text: str) -> None:
    values, problems = check(one_field(field_type), [text])
    assert values is None
    assert [(problem.code, problem.value) for problem in problems] == [("type-error", text)]


@pytest.mark.parametrize(
    ("field_type", "constraints", "text", "constraint"),
    [
        ("string", {"required": True}, "", "required"),
        ("string", {"minLength": 3}, "ab", "minLength"),
        ("string", {"maxLength": 3}, "abcd", "maxLength"),
        ("string", {"pattern": r"\d{3}"}, "12a", "pattern"),
        ("string", {"enum": ["甲", "乙"]}, "丙", "enum"),
        ("integer", {"minimum": 0}, "-1", "minimum"),
        ("number", {"maximum": 14}, "14.5", "maximum"),
        ("date", {"minimum": "2026-01-01"}, "2025-12-31", "minimum"),
    ],
)
def test_constraint_errors(field_type: str, constraints: dict[str, Any], text: str, constraint: str) -> None:
    schema = one_field(field_type, **constraints)
    schema["fields"].append({"name": "other", "type": "string"})  # so that the row is not blank
    values, problems = check(schema, [text, "x"])
    assert values is None
    assert [(problem.code, problem.constraint) for problem in problems] == [("constraint-error", constraint)]


def test_row_shape_problems() -> None:
    schema = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string"}]}
    assert [p.code for p in check(schema, [])[1]] == ["blank-row"]
    assert [p.code for p in check(schema, ["", ""])[1]] == ["blank-row"]
    assert [p.code for p in check(schema, ["1", "2", "3"])[1]] == ["extra-cell"]
    assert [(p.code, p.field) for p in check(schema, ["1"])[1]] == [("missing-cell", "b")]


def test_report_keeps_counting_beyond_its_examples() -> None:
    report = Report()
    validator = RowValidator(one_field("integer"))
    for number in range(1500):
        validator.check(number + 2, ["x"], report)
    assert report.counts["type-error"] == 1500
    assert report.invalid_rows == 1500
    assert len(report.problems) == 1000
    assert Report.from_dict(report.to_dict()).counts == report.counts


SCHEMA = {
    "fields": [
        {"name": "code", "type": "string", "constraints": {"required": True, "pattern": "[A-Z]\\d{3}"}},
        {"name": "count", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "rate", "type": "number", "constraints": {"maximum": 1}},
        {"name": "day", "type": "date"},
        {"name": "kind", "type": "string", "constraints": {"enum": ["甲", "乙"]}},
        {"name": "ok", "type": "boolean"},
    ]
}
BAD_ROWS = [
    ["A001", "1", "0.5", "2026-01-01", "甲", "true"],
    ["", "2", "0.1", "2026-01-02", "乙", "false"],
    ["A003", "x", "0.1", "2026-01-03", "甲", "true"],
    ["A004", "-5", "2", "2026-01-04", "丙", "true"],
    ["a005", "5", "0.3", "2026-13-01", "乙", "maybe"],
    ["A006", "6", "0.3"],
    ["A007", "7", "0.3", "2026-01-07", "甲", "true", "extra"],
    ["", "", "", "", "", ""],
    ["A009", "9", "0.9", "2026-01-09", "乙", "1"],
]


def frictionless_findings(path: Path) -> set[tuple[int, str, str | None]]:
    resource = Resource(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor(SCHEMA))
    report = resource.validate(limit_errors=10_000)
    findings = set()
    for error in report.flatten(["rowNumber", "fieldName", "type"]):
        row, field, kind = error
        findings.add((row, field if kind not in {"blank-row", "extra-cell"} else None, kind))
    return findings


def our_findings(path: Path) -> set[tuple[int, str | None, str]]:
    import csv

    report = Report()
    validator = RowValidator(SCHEMA)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for number, cells in enumerate(reader, start=2):
            validator.check(number, cells, report)
    return {
        (
            problem.row,
            problem.field if problem.code not in {"blank-row", "extra-cell"} else None,
            problem.code,
        )
        for problem in report.problems
    }


def test_same_findings_as_frictionless(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [field["name"] for field in SCHEMA["fields"]], BAD_ROWS)
    theirs = frictionless_findings(path)
    ours = our_findings(path)
    assert len(ours) >= 10
    assert ours == theirs
