"""The government office calendar file, as published: both encodings, make-up days, and refusals."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from feedback.cases.calendar_file import HEADER, WEEKDAYS, CalendarFileError, parse_calendar
from feedback.cases.deadlines import OfficeCalendar, due_date

NOTES = {
    date(2025, 1, 1): ("2", "開國紀念日"),
    date(2025, 2, 8): ("0", "補行上班"),
    date(2025, 2, 28): ("2", "和平紀念日"),
}


def calendar_text(year: int = 2025, drop: set[date] | None = None, extra: list[str] | None = None) -> str:
    """A calendar file for `year` in the published layout, weekends off unless NOTES says otherwise."""
    lines = [",".join(HEADER)]
    day = date(year, 1, 1)
    while day.year == year:
        if day not in (drop or set()):
            closed, note = NOTES.get(day, ("2" if day.weekday() >= 5 else "0", ""))
            lines.append(f"{day:%Y%m%d},{WEEKDAYS[day.weekday()]},{closed},{note}")
        day += timedelta(days=1)
    return "\r\n".join(lines + (extra or [])) + "\r\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp950"])
def test_both_encodings_as_published(encoding: str) -> None:
    year = parse_calendar(calendar_text().encode(encoding))
    assert year.year == 2025
    assert len(year.days) == 365
    by_day = {entry.day: entry for entry in year.days}
    assert by_day[date(2025, 1, 1)].day_off
    assert by_day[date(2025, 1, 1)].note == "開國紀念日"
    assert not by_day[date(2025, 2, 8)].day_off, "a make-up Saturday is a working day"
    assert by_day[date(2025, 2, 28)].day_off


def test_the_parsed_year_decides_deadlines() -> None:
    calendar = OfficeCalendar(parse_calendar(calendar_text().encode("cp950")).days_off)
    assert due_date(date(2025, 2, 7), 1, calendar).due == date(2025, 2, 8)
    assert due_date(date(2025, 2, 27), 1, calendar).due == date(2025, 3, 3)


def test_a_leap_year_has_366_days() -> None:
    assert len(parse_calendar(calendar_text(2024).encode()).days) == 366


def test_missing_days_are_named() -> None:
    gone = {date(2025, 3, 4), date(2025, 3, 5)}
    with pytest.raises(CalendarFileError) as raised:
        parse_calendar(calendar_text(drop=gone).encode())
    assert "2 days missing: 2025-03-04, 2025-03-05" in str(raised.value)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["20250304,二,0,"], "listed twice: 2025-03-04"),
        (["20250230,日,2,"], "is not a date"),
        (["20250304,一,0,"], "is a 星期二, not 星期一"),
        (["20250304,二,1,"], "must be 2 (day off) or 0"),
        (["20260101,四,2,開國紀念日"], "must hold one year"),
        (["20250304"], "expected 西元日期"),
    ],
)
def test_bad_rows_are_refused_with_their_line(extra: list[str], words: str) -> None:
    with pytest.raises(CalendarFileError, match=re.escape(words)):
        parse_calendar(calendar_text(extra=extra).encode())


def test_another_layout_is_refused_by_its_header() -> None:
    city = "date,name,isHoliday,holidayCategory,description\r\n2025/1/1,開國紀念日,是,放假之紀念日及節日,\r\n"
    with pytest.raises(CalendarFileError, match="header"):
        parse_calendar(city.encode())


def test_bytes_that_are_no_known_text_are_refused() -> None:
    with pytest.raises(CalendarFileError, match="UTF-8 nor Big5"):
        parse_calendar(b"\xff\xfe\x00\x81\xff" * 20)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(CalendarFileError, match="header"):
        parse_calendar(b"")
