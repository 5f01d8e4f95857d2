"""Phone numbers in every international and domestic form, and cards right after other numbers."""

from __future__ import annotations

import pytest

from datasets.pii import scan_text
from datasets.pii.numbers import is_phone_number


def kinds(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in scan_text(text)]


@pytest.mark.parametrize(
    "phone",
    [
        "(+886) 912345678",
        "(+886)912-345-678",
        "(886) 912-345-678",
        "(886)912345678",
        "+886 (0)912 345 678",
        "+886(0)2 2345 6789",
        "+886 (02) 2345 6789",
        "+886-(0)2-2345-6789",
        "(+886)(0)912345678",
        "+886 0912 345 678",
        "886912345678",
        "886 2 2345 6789",
        "00886 912 345 678",
        "00886-2-23456789",
        "+886 9 1234 5678",
        "+886.912.345.678",
        "09 1234 5678",
        "0912 34 56 78",
        "09-1234-5678",
        "(03) 932-1234",
        "(+886 2) 2345 6789",
    ],
)
def test_international_and_spaced_phones(phone: str) -> None:
    assert kinds(f"電話 {phone} 謝謝") == [("phone", phone)]


@pytest.mark.parametrize(
    ("digits", "international", "expected"),
    [
        ("886912345678", False, True),
        ("88622345678", False, False),  # too short to be 886 and a Taipei number
        ("886223456789", False, True),
        ("0912345678", False, True),
        ("091234567", False, False),
        ("0800123456", False, False),  # toll-free numbers are the agency's, not a person's
        ("912345678", True, False),
        ("886912345678", True, True),
        ("0037123456", False, False),
    ],
)
def test_what_counts_as_a_phone_number(digits: str, international: bool, expected: bool) -> None:
    assert is_phone_number(digits, international) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A123456789 4111111111111111", [("national_id", "A123456789"), ("card", "4111111111111111")]),
        ("0912345678 4111 1111 1111 1111", [("phone", "0912345678"), ("card", "4111 1111 1111 1111")]),
        ("水號 12-345678-9 5500000000000004", [("card", "5500000000000004")]),
        ("帳號 12345678 4111111111111111", [("card", "4111111111111111")]),
        ("12345 4111-1111-1111-1111", [("card", "4111-1111-1111-1111")]),
        ("886912345678 4012888888881881", [("phone", "886912345678"), ("card", "4012888888881881")]),
    ],
)
def test_cards_right_after_another_number(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    ["水號 03-382029-4", "水號 06-557209-1 已繳費", "2026.11.30 09:30", "12 345 678 901 234 567"],
)
def test_numbers_that_are_not_phones_or_cards(text: str) -> None:
    assert kinds(text) == []
