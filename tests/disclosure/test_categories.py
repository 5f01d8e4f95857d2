"""The ten §7 categories are fixed, and a category is current only within its review period (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from disclosure.categories import BY_NUMBER, BY_SLUG, CATEGORIES, is_current, months_before


def test_the_ten_categories_of_the_act_in_its_order() -> None:
    assert [category.number for category in CATEGORIES] == list(range(1, 11))
    assert len(BY_SLUG) == 10
    assert str(BY_NUMBER[5].name) == "施政計畫、業務統計及研究報告"
    assert str(BY_NUMBER[8].name) == "公共工程及採購契約"
    for category in CATEGORIES:
        assert str(category.explanation)
        assert 1 <= category.review_months <= 12


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 12, 4), 3, date(2026, 9, 4)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 12, date(2025, 1, 15)),
        (date(2026, 2, 10), 14, date(2024, 12, 10)),
        (date(2026, 5, 31), 6, date(2025, 11, 30)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def test_a_category_is_current_within_its_review_period_only() -> None:
    minutes = BY_NUMBER[10]  # three months
    today = date(2026, 12, 4)
    assert is_current(minutes, date(2026, 12, 4), today)
    assert is_current(minutes, date(2026, 9, 5), today)
    assert not is_current(minutes, date(2026, 9, 4), today)
    assert not is_current(minutes, None, today)
    budgets = BY_NUMBER[6]  # a year
    assert is_current(budgets, date(2026, 1, 1), today)
    assert not is_current(budgets, date(2025, 12, 4), today)
