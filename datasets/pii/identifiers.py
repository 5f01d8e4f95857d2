"""Checks of Taiwanese identifier and card numbers, as pure functions.

- 身分證統一編號 (national ID): a letter, 1 or 2 (sex), eight digits.
- 統一證號 (resident certificate), new form: a letter, 8 or 9, eight digits; old form
  (valid until 2030-12-31): two letters, the second A–D, eight digits.
Both use one checksum: the first letter becomes its two-digit code, the next character
one digit, and the eleven digits weighted 1,9,8,7,6,5,4,3,2,1,1 sum to a multiple of 10.
"""

from __future__ import annotations

LETTER_CODES = {
    "A": 10,
    "B": 11,
    "C": 12,
    "D": 13,
    "E": 14,
    "F": 15,
    "G": 16,
    "H": 17,
    "I": 34,
    "J": 18,
    "K": 19,
    "L": 20,
    "M": 21,
    "N": 22,
    "O": 35,
    "P": 23,
    "Q": 24,
    "R": 25,
    "S": 26,
    "T": 27,
    "U": 28,
    "V": 29,
    "W": 32,
    "X": 30,
    "Y": 31,
    "Z": 33,
}
_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)


def _checksum_ok(digits: list[int]) -> bool:
    return (
        len(digits) == 11
        and sum(digit * weight for digit, weight in zip(digits, _WEIGHTS, strict=True)) % 10 == 0
    )


def is_national_id(value: str) -> bool:
    """A valid national ID or new-form resident certificate number (upper case, ASCII)."""
    if len(value) != 10 or value[0] not in LETTER_CODES or value[1] not in "1289" or not value[1:].isdigit():
        return False
    code = LETTER_CODES[value[0]]
    return _checksum_ok([code // 10, code % 10, *map(int, value[1:])])


def is_old_resident_id(value: str) -> bool:
    """A valid old-form resident certificate number: two letters (the second A–D), eight digits."""
    if len(value) != 10 or value[0] not in LETTER_CODES or value[1] not in "ABCD" or not value[2:].isdigit():
        return False
    code = LETTER_CODES[value[0]]
    second = LETTER_CODES[value[1]] % 10
    return _checksum_ok([code // 10, code % 10, second, *map(int, value[2:])])


def national_id_check_digit(prefix: str) -> int:
    """The last digit that makes `prefix` (a letter and eight digits) a valid ID (for test data)."""
    code = LETTER_CODES[prefix[0]]
    digits = [code // 10, code % 10, *map(int, prefix[1:])]
    total = sum(digit * weight for digit, weight in zip(digits, _WEIGHTS[:10], strict=True))
    return (10 - total % 10) % 10


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check of payment card numbers."""
    total = 0
    for position, character in enumerate(reversed(digits)):
        digit = int(character)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
