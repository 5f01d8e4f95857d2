"""CSV and JSON files of a release, written row by row, and the one rule for formulas in cells.

The CSV is UTF-8 with a byte-order mark, so that spreadsheet programs in Taiwan open
it in the right encoding. Every cell the site writes into a CSV or spreadsheet file, the
header included, goes through `neutralise_formula()`: a text that a spreadsheet would
run as a formula (starting with =, +, -, @, tab or carriage return) gets a leading
apostrophe, which spreadsheet programs show and never evaluate. A number in a numeric
column stays as it is, so `-5` is still a number. The JSON is an array of objects with
typed values: numbers as numbers, dates as ISO 8601 strings, empty cells as null; it is
read by programs, not spreadsheets, and keeps every text as it was.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_TYPES = frozenset({"integer", "number", "year"})
_FORMULA_START = frozenset(FORMULA_STARTS)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# Some cell of a row joined with NUL, and with NUL before it, starts with a formula character
# (a NUL inside a cell can only cause a needless check of each cell).
_ROW_FORMULA = re.compile("\x00[=+\\-@\t\r]")
# JSON string encoding without escaping non-ASCII text (the C implementation when available).
encode_string: Callable[[str], str] = json.encoder.c_encode_basestring or json.encoder.py_encode_basestring  # type: ignore[attr-defined]


def neutralise_formula(text: str, *, numeric: bool = False) -> str:
    """`text` made safe to open in a spreadsheet; `numeric`: a cell of a numeric column.

    The one place that decides: every CSV, ODS and catalogue writer calls it for every
    cell and header, so a neutralised value looks the same in every file.
    """
    if text[:1] not in _FORMULA_START or (numeric and _NUMBER.fullmatch(text)):
        return text
    return "'" + text


class RowNeutraliser:
    """Applies `neutralise_formula` to every cell of a row, knowing which columns are numeric."""

    def __init__(self, numeric: Sequence[bool]) -> None:
        self.numeric = list(numeric)

    @classmethod
    def for_schema(cls, schema: dict[str, Any]) -> RowNeutraliser:
        """A neutraliser for rows of `schema`'s fields."""
        return cls([field["type"] in NUMERIC_TYPES for field in schema["fields"]])

    def __call__(self, cells: Sequence[str]) -> list[str]:
        """The row's cells, neutralised (the same list when none needs it)."""
        if _ROW_FORMULA.search("\x00" + "\x00".join(cells)) is None:
            return cells if isinstance(cells, list) else list(cells)
        flags = self.numeric + [False] * (len(cells) - len(self.numeric))
        return [neutralise_formula(text, numeric=flag) for text, flag in zip(cells, flags, strict=False)]


class CsvWriter:
    """Writes a release's CSV file."""

    def __init__(self, path: Path, schema: dict[str, Any]) -> None:
        # The byte-order mark written by hand: the utf-8-sig codec encodes in Python, UTF-8 in C.
        self.handle: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.handle.write("\ufeff")
        self.writer = csv.writer(self.handle, lineterminator="\r\n")
        self.neutralise = RowNeutraliser.for_schema(schema)
        self.writer.writerow([neutralise_formula(field["name"]) for field in schema["fields"]])

    def write(self, cells: list[str]) -> None:
        """Append one row of cell texts (the list is not changed)."""
        self.writer.writerow(self.neutralise(cells))

    def close(self) -> None:
        """Finish the file."""
        self.handle.close()


def _json_encoder(field_type: str) -> Callable[[str], str]:
    """How a validated cell's text becomes a JSON value."""
    if field_type in {"integer", "year"}:
        return lambda text: str(int(text))  # drops a leading + or zeros JSON does not allow
    if field_type == "number":
        return lambda text: repr(float(text))
    if field_type == "boolean":
        return lambda text: "true" if text in {"true", "True", "TRUE", "1"} else "false"
    return encode_string


class JsonWriter:
    """Writes a release's JSON file: `[{"field": value, ...}, ...]`, one object a line."""

    def __init__(self, path: Path, schema: dict[str, Any]) -> None:
        self.handle: IO[str] = path.open("w", encoding="utf-8")
        self.keys = [encode_string(field["name"]) + ":" for field in schema["fields"]]
        self.encoders = [_json_encoder(field["type"]) for field in schema["fields"]]
        self.width = len(self.keys)
        # The object's text around its values, so that a row is one join: '{"a":', ',"b":', '}'.
        self.slots: list[str] = [""] * (2 * self.width + 1)
        self.slots[0::2] = (
            ["{" + self.keys[0], *("," + key for key in self.keys[1:]), "}"] if self.keys else ["{}"]
        )
        self.separator = "\n"
        self.handle.write("[")

    def write(self, cells: list[str]) -> None:
        """Append one row of cell texts as an object."""
        if len(cells) != self.width:
            cells = (list(cells) + [""] * self.width)[: self.width]
        self.slots[1::2] = [
            encode(text) if text != "" else "null" for encode, text in zip(self.encoders, cells, strict=True)
        ]
        self.handle.write(self.separator + "".join(self.slots))
        self.separator = ",\n"

    def close(self) -> None:
        """Finish the array and the file."""
        self.handle.write("\n]\n")
        self.handle.close()
