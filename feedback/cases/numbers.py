"""Case numbers and case passwords: what a citizen writes down, reads out and types back.

A case number is the ROC date of receipt and that day's sequence, `1151126-0007`: short
enough to read over the phone, telling when the case came in. A case password is 8
characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), so that
one copied from paper or heard on the phone is typed right. What people type is
normalised first: full-width characters, spaces, dashes and lower case are accepted.
These are pure functions; issuing a number (the day's sequence) is the database's job.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date

ROC_OFFSET = 1911
SEQUENCE_DIGITS = 4
# Letters and digits that cannot be taken for one another, read aloud or handwritten.
PASSWORD_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # noqa: S105 - the characters passwords are drawn from
PASSWORD_LENGTH = 8
_NUMBER = re.compile(r"^(\d{2,3})(\d{2})(\d{2})-?(\d{1,4})$")


def roc_date(day: date) -> str:
    """`day` as the ROC calendar writes it without separators, the year in 3 digits: 2026-11-26 is 1151126."""
    return f"{day.year - ROC_OFFSET:03d}{day.month:02d}{day.day:02d}"


def format_case_number(day: date, sequence: int) -> str:
    """The case number of the `sequence`-th case received on `day` (from 1)."""
    if not 1 <= sequence < 10**SEQUENCE_DIGITS:
        raise ValueError(f"a day's sequence runs from 1 to {10**SEQUENCE_DIGITS - 1}")
    return f"{roc_date(day)}-{sequence:0{SEQUENCE_DIGITS}d}"


def _typed(text: str) -> str:
    """What was typed, with full-width forms made half-width and spaces and dashes of any kind unified."""
    text = unicodedata.normalize("NFKC", text).strip()
    # Any run of spaces and dashes (ASCII, typographic, full-width) reads as one dash.
    return re.sub(r"[\s\-\u2010-\u2015\u2212－]+", "-", text)


def parse_case_number(text: str) -> tuple[date, int] | None:
    """The date and sequence of a typed case number, or None when it cannot be one."""
    match = _NUMBER.match(_typed(text).replace(" ", ""))
    if match is None:
        return None
    year, month, day, sequence = (int(part) for part in match.groups())
    try:
        received = date(year + ROC_OFFSET, month, day)
    except ValueError:
        return None
    if sequence == 0:
        return None
    return received, sequence


def normalise_case_number(text: str) -> str | None:
    """The case number as issued (`1151126-0007`) from what was typed, or None."""
    parsed = parse_case_number(text)
    return format_case_number(*parsed) if parsed else None


def new_case_password() -> str:
    """A random case password: 8 characters from PASSWORD_ALPHABET (about 37 bits)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def normalise_case_password(text: str) -> str:
    """A typed case password as issued: half-width, upper case, without spaces or dashes."""
    return re.sub(r"[-\s]", "", _typed(text)).upper()
