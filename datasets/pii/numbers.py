"""Phone and payment-card numbers, found in runs of digit groups.

People type numbers with any spacing and punctuation: `+886 (0)912 345 678`,
`(886) 2 2345-6789`, `886912345678`, `09 1234 5678`, and a card number right after an ID
or another number with only a space between them. So a run of digit groups joined by
spaces, dashes, dots, brackets and plus signs is read first, and every stretch of whole
groups in it is then tried as a card (issuer prefix, 13–19 digits, Luhn) or as a
Taiwanese phone number (country code 886 or 00886 or a trunk 0, then a mobile
number or an area code with its local number's length). Offsets are those of the text
given, which must already be folded to half-width.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from datasets.pii.identifiers import luhn_ok

__all__ = ["find_cards_and_phones"]

# Digit groups joined by at most three separators; a run may open with + or a bracket.
_RUN = re.compile(r"(?<![0-9A-Za-z])(?:\+[ ]?|\()*\(?[0-9]+(?:[ \-.()+]{1,3}[0-9]+)*\)?")
_GROUP = re.compile(r"[0-9]+")
_EXTENSION = re.compile(r"[ ]*(?:#|ext\.?|x|分機|轉)[ ]*[0-9]{1,6}(?![0-9])", re.IGNORECASE)
_CARD_PREFIXES = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|35|6(?:011|2|4[4-9]|5)|3(?:0[0-5]|[68]))")
# Local number lengths by area code (after the trunk 0), longest codes first.
_LOCAL_LENGTHS = {
    "826": (5,),
    "836": (5,),
    "37": (6,),
    "49": (7,),
    "82": (6,),
    "89": (6,),
    "2": (8,),
    "3": (7,),
    "4": (7, 8),
    "5": (7,),
    "6": (7,),
    "7": (7,),
    "8": (7,),
}
LONGEST_CARD = 19
LONGEST_PHONE = 16  # 00886 and a ten-digit national number with its trunk zero


def _national_ok(number: str) -> bool:
    """A Taiwanese mobile or landline number without its trunk zero."""
    if number.startswith("9"):
        return len(number) == 9
    return any(
        number.startswith(area) and len(number) - len(area) in lengths
        for area, lengths in _LOCAL_LENGTHS.items()
    )


def is_phone_number(digits: str, international: bool) -> bool:
    """Whether a string of digits is a Taiwanese phone number as dialled.

    `international` says a + sign opened it, which makes 886 a country code even when
    the number is short.
    """
    for code in ("00886", "886"):
        if digits.startswith(code) and (international or code == "00886" or len(digits) >= 11):
            national = digits[len(code) :]
            return _national_ok(national[1:] if national.startswith("0") else national)
    if international:
        return False
    return digits.startswith("0") and _national_ok(digits[1:])


def _groups(run: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _GROUP.finditer(run)]


def _cards(run: str, groups: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Group indexes (first, last) of card numbers, the longest from each start, not overlapping."""
    first = 0
    while first < len(groups):
        digits = ""
        found = None
        for last in range(first, len(groups)):
            digits += run[groups[last][0] : groups[last][1]]
            if len(digits) > LONGEST_CARD:
                break
            if len(digits) >= 13 and _CARD_PREFIXES.match(digits) and luhn_ok(digits):
                found = last
        if found is None:
            first += 1
            continue
        yield first, found
        first = found + 1


def _phones(run: str, groups: list[tuple[int, int]], taken: set[int]) -> Iterator[tuple[int, int]]:
    """Group indexes (first, last) of phone numbers, the longest from each start, not overlapping."""
    first = 0
    while first < len(groups):
        if first in taken:
            first += 1
            continue
        international = "+" in run[groups[first - 1][1] if first else 0 : groups[first][0]]
        digits = ""
        found = None
        for last in range(first, len(groups)):
            if last in taken:
                break
            digits += run[groups[last][0] : groups[last][1]]
            if len(digits) > LONGEST_PHONE:
                break
            # A number never ends in a lone digit (水號 03-382029-4 ends with a check digit).
            if groups[last][1] - groups[last][0] >= 2 and is_phone_number(digits, international):
                found = last
        if found is None:
            first += 1
            continue
        yield first, found
        first = found + 1


def _opening(run: str, groups: list[tuple[int, int]], first: int) -> int:
    """Where a number opens: its first digit, or a + or bracket right before it."""
    start = groups[first][0]
    floor = groups[first - 1][1] if first else 0
    while start > floor and run[start - 1] in "+( ":
        start -= 1
    while run[start] == " ":
        start += 1
    return start


def _closing(run: str, groups: list[tuple[int, int]], last: int) -> int:
    end = groups[last][1]
    if end < len(run) and run[end] == ")" and "(" in run[: groups[last][0]]:
        end += 1
    return end


def find_cards_and_phones(folded: str) -> Iterator[tuple[str, int, int]]:
    """`(kind, start, end)` of the card and phone numbers in half-width text."""
    for match in _RUN.finditer(folded):
        run = match.group(0)
        groups = _groups(run)
        digit_count = sum(end - start for start, end in groups)
        if digit_count < 8:
            continue
        taken: set[int] = set()
        if digit_count >= 13:
            for first, last in _cards(run, groups):
                taken.update(range(first, last + 1))
                yield (
                    "card",
                    match.start() + _opening(run, groups, first),
                    match.start() + groups[last][1],
                )
        for first, last in _phones(run, groups, taken):
            end = match.start() + _closing(run, groups, last)
            extension = _EXTENSION.match(folded, end)
            if extension and last == len(groups) - 1:
                end = extension.end()
            yield "phone", match.start() + _opening(run, groups, first), end
