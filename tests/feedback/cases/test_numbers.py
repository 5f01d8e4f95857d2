"""Case numbers and passwords as citizens write, read out and type them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback.cases.numbers import (
    PASSWORD_ALPHABET,
    PASSWORD_LENGTH,
    format_case_number,
    new_case_password,
    normalise_case_number,
    normalise_case_password,
    parse_case_number,
    roc_date,
)


def test_the_roc_date_and_the_days_sequence() -> None:
    assert roc_date(date(2026, 11, 26)) == "1151126"
    assert format_case_number(date(2026, 11, 26), 7) == "1151126-0007"
    assert format_case_number(date(2011, 1, 1), 9999) == "1000101-9999"
    assert format_case_number(date(1999, 12, 31), 1) == "0881231-0001"
    assert parse_case_number("881231-0001") == (date(1999, 12, 31), 1), (
        "the year's leading zero may be left out"
    )


@pytest.mark.parametrize("sequence", [0, 10000, -1])
def test_a_sequence_out_of_range_is_refused(sequence: int) -> None:
    with pytest.raises(ValueError, match="sequence"):
        format_case_number(date(2026, 11, 26), sequence)


@pytest.mark.parametrize(
    "typed",
    [
        "1151126-0007",
        " 1151126 0007 ",
        "１１５１１２６－０００７",
        "11511260007",
        "1151126—7",
        "1151126-7",
        "1151126 - 0007",
        "1151126 － 0007",
        "1151126--0007",
    ],
)
def test_what_people_type_is_understood(typed: str) -> None:
    assert normalise_case_number(typed) == "1151126-0007"


@pytest.mark.parametrize(
    "typed", ["", "abc", "1151332-0001", "1150229-0001", "1151126-0000", "1151126-00001", "<script>"]
)
def test_what_cannot_be_a_number_is_none(typed: str) -> None:
    assert parse_case_number(typed) is None


@given(
    st.dates(min_value=date(1912, 1, 1), max_value=date(2910, 12, 31)),
    st.integers(min_value=1, max_value=9999),
)
def test_every_number_reads_back_as_issued(day: date, sequence: int) -> None:
    number = format_case_number(day, sequence)
    assert parse_case_number(number) == (day, sequence)
    assert normalise_case_number(number.replace("-", " ")) == number


def test_passwords_use_only_the_alphabet_without_look_alikes() -> None:
    assert not set("0O1IL2Z5S8B") & set(PASSWORD_ALPHABET)
    passwords = {new_case_password() for _ in range(2000)}
    assert len(passwords) == 2000, "random enough not to repeat in a small sample"
    assert all(
        len(password) == PASSWORD_LENGTH and set(password) <= set(PASSWORD_ALPHABET) for password in passwords
    )
    used = set("".join(passwords))
    assert used == set(PASSWORD_ALPHABET), "every character of the alphabet turns up"


@pytest.mark.parametrize("typed", ["acde-fghj", " ACDE FGHJ ", "ＡＣＤＥＦＧＨＪ", "acdefghj"])
def test_a_typed_password_is_normalised(typed: str) -> None:
    assert normalise_case_password(typed) == "ACDEFGHJ"
