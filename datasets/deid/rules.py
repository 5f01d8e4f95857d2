"""De-identification rules: pure functions from a cell's text to what is published.

A field's rule is declared in its schema as `deid`, for example
`{"rule": "mask", "kind": "phone"}`. Every rule takes the cell's text (never empty:
empty cells stay empty) and returns text; `published_type()` says what type the
field has after its rule.

- keep: unchanged.
- drop: the field is not published at all.
- mask: most of the value hidden, its shape kept: names 王○明, IDs A12****789,
  phones 0912-***-678, e-mail addresses w***@example.com, anything else a○○○z.
- generalise: addresses to 縣市, 鄉鎮市區 or 村里; dates to month, year or ROC year;
  numbers to ranges of a given width.
- pseudonymise: a keyed HMAC of the value, the same in every release, so that rows
  link over time without saying who; the key is kept outside the database.
- top_code / bottom_code: values above (below) a limit become the limit.
- suppress_small: counts below a threshold are published as "<threshold".
- redact: personal data the scanner finds inside free text is replaced by its kind.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from datasets.pii import scan_text

RULES = (
    "keep",
    "drop",
    "mask",
    "generalise",
    "pseudonymise",
    "top_code",
    "bottom_code",
    "suppress_small",
    "redact",
)
MASK_KINDS = ("name", "id", "phone", "email", "text")
GENERALISE_LEVELS = ("city", "district", "village", "month", "year", "roc_year", "range")
MASK = "○"
STAR = "*"


class RuleError(ValueError):
    """A rule that cannot be applied as declared (a configuration problem, not a data one)."""


# --------------------------------------------------------------------------- masking


def mask_name(text: str) -> str:
    """王小明 → 王○明; 王明 → 王○; 歐陽娜娜 → 歐○○娜."""
    name = text.strip()
    if len(name) <= 1:
        return MASK
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def mask_id(text: str) -> str:
    """A123456789 → A12****789: the first three and the last three characters stay."""
    value = text.strip()
    if len(value) <= 6:
        return STAR * len(value)
    return value[:3] + STAR * (len(value) - 6) + value[-3:]


def mask_phone(text: str) -> str:
    """0912-345-678 → 0912-***-678: digits but the first four and the last three hidden, layout kept."""
    digits = [index for index, character in enumerate(text) if character.isdigit()]
    if len(digits) <= 7:
        return "".join(STAR if character.isdigit() else character for character in text)
    hidden = set(digits[4:-3])
    return "".join(STAR if index in hidden else character for index, character in enumerate(text))


def mask_email(text: str) -> str:
    """wang.ming@example.com → w***@example.com."""
    local, at, domain = text.strip().partition("@")
    if not at:
        return mask_text(text)
    return (local[:1] or STAR) + STAR * 3 + "@" + domain


def mask_text(text: str) -> str:
    """Anything else: the first and last characters stay, the rest is hidden."""
    if len(text) <= 2:
        return MASK * len(text)
    return text[0] + MASK * (len(text) - 2) + text[-1]


MASKERS: dict[str, Callable[[str], str]] = {
    "name": mask_name,
    "id": mask_id,
    "phone": mask_phone,
    "email": mask_email,
    "text": mask_text,
}


# --------------------------------------------------------------------------- generalising

_CITY = re.compile(
    r"^(?:[臺台]北市|新北市|基隆市|桃園市|新竹[縣市]|苗栗縣|[臺台]中市|彰化縣|南投縣|雲林縣|嘉義[縣市]|[臺台]南市|"
    r"高雄市|屏東縣|宜蘭縣|花蓮縣|[臺台]東縣|澎湖縣|金門縣|連江縣)"
)
_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,3}?[區鄉鎮市](?![場民])")
_VILLAGE = re.compile(r"^[\u4e00-\u9fff]{1,3}?[村里](?!程)")


def generalise_address(text: str, level: str) -> str:
    """The address cut after its 縣市, 鄉鎮市區 or 村里; what cannot be placed is withheld.

    An address without the part asked for cannot be cut safely, so it becomes "(不詳)".
    """
    rest = text.strip()
    parts = []
    city = _CITY.match(rest)
    if city:
        parts.append(city.group(0).replace("台", "臺"))
        rest = rest[city.end() :]
    if level == "city":
        return parts[0] if parts else "(不詳)"
    district = _DISTRICT.match(rest)
    if not district:
        return "(不詳)"
    parts.append(district.group(0))
    rest = rest[district.end() :]
    if level == "district":
        return "".join(parts)
    village = _VILLAGE.match(rest)
    if not village:
        return "(不詳)"
    parts.append(village.group(0))
    return "".join(parts)


def generalise_date(text: str, level: str) -> str:
    """2026-11-26 → 2026-11 (month), 2026 (year) or 115 (ROC year)."""
    day = date.fromisoformat(text.strip()[:10])
    if level == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if level == "year":
        return f"{day.year:04d}"
    if level == "roc_year":
        return str(day.year - 1911)
    raise RuleError(f"not a date level: {level}")


def generalise_number(text: str, width: float) -> str:
    """37 with width 10 → "30-39"; 2.5 with width 0.5 → "2.5-3"."""
    if width <= 0:
        raise RuleError("the range width must be positive")
    value = float(text)
    low = math.floor(value / width) * width
    if float(width).is_integer() and float(low).is_integer():
        return f"{int(low)}-{int(low + width - 1)}"
    return f"{_plain(low)}-{_plain(low + width)}"


def _plain(number: float) -> str:
    """A number as text without a needless ".0", and never rounded."""
    return str(int(number)) if float(number).is_integer() and abs(number) < 1e15 else repr(float(number))


# --------------------------------------------------------------------------- pseudonyms, limits, counts


def pseudonymise(text: str, key: bytes) -> str:
    """A stable pseudonym of the value: 16 hex digits of HMAC-SHA256 under `key`."""
    if not key:
        raise RuleError("no pseudonym key")
    return hmac.new(key, text.strip().encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def top_code(text: str, limit: float) -> str:
    """Values above `limit` become `limit`."""
    return _plain(limit) if float(text) > limit else text


def bottom_code(text: str, limit: float) -> str:
    """Values below `limit` become `limit`."""
    return _plain(limit) if float(text) < limit else text


def suppress_small(text: str, threshold: int) -> str:
    """A count below `threshold` becomes "<threshold"; zero stays zero (it reveals no one)."""
    value = float(text)
    return f"<{threshold}" if 0 < value < threshold else text


REDACTION_LABELS = {
    "national_id": "[身分證號]",
    "resident_id": "[居留證號]",
    "phone": "[電話]",
    "email": "[電子郵件]",
    "card": "[卡號]",
    "address": "[地址]",
    "name": "[姓名]",
}


def redact(text: str) -> str:
    """Free text with every piece of personal data the scanner finds replaced by its kind."""
    findings = scan_text(text)
    if not findings:
        return text
    parts = []
    position = 0
    for finding in findings:
        if finding.start < position:
            continue  # overlapping findings: the first one already covered it
        parts.append(text[position : finding.start])
        parts.append(REDACTION_LABELS[finding.kind])
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


# --------------------------------------------------------------------------- building a field's rule

MEMO_SIZE = 20_000


def _memoised(function: Callable[[str], str]) -> Callable[[str], str]:
    """`function` remembering up to MEMO_SIZE results, for one release's run (free text repeats)."""
    memo: dict[str, str] = {}

    def remembered(text: str) -> str:
        result = memo.get(text)
        if result is None:
            result = function(text)
            if len(memo) < MEMO_SIZE:
                memo[text] = result
        return result

    return remembered


