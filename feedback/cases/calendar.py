"""The office calendar kept in the database: importing a year, reading it for deadlines.

A year is imported whole from the government's file (`calendar_file.parse_calendar`);
importing a year again (a reissue) replaces every day of it in one transaction, and the
import is audited with how many days changed. `office_calendar()` is what the deadline
functions read.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from feedback.cases.calendar_file import CalendarYear
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.models import OfficeDay
from portal import audit
from portal.db import db


@dataclass(frozen=True)
class ImportResult:
    """What importing a year did."""

    year: int
    days: int
    days_off: int
    replaced: bool  # the year was there before
    changed: int  # days whose day-off flag differs from before (0 for a new year)


def import_year(calendar: CalendarYear, source_name: str) -> ImportResult:
    """Store `calendar`, replacing the year's earlier days (the caller commits)."""
    before = {
        row.day: row.day_off
        for row in db.session.scalars(select(OfficeDay).where(OfficeDay.year == calendar.year))
    }
    db.session.execute(delete(OfficeDay).where(OfficeDay.year == calendar.year))
    for entry in calendar.days:
        db.session.add(
            OfficeDay(
                day=entry.day,
                year=calendar.year,
                day_off=entry.day_off,
                note=entry.note[:60],
                source_name=source_name[:255],
            )
        )
    db.session.flush()
    changed = sum(1 for entry in calendar.days if entry.day in before and before[entry.day] != entry.day_off)
    result = ImportResult(
        year=calendar.year,
        days=len(calendar.days),
        days_off=sum(entry.day_off for entry in calendar.days),
        replaced=bool(before),
        changed=changed,
    )
    audit.record(
        db.session,
        "calendar_imported",
        "office_calendar",
        calendar.year,
        after={
            "source": source_name[:255],
            "days": result.days,
            "days_off": result.days_off,
            "changed": changed,
        },
    )
    return result


def office_calendar() -> OfficeCalendar:
    """Every imported day, for the deadline functions (a date not imported is a gap, not a guess)."""
    rows = db.session.execute(select(OfficeDay.day, OfficeDay.day_off)).all()
    return OfficeCalendar({row.day: row.day_off for row in rows})


def year_days(year: int) -> list[OfficeDay]:
    """The imported days of `year`, in order."""
    return list(db.session.scalars(select(OfficeDay).where(OfficeDay.year == year).order_by(OfficeDay.day)))
