"""Working-day deadlines: the rule citizens are told, on a calendar that decides every date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.cases.deadlines import (
    CalendarGapError,
    OfficeCalendar,
    Pause,
    due_date,
    working_days_between,
)

FIRST, LAST = date(2024, 1, 1), date(2027, 12, 31)


def weekend_calendar(
    holidays: frozenset[date] = frozenset(), makeup: frozenset[date] = frozenset()
) -> OfficeCalendar:
    """2024-2027 with Saturdays and Sundays off, `holidays` off too and `makeup` days worked."""
    days = {}
    day = FIRST
    while day <= LAST:
        off = day.weekday() >= 5 or day in holidays
        days[day] = off and day not in makeup
        day += timedelta(days=1)
    return OfficeCalendar(days)


PLAIN = weekend_calendar()


def test_six_working_days_from_the_day_after_receipt() -> None:
    # Received Wednesday 2025-11-26: Thu, Fri, Mon, Tue, Wed, Thu -> due Thursday 2025-12-04.
    result = due_date(date(2025, 11, 26), 6, PLAIN)
    assert result.due == date(2025, 12, 4)
    assert [day.isoformat() for day in result.counted] == [
        "2025-11-27",
        "2025-11-28",
        "2025-12-01",
        "2025-12-02",
        "2025-12-03",
        "2025-12-04",
    ]
    assert not result.is_overdue(date(2025, 12, 4))
    assert result.is_overdue(date(2025, 12, 5))


def test_received_on_a_day_off_counts_from_the_next_working_day() -> None:
    assert due_date(date(2025, 11, 29), 1, PLAIN).due == date(2025, 12, 1)  # Saturday -> Monday


def test_zero_working_days_is_due_the_day_of_receipt() -> None:
    assert due_date(date(2025, 11, 29), 0, PLAIN).due == date(2025, 11, 29)


def test_a_holiday_is_skipped_and_a_makeup_saturday_counts() -> None:
    # 2025-02-08 was a make-up working Saturday; 2025-02-28 (和平紀念日) a Friday off.
    calendar = weekend_calendar(holidays=frozenset({date(2025, 2, 28)}), makeup=frozenset({date(2025, 2, 8)}))
    assert due_date(date(2025, 2, 7), 1, calendar).due == date(2025, 2, 8)
    assert due_date(date(2025, 2, 27), 1, calendar).due == date(2025, 3, 3)


def test_the_count_crosses_the_year_boundary() -> None:
    calendar = weekend_calendar(holidays=frozenset({date(2026, 1, 1)}))
    result = due_date(date(2025, 12, 30), 3, calendar)
    assert result.counted == (date(2025, 12, 31), date(2026, 1, 2), date(2026, 1, 5))


def test_waiting_for_the_citizen_pauses_the_clock() -> None:
    pause = Pause(date(2025, 12, 1), date(2025, 12, 3))  # Monday to Wednesday
    result = due_date(date(2025, 11, 26), 6, PLAIN, [pause])
    assert result.paused == (date(2025, 12, 1), date(2025, 12, 2), date(2025, 12, 3))
    assert result.due == date(2025, 12, 9)


def test_a_date_the_calendar_does_not_cover_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarGapError) as raised:
        due_date(date(2027, 12, 28), 10, PLAIN)
    assert raised.value.day == date(2028, 1, 1)


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        due_date(date(2025, 1, 2), -1, PLAIN)


def test_a_calendar_with_no_working_days_is_an_error_not_a_hang() -> None:
    closed = OfficeCalendar({FIRST + timedelta(days=offset): True for offset in range(4000)})
    with pytest.raises(CalendarGapError):
        due_date(FIRST, 1, closed)


# ---------------------------------------------------------------------------- properties

receipts = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 6, 30))
counts = st.integers(min_value=0, max_value=60)
holiday_sets = st.frozensets(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 6, 30)), max_size=40)


@st.composite
def pauses(draw: st.DrawFn) -> list[Pause]:
    chosen = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        start = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)))
        chosen.append(Pause(start, start + timedelta(days=draw(st.integers(min_value=0, max_value=20)))))
    return chosen


@settings(max_examples=300, deadline=None)
@given(receipts, counts, holiday_sets, holiday_sets, pauses())
def test_the_due_date_is_the_nth_counted_working_day(
    received: date, n: int, holidays: frozenset[date], makeup: frozenset[date], paused: list[Pause]
) -> None:
    calendar = weekend_calendar(holidays, makeup)
    result = due_date(received, n, calendar, paused)
    assert len(result.counted) == n
    assert list(result.counted) == sorted(set(result.counted))
    assert all(day > received for day in result.counted)
    for day in result.counted:
        assert calendar.is_working_day(day)
        assert not any(pause.covers(day) for pause in paused)
    if n:
        assert result.due == result.counted[-1]
        assert working_days_between(received, result.due, calendar, paused) == n
        assert working_days_between(received, result.due - timedelta(days=1), calendar, paused) == n - 1
    else:
        assert result.due == received


@settings(max_examples=200, deadline=None)
@given(receipts, counts, holiday_sets, st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 6, 30)))
def test_another_holiday_never_brings_the_due_date_forward(
    received: date, n: int, holidays: frozenset[date], extra: date
) -> None:
    before = due_date(received, n, weekend_calendar(holidays)).due
    after = due_date(received, n, weekend_calendar(holidays | {extra})).due
    assert after >= before


@settings(max_examples=200, deadline=None)
@given(receipts, st.integers(min_value=0, max_value=59), holiday_sets, pauses())
def test_one_more_working_day_is_a_later_due_date(
    received: date, n: int, holidays: frozenset[date], paused: list[Pause]
) -> None:
    calendar = weekend_calendar(holidays)
    assert due_date(received, n + 1, calendar, paused).due > due_date(received, n, calendar, paused).due


@settings(max_examples=200, deadline=None)
@given(receipts, counts, pauses())
def test_a_pause_delays_by_exactly_the_working_days_it_covers(
    received: date, n: int, paused: list[Pause]
) -> None:
    plain = due_date(received, n, PLAIN)
    held = due_date(received, n, PLAIN, paused)
    assert held.due >= plain.due
    assert working_days_between(received, held.due, PLAIN) == n + len(held.paused)
