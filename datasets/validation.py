"""Streaming validation of rows against a table schema, with frictionless's error types.

The checks follow the Table Schema specification as `frictionless validate` applies
it: blank rows, extra and missing cells, type errors, and the constraints required,
minLength, maxLength, pattern, enum, minimum and maximum. Uniqueness and primary
keys are checked in the query store after loading (`datasets.query_store`), so that
memory never grows with the number of rows. Row numbers are a spreadsheet's: the
header is row 1. A test compares these findings with frictionless's on the same files.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from portal.i18n import _

MAX_LISTED_PROBLEMS = 1000

# ASCII digits only: int() and \d would also take full-width and other scripts' digits.
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)
_YEAR = re.compile(r"[0-9]{4}")
TRUE_VALUES = frozenset({"true", "True", "TRUE", "1"})
FALSE_VALUES = frozenset({"false", "False", "FALSE", "0"})


def _to_integer(text: str) -> int:
    if not (text.isascii() and text.isdigit()) and not _INTEGER.fullmatch(text):
        raise ValueError(text)  # int() alone would take "1_000", " 7" and full-width digits
    return int(text)


def _to_number(text: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    value = float(text)
    if math.isinf(value):
        raise ValueError(text)  # too large for a double, and for JSON
    return value


def _to_date(text: str) -> date:
    if len(text) != 10 or not text.isascii() or not _DATE.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _to_datetime(text: str) -> datetime:
    if not _DATETIME.fullmatch(text):
        raise ValueError(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _to_year(text: str) -> int:
    if not _YEAR.fullmatch(text):
        raise ValueError(text)
    return int(text)


def _to_boolean(text: str) -> bool:
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise ValueError(text)


CONVERTERS: dict[str, Callable[[str], Any] | None] = {
    "string": None,
    "integer": _to_integer,
    "number": _to_number,
    "date": _to_date,
    "datetime": _to_datetime,
    "year": _to_year,
    "boolean": _to_boolean,
}


def convert(field_type: str, text: str) -> Any:
    """The typed value of a non-empty cell; raises ValueError when it is not of the type."""
    converter = CONVERTERS[field_type]
    return text if converter is None else converter(text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where, of which kind, and the cell's text."""

    row: int
    code: str  # blank-row, extra-cell, missing-cell, type-error, constraint-error, primary-key, unique-error
    field: str | None = None
    value: str | None = None
    constraint: str | None = None

    def message(self) -> str:
        """What is wrong, in the reader's language."""
        value = (self.value or "")[:60]
        if self.code == "blank-row":
            return _("整列空白。")
        if self.code == "extra-cell":
            return _("這一列的欄位比標題列多。")
        if self.code == "missing-cell":
            return _("這一列缺少「%(field)s」欄。", field=self.field)
        if self.code == "type-error":
            return _("「%(value)s」不是「%(field)s」欄要求的格式。", value=value, field=self.field)
        if self.code in {"primary-key", "unique-error"}:
            return _("「%(field)s」的值「%(value)s」與前面的列重複。", field=self.field, value=value)
        if self.constraint == "required":
            return _("「%(field)s」欄不可空白。", field=self.field)
        return _(
            "「%(value)s」不符合「%(field)s」欄的限制（%(constraint)s）。",
            value=value,
            field=self.field,
            constraint=self.constraint,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form for storing in a job's report."""
        return {key: value for key, value in self.__dict__.items() if value is not None}


@dataclass
class Report:
    """Everything validation found, with a bounded list of examples."""

    rows_checked: int = 0
    invalid_rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Count a problem and keep it as an example while there is room."""
        self.counts[problem.code] += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(problem)

    @property
    def valid(self) -> bool:
        """Whether nothing was found."""
        return not self.counts

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary."""
        return {
            "rows_checked": self.rows_checked,
            "invalid_rows": self.invalid_rows,
            "counts": dict(self.counts),
            "problems": [problem.to_dict() for problem in self.problems],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Rebuild a stored report."""
        report = cls(rows_checked=data.get("rows_checked", 0), invalid_rows=data.get("invalid_rows", 0))
        report.counts = Counter(data.get("counts", {}))
        report.problems = [Problem(**problem) for problem in data.get("problems", [])]
        return report


@dataclass(frozen=True)
class _FieldCheck:
    name: str
    field_type: str
    converter: Callable[[str], Any] | None
    required: bool
    checks: tuple[tuple[str, Callable[[Any, str], bool]], ...]


def _constraint_checks(field_spec: dict[str, Any]) -> tuple[tuple[str, Callable[[Any, str], bool]], ...]:
    """Predicates `(typed value, text) -> ok` for each constraint of a field."""
    constraints = field_spec.get("constraints") or {}
    field_type = field_spec["type"]
    checks: list[tuple[str, Callable[[Any, str], bool]]] = []

    def bound(raw: Any) -> Any:
        return convert(field_type, str(raw)) if field_type in {"date", "datetime"} else raw

    if constraints.get("minLength") is not None:
        minimum_length = int(constraints["minLength"])
        checks.append(("minLength", lambda value, text: len(text) >= minimum_length))
    if constraints.get("maxLength") is not None:
        maximum_length = int(constraints["maxLength"])
        checks.append(("maxLength", lambda value, text: len(text) <= maximum_length))
    if constraints.get("pattern"):
        pattern = re.compile(constraints["pattern"])
        checks.append(("pattern", lambda value, text: pattern.fullmatch(text) is not None))
    if constraints.get("enum"):
        allowed = {convert(field_type, str(item)) for item in constraints["enum"]}
        checks.append(("enum", lambda value, text: value in allowed))
    if constraints.get("minimum") is not None:
        minimum = bound(constraints["minimum"])
        checks.append(("minimum", lambda value, text: value >= minimum))
    if constraints.get("maximum") is not None:
        maximum = bound(constraints["maximum"])
        checks.append(("maximum", lambda value, text: value <= maximum))
    return tuple(checks)


# The whole row at once: the cells of every column a pattern can vouch for, joined by NUL,
# must match one pattern with exactly one part per column, so that a NUL inside a cell cannot
# pass for a separator (such a row, and any the pattern refuses, is checked cell by cell).
# Eighteen digits stay within 64 bits; a number with an exponent or hundreds of digits (which
# might overflow) is left to the cell-by-cell path. Dates are checked against the calendar.
_SEPARATOR = "\x00"
_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_CALENDAR_DATE = f"(?!0000)(?:[0-9]{{4}}-{_DAY}|{_LEAP_YEAR}-02-29)"
_CELL_PATTERNS = {
    "string": "[^\x00]+",
    "integer": "[+-]?[0-9]{1,18}",
    "number": r"[+-]?(?:[0-9]{1,300}(?:\.[0-9]{0,300})?|\.[0-9]{1,300})",
    "date": _CALENDAR_DATE,
    "year": "[0-9]{4}",
    "boolean": "(?:true|True|TRUE|1|false|False|FALSE|0)",
}


def _taker(positions: list[int], width: int) -> Callable[[list[str]], Any]:
    """The cells at `positions` (the row itself when that is all of them)."""
    if positions == list(range(width)):
        return lambda cells: cells
    if len(positions) == 1:
        position = positions[0]
        return lambda cells: (cells[position],)
    return itemgetter(*positions)


class RowValidator:
    """Checks rows one at a time and turns their cells into typed values."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.fields = [
            _FieldCheck(
                name=spec["name"],
                field_type=spec["type"],
                converter=CONVERTERS[spec["type"]],
                required=bool((spec.get("constraints") or {}).get("required")),
                checks=_constraint_checks(spec),
            )
            for spec in schema["fields"]
        ]
        self.width = len(self.fields)
        # Parallel tuples: the hot loop reads no attributes.
        self._plan = tuple((spec.converter, spec.required, spec.checks) for spec in self.fields)
        self._shaped = self._row_shapes()

    def _row_shapes(self) -> tuple[Any, ...]:
        """How `valid` checks a row without converting it: one pattern for every column without
        constraints of a type a pattern describes, then the other cells one by one."""
        shaped = []
        parts = []
        one_by_one = []
        for position, spec in enumerate(self.fields):
            pattern = _CELL_PATTERNS.get(spec.field_type)
            if pattern is not None and not spec.checks:
                shaped.append(position)
                parts.append(pattern if spec.required else f"(?:{pattern})?")
            else:
                one_by_one.append((position, spec.converter, spec.required, spec.checks))
        if not shaped:
            return None, None, tuple(one_by_one)
        return _taker(shaped, self.width), re.compile(_SEPARATOR.join(parts)).fullmatch, tuple(one_by_one)

    def valid(self, row_number: int, cells: list[str], report: Report) -> bool:
        """Whether a row is valid (its problems added to `report` when not), converting no cell
        that a pattern can vouch for: what `check` accepts, and nothing else."""
        report.rows_checked += 1
        if len(cells) == self.width and any(cells) and self._shapes_fit(cells):
            return True
        return self._slow(row_number, cells, report) is not None

    def _shapes_fit(self, cells: list[str]) -> bool:
        take, whole, one_by_one = self._shaped
        if whole is not None and whole(_SEPARATOR.join(take(cells))) is None:
            return False
        for position, converter, required, checks in one_by_one:
            text = cells[position]
            if not text:
                if required:
                    return False
                continue
            try:
                value = converter(text) if converter is not None else text
            except ValueError:
                return False
            for _name, predicate in checks:
                if not predicate(value, text):
                    return False
        return True

    def check(self, row_number: int, cells: list[str], report: Report) -> list[Any] | None:
        """Typed values of a valid row; None (with problems added to `report`) otherwise."""
        report.rows_checked += 1
        if len(cells) == self.width and any(cells):
            values = self._fast(cells)
            if values is not None:
                return values
        return self._slow(row_number, cells, report)

    def _fast(self, cells: list[str]) -> list[Any] | None:
        """Typed values when every cell is fine; None as soon as one is not (the slow path reports)."""
        values: list[Any] = []
        append = values.append
        for (converter, required, checks), text in zip(self._plan, cells):  # noqa: B905 - same length
            if not text:
                if required:
                    return None
                append(None)
                continue
            if converter is None:
                value: Any = text
            else:
                try:
                    value = converter(text)
                except ValueError:
                    return None
            if checks:
                for _name, predicate in checks:
                    if not predicate(value, text):
                        return None
            append(value)
        return values

    def _slow(self, row_number: int, cells: list[str], report: Report) -> list[Any] | None:
        """Check a row that has a problem, reporting every problem it has."""
        if not cells or not any(cells):
            report.add(Problem(row_number, "blank-row"))
            report.invalid_rows += 1
            return None
        ok = True
        if len(cells) != self.width:
            ok = False
            if len(cells) > self.width:
                report.add(Problem(row_number, "extra-cell", value=cells[self.width]))
            else:
                for missing in self.fields[len(cells) :]:
                    report.add(Problem(row_number, "missing-cell", field=missing.name))
        values: list[Any] = []
        for spec, text in zip(self.fields, cells, strict=False):
            if text == "":
                if spec.required:
                    report.add(Problem(row_number, "constraint-error", spec.name, text, "required"))
                    ok = False
                values.append(None)
                continue
            value: Any = text
            if spec.converter is not None:
                try:
                    value = spec.converter(text)
                except ValueError:
                    report.add(Problem(row_number, "type-error", spec.name, text))
                    ok = False
                    values.append(None)
                    continue
            for name, predicate in spec.checks:
                if not predicate(value, text):
                    report.add(Problem(row_number, "constraint-error", spec.name, text, name))
                    ok = False
            values.append(value)
        if not ok:
            report.invalid_rows += 1
            return None
        return values
