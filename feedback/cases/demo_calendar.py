"""A demonstration office calendar for this year and the next, written as the government publishes it.

The demo site needs a calendar to count due dates with. This writes one in the layout of
the 中華民國政府行政機關辦公日曆表 CSV (weekends off, the national holidays below, their
observed days) and imports it through the same parser and command path as a real file,
each day's note saying it is for demonstration. A site in service imports the published
files instead (`flask calendar import`), which replace these years.
"""

from __future__ import annotations

from datetime import date, timedelta

from feedback.cases.calendar_file import HEADER, WEEKDAYS

DEMO_NOTE = "（示範）"
# Holidays by year as the calendars of 2026 and 2027 give them, observed days included.
HOLIDAYS: dict[int, dict[date, str]] = {
    2026: {
        date(2026, 1, 1): "開國紀念日",
        **{date(2026, 2, day): "春節" for day in range(16, 21)},
        date(2026, 2, 27): "和平紀念日補假",
        date(2026, 4, 3): "兒童節補假",
        date(2026, 4, 6): "民族掃墓節補假",
        date(2026, 5, 1): "勞動節",
        date(2026, 6, 19): "端午節",
        date(2026, 9, 25): "中秋節",
        date(2026, 9, 28): "教師節",
        date(2026, 10, 9): "國慶日補假",
        date(2026, 10, 26): "臺灣光復暨金門古寧頭大捷紀念日補假",
        date(2026, 12, 25): "行憲紀念日",
    },
    2027: {
        date(2027, 1, 1): "開國紀念日",
        **{date(2027, 2, day): "春節" for day in range(4, 11)},
        date(2027, 3, 1): "和平紀念日補假",
        date(2027, 4, 5): "兒童節及民族掃墓節",
        date(2027, 4, 6): "兒童節補假",
        date(2027, 5, 1): "勞動節",
        date(2027, 6, 9): "端午節",
        date(2027, 9, 15): "中秋節",
        date(2027, 9, 28): "教師節",
        date(2027, 10, 11): "國慶日補假",
        date(2027, 10, 25): "臺灣光復暨金門古寧頭大捷紀念日",
        date(2027, 12, 24): "行憲紀念日補假",
    },
}


def calendar_csv(year: int) -> str:
    """The demonstration calendar of `year` as the published CSV's text (weekends off when no table)."""
    holidays = HOLIDAYS.get(year, {})
    lines = [",".join(HEADER)]
    day = date(year, 1, 1)
    while day.year == year:
        name = holidays.get(day)
        closed = name is not None or day.weekday() >= 5
        note = (name or "") + DEMO_NOTE
        lines.append(f"{day:%Y%m%d},{WEEKDAYS[day.weekday()]},{2 if closed else 0},{note}")
        day += timedelta(days=1)
    return "\r\n".join(lines) + "\r\n"
