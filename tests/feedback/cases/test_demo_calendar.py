"""The demonstration calendar: written as the published file is, read by the same strict parser."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from feedback.cases.calendar_file import parse_calendar
from feedback.cases.demo_calendar import DEMO_NOTE, HOLIDAYS, calendar_csv
from feedback.cases.models import OfficeDay
from portal.db import db


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_each_demo_year_parses_whole_with_its_holidays_off(year: int) -> None:
    parsed = parse_calendar(calendar_csv(year).encode("utf-8-sig"))
    days = {entry.day: entry for entry in parsed.days}
    assert len(days) == (366 if year % 4 == 0 else 365)
    for holiday, name in HOLIDAYS[year].items():
        assert days[holiday].day_off, holiday
        assert days[holiday].note.startswith(name)
    assert all(entry.note.endswith(DEMO_NOTE) for entry in parsed.days)
    weekday_off = sum(1 for entry in parsed.days if entry.day_off and entry.day.weekday() < 5)
    assert weekday_off == sum(1 for holiday in HOLIDAYS[year] if holiday.weekday() < 5)


def test_the_demo_site_has_this_year_and_the_next(app_context: None) -> None:
    this_year = date.today().year
    for year in (this_year, this_year + 1):
        assert db.session.scalar(select(func.count()).where(OfficeDay.year == year)) in (365, 366)