def published_type(field: dict[str, Any]) -> str | None:
    """The field's type once its rule applies; None when the field is dropped."""
    rule = (field.get("deid") or {}).get("rule", "keep")
    if rule == "drop":
        return None
    if rule in {"keep", "top_code", "bottom_code"}:
        return field["type"]
    return "string"


def make_rule(field: dict[str, Any], pseudonym_key: bytes) -> Callable[[str], str] | None:
    """The function a field's cells go through; None for keep (and for drop, which removes the field)."""
    spec = field.get("deid") or {}
    rule = spec.get("rule", "keep")
    if rule in {"keep", "drop"}:
        return None
    if rule == "mask":
        kind = spec.get("kind", "text")
        if kind not in MASKERS:
            raise RuleError(f"unknown mask kind {kind!r}")
        return MASKERS[kind]
    if rule == "generalise":
        level = spec.get("level")
        if level in {"city", "district", "village"}:
            return lambda text: generalise_address(text, level)
        if level in {"month", "year", "roc_year"}:
            return lambda text: generalise_date(text, level)
        if level == "range":
            width = float(spec.get("width", 10))
            if width <= 0:
                raise RuleError("the range width must be positive")
            return lambda text: generalise_number(text, width)
        raise RuleError(f"unknown generalisation level {level!r}")
    if rule == "pseudonymise":
        if not pseudonym_key:
            raise RuleError("no pseudonym key")
        return lambda text: pseudonymise(text, pseudonym_key)
    if rule == "top_code":
        limit = float(spec["limit"])
        return lambda text: top_code(text, limit)
    if rule == "bottom_code":
        limit = float(spec["limit"])
        return lambda text: bottom_code(text, limit)
    if rule == "suppress_small":
        threshold = int(spec.get("threshold", 3))
        return lambda text: suppress_small(text, threshold)
    if rule == "redact":
        return _memoised(redact)
    raise RuleError(f"unknown rule {rule!r}")
