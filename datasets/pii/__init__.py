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
- `name`: a personal name next to a title or label (先生, 小姐, 聯絡人, 申請人 ...).

It is built not to fire on document numbers (台水企字第1090005378號), case numbers,
dates, amounts, meter readings, postal codes or the 1910 hotline. Offsets are
character offsets in the text as given. `scan_text()` is the whole interface; the
command line (`python -m datasets.pii FILE`) is in `__main__`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datasets.pii.identifiers import is_national_id, is_old_resident_id, luhn_ok

__all__ = ["KINDS", "Finding", "is_name_column", "mask_finding", "scan_text"]

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
_SEP = r"[ \-.]?"
_EXTENSION = r"(?:[ ]*(?:#|ext\.?|x|分機|轉)[ ]*[0-9]{1,6})?"
_INTERNATIONAL = r"(?:\+[ ]?886|00886|886)[ \-]?(?:\(0?\)[ ]?)?"
_MOBILE = re.compile(
    rf"(?<![0-9A-Za-z+])(?:{_INTERNATIONAL}0?|0)9[0-8][0-9]{_SEP}[0-9]{{3}}{_SEP}[0-9]{{3}}(?![0-9])"
)
# Area codes, longest first so that 037 is not read as 03 followed by 7.
_AREAS = r"(?:826|836|37|49|82|89|[2-8])"
_LANDLINE = re.compile(
    rf"(?<![0-9A-Za-z+])(?:\(0{_AREAS}\)[ ]?|0{_AREAS}[ \-]|{_INTERNATIONAL}\(?{_AREAS}\)?[ \-]?|0{_AREAS}(?=[0-9]))"
    rf"([0-9]{{2,4}}[ \-]?[0-9]{{3,4}}){_EXTENSION}(?![0-9])"
)
_LOCAL_LENGTHS = {
    "2": (8,),
    "3": (7,),
    "37": (6,),
    "4": (7, 8),
    "49": (7,),
    "5": (7,),
    "6": (7,),
    "7": (7,),
    "8": (7,),
    "82": (6,),
    "89": (6,),
    "826": (5,),
    "836": (5,),
}
# Where a landline number can start: a bracket, an area code's 0, or a country code.
_LANDLINE_HINT = re.compile(r"(?<![0-9A-Za-z+])(?:\(0|0[2-8]|\+|00886|886)")
_AREA_OF = re.compile(rf"(?:\(0|\+[ ]?886[ \-]?\(?0?|00886[ \-]?|886[ \-]?|0)({_AREAS})")
_CARD = re.compile(r"(?<![0-9])(?:[0-9][ \-]?){12,18}[0-9](?![0-9])")
_CARD_PREFIXES = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|35|6(?:011|2|4[4-9]|5)|3(?:0[0-5]|[68]))")

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

_SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高簡朱鍾施游詹沈彭胡余盧潘顏梁趙柯翁魏方孫戴范宋鄧"
    "杜侯曹薛傅丁溫紀蔣歐藍連唐馬董石卓程姚康馮古姜湯汪白田涂鄒巫尤鐘龔嚴韓袁黎金阮陸倪夏童邵柳錢邢甘饒"
)
_COMPOUND_SURNAMES = "歐陽|司馬|諸葛|上官|張簡|范姜|夏侯|皇甫"
_SURNAME = rf"(?:{_COMPOUND_SURNAMES}|[{_SURNAMES}])"
_TITLES = "先生|小姐|女士|太太"
_LABELS = "聯絡人|申請人|陳情人|用戶|姓名|戶名|代理人|報案人|通報人|來電者|承辦人|負責人|住戶|屋主|民眾"
# Characters that end a name rather than belong to it, and the titles that follow one.
_NOT_GIVEN = "的於在和與及或等說稱反映投訴來電申請詢問要求表示已未再"
_GIVEN = rf"(?:(?!{_TITLES})[^\W\d_a-zA-Z{_NOT_GIVEN}])"
_NAME_WITH_TITLE = re.compile(rf"{_SURNAME}{_GIVEN}{{0,2}}(?={_TITLES})")
_NAME_AFTER_LABEL = re.compile(rf"(?:{_LABELS})[ ]*[:：]?[ ]*({_SURNAME}{_GIVEN}{{1,2}})")
_WHOLE_NAME = re.compile(rf"[ ]*({_SURNAME}{_GIVEN}{{1,2}})[ ]*")
# Column headers that say their cells are people's names.
_NAME_COLUMN = re.compile(rf"(?:{_LABELS}|name|contact|applicant|owner|person)", re.IGNORECASE)


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


