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
        self.separator = "\n"
        self.handle.write("[")

    def write(self, cells: list[str]) -> None:
        """Append one row of cell texts as an object."""
        members = ",".join(
            key + (encode(text) if text != "" else "null")
            for key, encode, text in zip(self.keys, self.encoders, cells, strict=False)
        )
        self.handle.write(self.separator + "{" + members + "}")
        self.separator = ",\n"

    def close(self) -> None:
        """Finish the array and the file."""
        self.handle.write("\n]\n")
        self.handle.close()
