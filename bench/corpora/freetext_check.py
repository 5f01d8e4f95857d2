"""Self-checks of the free-text corpus: every span is what was meant, and nothing else looks like one.

A corpus that grades a scanner has to be right itself. These checks run on every record
`generate()` makes: offsets give back the intended text, spans do not overlap, each
phone has a real Taiwanese length for its area code, cards pass Luhn and identity numbers
their check digit, names are two to four Chinese characters not followed by a road word,
and the unmarked text holds no mobile number, identity number or card number by accident.
"""

from __future__ import annotations

import re

from bench.corpora.freetext_numbers import AREA_LENGTHS, id_checksum_ok, luhn_ok

_words = str.split  # the lists below are written as space-separated text

# Titles, labels and kinship words that tell a reader "a name is here". A name with one of
# these directly before or after it (a colon, space, 為 or 是 between still counts) is cued.
CUE_WORDS = _words(
    "先生 小姐 女士 太太 老師 阿姨 伯伯 主任 經理 里長 鄰長 同學 本人 君 "
    "聯絡人 申請人 陳情人 用戶 姓名 戶名 報案人 民眾 住戶 屋主 承辦人 來電者 代理人 客戶 當事人 "
    "家屬 委託人 持卡人 簽名 署名 兒子 女兒 媽媽 爸爸 母親 父親 阿嬤 阿公 老公 老婆"
)
_BETWEEN_BEFORE = " 　：:為是（(「『"
_BETWEEN_AFTER = " 　：:是（()）)」』"
# 里 is a road word only when not 里長 (a borough chief after a name).
_ROAD_WORD = re.compile(r"(?:路|街|巷|大道|區|里(?!長))")
_CJK = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_EMAIL = re.compile(r"^[a-z0-9._]+@[a-z0-9.]+\.[a-z]{2,}$")
_PHONE_CHARS = re.compile(r"^[0-9+()\-. ]+$")


class CorpusError(Exception):
    """A generated record is not what the corpus promises."""


def has_cue(text: str, start: int, end: int) -> bool:
    """True when a title or label stands directly before or after text[start:end]."""
    before = text[:start].rstrip(_BETWEEN_BEFORE)
    after = text[end:].lstrip(_BETWEEN_AFTER)
    return any(before.endswith(cue) or after.startswith(cue) for cue in CUE_WORDS)


def national_phone(written: str) -> str:
    """The number as dialled inside Taiwan (leading 0) from any domestic or international form."""
    digits = written.replace("(0)", "")
    digits = re.sub(r"[^0-9+]", "", digits)
    for prefix in ("+886", "00886", "886"):
        if digits.startswith(prefix):
            rest = digits[len(prefix) :]
            return rest if rest.startswith("0") else "0" + rest
    return digits


def phone_ok(written: str) -> bool:
    """True for a Taiwanese mobile, or a landline whose length fits its area code."""
    if not _PHONE_CHARS.match(written):
        return False
    number = national_phone(written)
    if re.fullmatch(r"09\d{8}", number):
        return True
    return any(
        number.startswith("0" + code) and len(number) == 1 + len(code) + length
        for code, length in AREA_LENGTHS
    )


def card_ok(written: str) -> bool:
    """True for sixteen Luhn-valid digits of a Visa, Mastercard or JCB number."""
    digits = re.sub(r"[ -]", "", written)
    if not re.fullmatch(r"\d{16}", digits) or not luhn_ok(digits):
        return False
    head2, head4 = int(digits[:2]), int(digits[:4])
    return digits[0] == "4" or 51 <= head2 <= 55 or 2221 <= head4 <= 2720 or 3528 <= head4 <= 3589


_VALIDATORS = {
    "phone": phone_ok,
    "card": card_ok,
    "national_id": lambda value: id_checksum_ok(value) and value[1] in "1289",
    "email": lambda value: bool(_EMAIL.match(value)),
    "address": lambda value: (
        value.endswith(("號", "樓")) and ("路" in value or "街" in value or "大道" in value)
    ),
    "name": lambda value: bool(_CJK.match(value)),
}


def _check_span(text: str, kind: str, start: int, end: int) -> None:
    value = text[start:end]
    if not _VALIDATORS[kind](value):
        raise CorpusError(f"{kind} span {value!r} is not a valid {kind} in {text!r}")
    if kind in ("phone", "card", "national_id"):
        # A digit or letter glued on either side would make the number another number.
        neighbours = text[start - 1 : start] + text[end : end + 1]
        if re.search(r"[0-9A-Za-z]", neighbours):
            raise CorpusError(f"{kind} {value!r} touches another digit or letter in {text!r}")
    if kind == "name" and _ROAD_WORD.match(text, end):
        raise CorpusError(f"name {value!r} is followed by a road word in {text!r}")


def _check_unmarked(text: str, spans: list[tuple[str, int, int]]) -> None:
    """Fail when the text outside every span holds something the corpus would have to mark."""
    masked = list(text)
    for _, start, end in spans:
        masked[start:end] = "\x00" * (end - start)
    rest = "".join(masked)
    if found := re.search(r"(?<![0-9])09\d{8}(?![0-9])", rest):
        raise CorpusError(f"unmarked mobile number {found.group()!r} in {text!r}")
    if found := re.search(r"(?<![0-9A-Za-z])[A-Z][1289]\d{8}(?![0-9])", rest):
        raise CorpusError(f"unmarked identity number {found.group()!r} in {text!r}")
    for found in re.finditer(r"(?<![0-9])(?:\d[ -]?){12,18}\d(?![0-9])", rest):
        if card_ok(found.group()):
            raise CorpusError(f"unmarked card-like number {found.group()!r} in {text!r}")


def check_record(text: str, spans: list[tuple[str, int, int]], intended: list[str]) -> None:
    """Raise CorpusError unless every span gives back its intended text and the record is sound."""
    previous_end = 0
    for (kind, start, end), meant in zip(spans, intended, strict=True):
        if not 0 <= previous_end <= start < end <= len(text):
            raise CorpusError(f"span {kind} {start}-{end} overlaps or leaves the text {text!r}")
        if text[start:end] != meant:
            raise CorpusError(f"span {kind} {start}-{end} reads {text[start:end]!r}, meant {meant!r}")
        _check_span(text, kind, start, end)
        previous_end = end
    _check_unmarked(text, spans)
