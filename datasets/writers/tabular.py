"""CSV and JSON files of a release, written row by row.

The CSV is UTF-8 with a byte-order mark, so that spreadsheet programs in Taiwan open
it in the right encoding, and any text cell that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe.
The JSON is an array of objects with typed values: numbers as numbers, dates as ISO
8601 strings, empty cells as null.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# JSON string encoding without escaping non-ASCII text (the C implementation when available).
encode_string: Callable[[str], str] = json.encoder.c_encode_basestring or json.encoder.py_encode_basestring  # type: ignore[attr-defined]


def neutralise_formula(text: str) -> str:
    """`text` made safe to open in a spreadsheet."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CsvWriter:
    """Writes a release's CSV file."""

    def __init__(self, path: Path, schema: dict[str, Any]) -> None:
        self.handle: IO[str] = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\r\n")
        self.text_positions = [i for i, field in enumerate(schema["fields"]) if field["type"] == "string"]
        self.writer.writerow([field["name"] for field in schema["fields"]])

    def write(self, cells: list[str]) -> None:
        """Append one row of cell texts (the list is not changed)."""
        for position in self.text_positions:
            text = cells[position]
            if text and text[0] in "=+-@\t\r":
                cells = list(cells)
                for later in self.text_positions:
                    cells[later] = neutralise_formula(cells[later])
                break
        self.writer.writerow(cells)

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