def _landline_ok(match: re.Match[str]) -> bool:
    area = _AREA_OF.match(match.group(0))
    if area is None:
        return False
    local = re.sub(r"[^0-9]", "", match.group(1))
    return len(local) in _LOCAL_LENGTHS.get(area.group(1), ())


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


def _numbers(folded: str, original: str, found: list[Finding], digit_count: int) -> None:
    # Card numbers first: a card's digit groups can look like a phone number's.
    for match in _CARD.finditer(folded) if digit_count >= 13 else ():
        digits = re.sub(r"[^0-9]", "", match.group(0))
        if (
            13 <= len(digits) <= 19
            and _CARD_PREFIXES.match(digits)
            and luhn_ok(digits)
            and not _overlaps(found, match.start(), match.end())
        ):
            found.append(Finding("card", match.start(), match.end(), original[match.start() : match.end()]))
    for match in _MOBILE.finditer(folded) if "09" in folded or "886" in folded else ():
        if not _overlaps(found, match.start(), match.end()):
            found.append(Finding("phone", match.start(), match.end(), original[match.start() : match.end()]))
    for match in _LANDLINE.finditer(folded) if _LANDLINE_HINT.search(folded) else ():
        if _landline_ok(match) and not _overlaps(found, match.start(), match.end()):
            found.append(Finding("phone", match.start(), match.end(), original[match.start() : match.end()]))


def _addresses(text: str, found: list[Finding]) -> None:
    for match in _ADDRESS.finditer(text):
        span = match.group(0)
        if not _ADDRESS_NEEDS.search(span) or _NOT_ADDRESS.search(span):
            continue
        if match.start() > 0 and text[match.start() - 1] in "第字":
            continue
        found.append(Finding("address", match.start(), match.end(), span))


def _names(text: str, found: list[Finding]) -> None:
    for match in _NAME_WITH_TITLE.finditer(text):
        if not _overlaps(found, match.start(), match.end()):
            found.append(Finding("name", match.start(), match.end(), match.group(0)))
    for match in _NAME_AFTER_LABEL.finditer(text):
        start, end = match.start(1), match.end(1)
        if not _overlaps(found, start, end):
            found.append(Finding("name", start, end, match.group(1)))


def is_name_column(label: str | None) -> bool:
    """Whether a column's header says it holds people's names (申請人, 姓名, contact ...)."""
    return bool(label) and _NAME_COLUMN.search(label or "") is not None


# Cheap first looks, so that most cells are cleared without the full patterns: numeric
# personal data has at least eight digits (an old resident certificate; a phone number has
# nine or more); addresses have 號; names have a title or label.
_NOT_DIGIT = re.compile(r"[^0-9０-９]+")
_LETTER = re.compile(r"[A-Za-z]")
_NAME_TRIGGER = re.compile(f"{_TITLES}|{_LABELS}")
MIN_DIGITS = 8


def scan_text(text: str, label: str | None = None) -> list[Finding]:
    """Every piece of personal data in `text`, in order of position.

    `label` is the header of the column the text comes from, if any: in a column of
    names (姓名, 申請人 ...) a cell that is a name by itself is a finding.
    """
    if not text or (len(text) < 3 and not label):
        return []
    found: list[Finding] = []
    if label and is_name_column(label):
        whole = _WHOLE_NAME.fullmatch(text)
        if whole:
            return [Finding("name", whole.start(1), whole.end(1), whole.group(1))]
    ascii_only = text.isascii()
    folded = text if ascii_only else _fold(text)
    digit_count = len(_NOT_DIGIT.sub("", folded))
    if digit_count >= MIN_DIGITS:
        _identifiers(folded, text, found)
        _numbers(folded, text, found, digit_count)
    if not ascii_only and "號" in text:  # house numbers may be written in Chinese numerals
        _addresses(text, found)
    if "@" in folded:
        for match in _EMAIL.finditer(folded):
            found.append(Finding("email", match.start(), match.end(), text[match.start() : match.end()]))
    if not ascii_only and _NAME_TRIGGER.search(text):
        _names(text, found)
    found.sort(key=lambda finding: (finding.start, finding.end))
    return found


def mask_finding(finding: Finding) -> str:
    """The finding's text with most of it hidden, for showing to a publisher."""
    text = finding.text
    if len(text) <= 2:
        return "＊" * len(text)
    keep = max(1, len(text) // 4)
    return text[:keep] + "＊" * (len(text) - 2 * keep) + text[-keep:]
