"""The personal-data scanner: finds Taiwanese personal data in any text.

Kinds found:

- `national_id`: 身分證統一編號 and new-form 統一證號 (checksum checked), and
  `resident_id`: old-form 統一證號; upper or lower case, half- or full-width;
- `phone`: mobile and landline numbers as people write them (dashes, spaces,
  brackets, +886, extensions, full-width digits);
- `email`;
- `card`: payment card numbers (issuer prefix and Luhn checked);
- `address`: street addresses down to 號 or 樓, with or without city and district,
  台 or 臺, Chinese or Arabic numerals, 之 forms;
- `name`: a personal name, next to a title or label (先生, 小姐, 聯絡人, 申請人 ...) or
  anywhere in a sentence, told from ordinary words by segmentation (`names`).

It is built not to fire on document numbers (台水企字第1090005378號), case numbers,
dates, amounts, meter readings, postal codes or the 1910 hotline. Offsets are
character offsets in the text as given. `scan_text()` is the whole interface; the
command line (`python -m datasets.pii FILE`) is in `__main__`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datasets.pii.identifiers import is_national_id, is_old_resident_id
from datasets.pii.names import LABELS, find_names, name_model
from datasets.pii.numbers import find_cards_and_phones

__all__ = ["KINDS", "Finding", "cannot_hold_personal_data", "is_name_column", "mask_finding", "scan_text"]

KINDS = ("national_id", "resident_id", "phone", "email", "card", "address", "name")

# Full-width ASCII and the ideographic space become their half-width forms, one
# character for one, so that offsets in the folded text are offsets in the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# National IDs and new resident certificates (a letter, then 1, 2, 8 or 9) and old resident
# certificates (two letters, the second A–D), in one pattern: the second character tells which.
_ID = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][1289A-Da-d][0-9]{8})(?![0-9])")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"
)
_NUMERAL = r"[0-9０-９一二三四五六七八九十百千零〇兩]+"
_CITIES = (
    "[臺台]北市|新北市|基隆市|桃園市|新竹[縣市]|苗栗縣|[臺台]中市|彰化縣|南投縣|雲林縣|嘉義[縣市]|[臺台]南市|高雄市|"
    "屏東縣|宜蘭縣|花蓮縣|[臺台]東縣|澎湖縣|金門縣|連江縣"
)
_HAN = r"[\u4e00-\u9fff]"
_ADDRESS = re.compile(
    rf"(?:(?:{_CITIES})?(?:{_HAN}{{1,3}}?[區鄉鎮市](?!場|民))?)"
    rf"(?:{_HAN}{{1,3}}?[村里](?!程){_NUMERAL}鄰|{_HAN}{{1,3}}?[村里](?!程)|{_NUMERAL}鄰)?"
    rf"(?:{_HAN}{{1,6}}?(?:大道|路|街)(?:{_NUMERAL}段)?)?"
    rf"(?:{_NUMERAL}巷)?(?:{_NUMERAL}[弄衖])?"
    rf"{_NUMERAL}(?:之{_NUMERAL})?號(?:之{_NUMERAL})?"
    rf"(?:{_NUMERAL}樓(?:之{_NUMERAL})?)?(?:{_NUMERAL}室)?"
)
# Words that end in 號 but are not addresses: document, case and account numbers.
_NOT_ADDRESS = re.compile(
    r"(?:字第|第|編號|案號|文號|帳號|水號|電號|序號|型號|代號|字號|番號|[0-9]{7,})[0-9０-９]*號"
)
_ADDRESS_NEEDS = re.compile(rf"(?:大道|路|街|[村里]|鄰|巷|[弄衖]){_NUMERAL}")

# Column headers that say their cells are people's names.
_NAME_COLUMN = re.compile(rf"(?:{'|'.join(LABELS)}|name|contact|applicant|owner|person)", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """Personal data found in a text: what kind, where (character offsets) and the text."""

    kind: str
    start: int
    end: int
    text: str


_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def _fold(text: str) -> str:
    return text.translate(_FOLD) if _FULL_WIDTH.search(text) else text


def _identifiers(folded: str, original: str, found: list[Finding]) -> None:
    if _LETTER.search(folded) is None:
        return  # every identifier starts with a letter
    for match in _ID.finditer(folded):
        value = match.group(1).upper()
        if value[1].isdigit():
            kind = "national_id" if is_national_id(value) else None
        else:
            kind = "resident_id" if is_old_resident_id(value) else None
        if kind:
            found.append(Finding(kind, match.start(1), match.end(1), original[match.start(1) : match.end(1)]))


def _overlaps(found: list[Finding], start: int, end: int) -> bool:
    return any(finding.start < end and start < finding.end for finding in found)


def _numbers(folded: str, original: str, found: list[Finding]) -> None:
    for kind, start, end in find_cards_and_phones(folded):
        if not _overlaps(found, start, end):
            found.append(Finding(kind, start, end, original[start:end]))


def _addresses(text: str, found: list[Finding]) -> None:
    for match in _ADDRESS.finditer(text):
        span = match.group(0)
        if not _ADDRESS_NEEDS.search(span) or _NOT_ADDRESS.search(span):
            continue
        if match.start() > 0 and text[match.start() - 1] in "第字":
            continue
        found.append(Finding("address", match.start(), match.end(), span))


def is_name_column(label: str | None) -> bool:
    """Whether a column's header says it holds people's names (申請人, 姓名, contact ...)."""
    return bool(label) and _NAME_COLUMN.search(label or "") is not None


# Cheap first looks, so that most cells are cleared without the full patterns: numeric
# personal data has at least eight digits (an old resident certificate; a phone number has
# nine or more); addresses have 號; names need Chinese characters.
_NOT_DIGIT = re.compile(r"[^0-9０-９]+")
_LETTER = re.compile(r"[A-Za-z]")
MIN_DIGITS = 8
_ASCII_DIGITS = b"0123456789"
# Digits alone are one digit group: a card only at 13 to 19 digits, a phone only after 886,
# 00886 or a trunk 0 followed by a mobile (9) or an area code (2 to 8) digit (see `numbers`).
_PHONE_OPENING = re.compile(r"0[2-9]|886|00886")


def cannot_hold_personal_data(text: str) -> bool:
    """Whether `text` is too plain for every kind the scanner finds, told without scanning it.

    ASCII text has no Chinese (names, addresses, 號), no full-width forms and no ideographic
    space; without @ it holds no e-mail address; with fewer than eight digits it holds no
    phone (nine or more), card (thirteen or more) or identity number (eight or nine, after
    one or two letters), and with eight digits and no letter no identity number either. A
    code of digits alone (an account number with leading zeros) that no phone number can
    start like and that is not of a card's length holds none either.
    """
    if not text.isascii() or "@" in text:
        return False
    if len(text) < MIN_DIGITS:
        return True
    if text.isdigit():
        return not 13 <= len(text) <= 19 and _PHONE_OPENING.match(text) is None
    digits = len(text) - len(text.encode("ascii").translate(None, _ASCII_DIGITS))
    return digits < MIN_DIGITS or (digits == MIN_DIGITS and _LETTER.search(text) is None)


def scan_text(text: str, label: str | None = None) -> list[Finding]:
    """Every piece of personal data in `text`, in order of position.

    `label` is the header of the column the text comes from, if any: in a column of
    names (姓名, 申請人 ...) a cell that is a name by itself is a finding.
    """
    if len(text) < 2 or cannot_hold_personal_data(text):
        return []
    found: list[Finding] = []
    if label and is_name_column(label):
        whole = name_model().is_whole_name(text)
        if whole:
            return [Finding("name", *whole, text[whole[0] : whole[1]])]
    ascii_only = text.isascii()
    folded = text if ascii_only else _fold(text)
    digit_count = len(_NOT_DIGIT.sub("", folded))
    if digit_count >= MIN_DIGITS:
        _identifiers(folded, text, found)
        _numbers(folded, text, found)
    if not ascii_only and "號" in text:  # house numbers may be written in Chinese numerals
        _addresses(text, found)
    if "@" in folded:
        for match in _EMAIL.finditer(folded):
            found.append(Finding("email", match.start(), match.end(), text[match.start() : match.end()]))
    if not ascii_only:
        for start, end in find_names(text):
            if not _overlaps(found, start, end):
                found.append(Finding("name", start, end, text[start:end]))
    found.sort(key=lambda finding: (finding.start, finding.end))
    return found


def mask_finding(finding: Finding) -> str:
    """The finding's text with most of it hidden, for showing to a publisher."""
    text = finding.text
    if len(text) <= 2:
        return "＊" * len(text)
    keep = max(1, len(text) // 4)
    return text[:keep] + "＊" * (len(text) - 2 * keep) + text[-keep:]
