"""Reading the government office calendar (中華民國政府行政機關辦公日曆表) as published.

One file per ROC year, one row for every day: `西元日期,星期,是否放假,備註`, where
西元日期 is `YYYYMMDD`, 星期 the weekday in Chinese, 是否放假 `2` for a day off and `0`
for a working day, and 備註 the holiday's name, 補假 or 補行上班. Files come in UTF-8
(with or without a byte-order mark) or Big5 (cp950); the encoding is found per file. A
file must list every day of one year exactly once, with weekdays that match the dates:
anything else is refused with every problem named, so that a calendar with a gap never
silently moves a deadline.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

HEADER = ("西元日期", "星期", "是否放假", "備註")
WEEKDAYS = "一二三四五六日"
DAY_OFF, WORKING = "2", "0"
MAX_LISTED_PROBLEMS = 20


class CalendarFileError(ValueError):
    """The file is not an office calendar this site can use; `problems` says why, line by line."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_LISTED_PROBLEMS]
        more = len(problems) - len(shown)
        super().__init__("; ".join(shown) + (f"; and {more} more" if more > 0 else ""))
        self.problems = problems


@dataclass(frozen=True)
class CalendarDay:
    """One day of the office calendar."""

    day: date
    day_off: bool
    note: str  # the holiday's name, 補假, 補行上班, or empty


@dataclass(frozen=True)
class CalendarYear:
    """Every day of one year, in order."""

    year: int
    days: tuple[CalendarDay, ...]

    @property
    def days_off(self) -> dict[date, bool]:
        """Date -> whether the office is closed, for `deadlines.OfficeCalendar`."""
        return {entry.day: entry.day_off for entry in self.days}


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a byte-order mark is dropped), else Big5 (cp950)."""
    for encoding in ("utf-8-sig", "cp950"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CalendarFileError(["the file is neither UTF-8 nor Big5 (cp950) text"])


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text))
    for line, row in enumerate(reader, start=1):
        if any(cell.strip() for cell in row):
            yield line, [cell.strip() for cell in row]


def _day(line: int, row: list[str], problems: list[str]) -> CalendarDay | None:
    if len(row) < 3:
        problems.append(f"line {line}: expected 西元日期,星期,是否放假,備註")
        return None
    text, weekday, closed = row[0], row[1], row[2]
    note = row[3] if len(row) > 3 else ""
    try:
        day = (
            date(int(text[:4]), int(text[4:6]), int(text[6:8])) if len(text) == 8 and text.isdigit() else None
        )
    except ValueError:
        day = None
    if day is None:
        problems.append(f"line {line}: {text!r} is not a date written YYYYMMDD")
        return None
    if weekday != WEEKDAYS[day.weekday()]:
        problems.append(f"line {line}: {text} is a 星期{WEEKDAYS[day.weekday()]}, not 星期{weekday}")
    if closed not in (DAY_OFF, WORKING):
        problems.append(f"line {line}: 是否放假 must be 2 (day off) or 0 (working day), not {closed!r}")
        return None
    return CalendarDay(day, closed == DAY_OFF, note)


def _whole_year(days: list[CalendarDay], problems: list[str]) -> int | None:
    years = sorted({entry.day.year for entry in days})
    if len(years) != 1:
        problems.append(f"the file must hold one year; it holds {', '.join(map(str, years)) or 'none'}")
        return None
    year = years[0]
    seen: dict[date, int] = {}
    for entry in days:
        seen[entry.day] = seen.get(entry.day, 0) + 1
    repeated = sorted(day for day, count in seen.items() if count > 1)
    if repeated:
        problems.append("listed twice: " + ", ".join(day.isoformat() for day in repeated))
    missing = []
    day = date(year, 1, 1)
    while day.year == year:
        if day not in seen:
            missing.append(day)
        day += timedelta(days=1)
    if missing:
        problems.append(f"{len(missing)} days missing: " + ", ".join(day.isoformat() for day in missing[:10]))
    return year


def parse_calendar(data: bytes) -> CalendarYear:
    """One year of the office calendar from the file's bytes; raises CalendarFileError naming every problem."""
    rows = list(_rows(decode(data)))
    header = tuple(rows[0][1]) if rows else ()
    if header[:3] != HEADER[:3]:  # 備註 may be left out of a file without notes
        raise CalendarFileError([f"the first line must be the header {','.join(HEADER)}"])
    problems: list[str] = []
    days = [entry for line, row in rows[1:] if (entry := _day(line, row, problems)) is not None]
    year = _whole_year(days, problems)
    if problems or year is None:
        raise CalendarFileError(problems)
    return CalendarYear(year, tuple(sorted(days, key=lambda entry: entry.day)))
