"""Schedules: when the next release is due, and when a dataset is overdue."""

from __future__ import annotations

from datetime import date

import pytest

from datasets.catalogue import add_months, is_overdue, next_due_date


@pytest.mark.parametrize(
    ("day", "frequency", "due"),
    [
        (date(2026, 1, 31), "monthly", date(2026, 2, 28)),
        (date(2024, 1, 31), "monthly", date(2024, 2, 29)),
        (date(2026, 11, 26), "quarterly", date(2027, 2, 26)),
        (date(2026, 8, 31), "half_yearly", date(2027, 2, 28)),
        (date(2024, 2, 29), "yearly", date(2025, 2, 28)),
        (date(2026, 12, 31), "daily", date(2027, 1, 1)),
        (date(2026, 12, 28), "weekly", date(2027, 1, 4)),
        (date(2026, 1, 1), "irregular", None),
        (date(2026, 1, 1), "never", None),
        (date(2026, 1, 1), "no-such-frequency", None),
    ],
)
def test_next_due_date(day: date, frequency: str, due: date | None) -> None:
    assert next_due_date(day, frequency) == due


def test_add_months_across_years() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)


def test_overdue() -> None:
    assert is_overdue(date(2026, 11, 25), date(2026, 11, 26))
    assert not is_overdue(date(2026, 11, 26), date(2026, 11, 26))
    assert not is_overdue(None, date(2026, 11, 26))
