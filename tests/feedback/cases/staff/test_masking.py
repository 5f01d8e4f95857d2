"""Contact details as staff lists show them."""

from __future__ import annotations

import pytest

from feedback.cases.staff.masking import mask_address, mask_email, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王小明", "王○明"), ("王明", "王○"), ("歐陽小明", "歐○○明"), ("John Smith", "J○○○ S○○○○"), ("", "")],
)
def test_names_keep_only_their_first_and_last_characters(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_e_mail_keeps_its_first_character_and_domain() -> None:
    assert mask_email("wang.xm@example.org") == "w○○○○○○@example.org"
    assert mask_email("a@example.org") == "a○○○@example.org"  # never shows the length of a short name
    assert mask_email(None) == ""
    assert "@" not in mask_email("not-an-address")


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("0912-345-678", "○○○○-○○○-678"),
        ("(02)2422-1234", "(○○)○○○○-○234"),
        ("+886 912 345 678", "+○○○ ○○○ ○○○ 678"),
    ],
)
def test_phones_show_only_their_last_three_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_addresses_keep_the_city_and_district_only() -> None:
    assert mask_address("新北市板橋區文化路一段1號5樓") == "新北市板橋區○○○"
    assert mask_address("基隆市信義區信二路100號") == "基隆市信義區○○○"
    assert "1號" not in mask_address("某處1號")
    assert mask_address(None) == ""
