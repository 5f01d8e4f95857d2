"""Rows of a spreadsheet rebuilt from what its XML says, within the limits, before any repeat is expanded.

Both spreadsheet formats can say a great deal in a few bytes: ODS repeats a cell with
`table:number-columns-repeated` and a row with `table:number-rows-repeated`; XLSX numbers
its rows and cells (`<row r="1000000">`, `<c r="XFD1">`) and leaves the gaps implied. A
sheet is therefore described here as runs, `(text, count)` for the cells of a row and a
count for a row repeated, and only counted until it is known where its last non-empty cell
and row fall. A run that would put a value beyond `max_columns` or `max_rows` is refused
before anything is allocated for it. Empty cells and rows at the end are only counted,
never built, so the trailing million empty rows and thousand empty cells LibreOffice
writes are accepted at no cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from datasets.ingest.errors import IngestError
from datasets.ingest.limits import IngestLimits


def column_letters(number: int) -> str:
    """The spreadsheet name of column `number` (1 is A, 27 is AA)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def repeat_count(value: str | None) -> int:
    """A repeat or position attribute as a whole number of at least 1; a damaged file otherwise."""
    if value is None:
        return 1
    text = value.strip()
    # More digits than any limit can allow: refused before int() spends time on it.
    if not text.isdigit() or len(text) > 18:
        raise IngestError("damaged_spreadsheet")
    number = int(text)
    if number < 1:
        raise IngestError("damaged_spreadsheet")
    return number


class Grid:
    """Turns runs of cells and rows into rows of text, refusing what would break the limits.

    `row_number` is the sheet row the next `add_row` call starts at (1 for the first).
    """

    def __init__(self, limits: IngestLimits) -> None:
        self.limits = limits
        self.row_number = 1
        self._pending_empty = 0  # empty rows counted but not yet yielded

    def cells(self, runs: Iterable[tuple[str, int]]) -> list[str]:
        """The cells of one row from `(text, count)` runs, without its trailing empty cells."""
        max_columns = self.limits.max_columns
        cells: list[str] = []
        empty = 0  # empty cells after the last non-empty one, not yet built
        for text, count in runs:
            if text == "":
                empty += count
                continue
            last = len(cells) + empty + count
            if last > max_columns:
                raise IngestError("too_many_columns", count=last, limit=max_columns)
            if empty:
                cells.extend([""] * empty)
                empty = 0
            cells.extend([text] * count)
        return cells

    def skip_rows(self, count: int) -> None:
        """Count `count` empty rows (an XLSX gap between numbered rows)."""
        self._pending_empty += count
        self.row_number += count

    def add_row(self, cells: list[str], count: int = 1) -> Iterator[list[str]]:
        """The rows `cells` stands for, repeated `count` times, after the empty rows held back."""
        if not cells:
            self.skip_rows(count)
            return
        last = self.row_number + count - 1
        if last > self.limits.max_rows:
            raise IngestError("too_many_rows", count=last, limit=self.limits.max_rows)
        for _ in range(self._pending_empty):
            yield []
        self._pending_empty = 0
        self.row_number += count
        for _ in range(count):
            yield list(cells)
