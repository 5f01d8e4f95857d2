"""Phone numbers, payment cards, identity numbers and e-mail addresses as people type them.

Phone numbers use Taiwan's real numbering: mobiles are 09 plus eight digits; landlines
keep each area code's own subscriber length (02 and 04 Taichung: eight digits; 03, 04
Changhua, 049, 05, 06, 07 and 08: seven; 037, 082 and 089: six; 0836: five). Each number
is written in one of the domestic or international forms seen in case notes and web
forms. Cards are Luhn-valid Visa, Mastercard (51-55 and 2221-2720) and JCB (3528-3589)
numbers; identity numbers carry the Ministry of the Interior's check digit.
"""

from __future__ import annotations

import random
from collections.abc import Callable

_words = str.split  # the lists below are written as space-separated text

_MOBILE_BLOCKS = tuple(f"9{n:02d}" for n in (*range(10, 40), 52, 53, 55, 56, 58, *range(60, 90)))

# (area code without the trunk 0, subscriber length, subscriber prefixes in use, weight)
_AREAS = (
    ("2", 8, ("242", "243", "245", "246", "249", "264", "269", "27", "25", "23", "28", "29", "22", "86"), 60),
    ("3", 7, ("93", "95", "96", "33", "35", "42", "85"), 10),
    ("37", 6, ("2", "3", "4", "7"), 3),
    ("4", 8, ("22", "23", "24", "25", "26"), 5),
    ("4", 7, ("72", "76", "83"), 2),
    ("49", 7, ("22", "23", "29"), 2),
    ("5", 7, ("22", "27", "53", "58", "63"), 3),
    ("6", 7, ("20", "23", "25", "27", "92"), 4),
    ("7", 7, ("33", "55", "62", "71", "81"), 5),
    ("8", 7, ("73", "75", "83"), 2),
    ("89", 6, ("3",), 1),
    ("82", 6, ("3",), 1),
    ("836", 5, ("2",), 1),
)

# Each area code with its subscriber length, for checking a written number.
AREA_LENGTHS = tuple((code, length) for code, length, _, _ in _AREAS)

_EXTENSIONS = ("#{n}", " #{n}", " 分機 {n}", "分機{n}", " 轉 {n}", "轉{n}", " ext. {n}", " ext {n}")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _mobile_forms(m: str) -> list[str]:
    """Every way the mobile 0 + `m` (nine digits) is written here."""
    a, b, c = m[:3], m[3:6], m[6:]
    return [
        f"0{m}",
        f"0{a}-{b}-{c}",
        f"0{a} {b} {c}",
        f"0{a}-{b}{c}",
        f"0{a} {b}{c}",
        f"09 {m[1:5]} {m[5:]}",
        f"09-{m[1:5]}-{m[5:]}",
        f"0{a}.{b}.{c}",
    ]


def _mobile_international(m: str) -> list[str]:
    a, b, c = m[:3], m[3:6], m[6:]
    return [
        f"+886 {a} {b} {c}",
        f"+886-{a}-{b}-{c}",
        f"+886{m}",
        f"(+886) {m}",
        f"(+886){a}-{b}-{c}",
        f"(886) {a}-{b}-{c}",
        f"+886 (0){a} {b} {c}",
        f"+886(0){m}",
        f"886{m}",
        f"886-{a}-{b}-{c}",
        f"00886 {a} {b} {c}",
        f"00886{m}",
        f"+886 0{a}-{b}-{c}",
        f"+886 {a}-{b}{c}",
    ]


def _landline_forms(ac: str, s: str) -> list[str]:
    """Domestic forms of the landline 0`ac` `s`."""
    head, tail = (s[:4], s[4:]) if len(s) == 8 else (s[:3], s[3:])
    forms = [
        f"(0{ac}){head}-{tail}",
        f"(0{ac}) {head}-{tail}",
        f"0{ac}-{head}-{tail}",
        f"0{ac} {head} {tail}",
    ]
    forms += [f"0{ac}-{s}", f"(0{ac}){s}", f"0{ac} {s}", f"0{ac}{s}", f"(0{ac}) {head} {tail}"]
    return forms


def _landline_international(ac: str, s: str) -> list[str]:
    head, tail = (s[:4], s[4:]) if len(s) == 8 else (s[:3], s[3:])
    return [
        f"+886-{ac}-{head}-{tail}",
        f"+886 {ac} {head} {tail}",
        f"+886(0){ac} {head} {tail}",
        f"+886 (0){ac}-{head}-{tail}",
        f"886-{ac}-{head}-{tail}",
        f"886{ac}{s}",
        f"(886) {ac}-{head}-{tail}",
        f"(+886) {ac} {s}",
        f"00886-{ac}-{s}",
        f"00886 {ac} {head} {tail}",
        f"+886{ac}{s}",
        f"+886-{ac}-{s}",
    ]


def mobile(rng: random.Random, international: bool | None = None) -> str:
    """A mobile number; international None picks the form at random (about one in three abroad)."""
    m = rng.choice(_MOBILE_BLOCKS) + _digits(rng, 6)
    if international is None:
        international = rng.random() < 0.35
    return rng.choice(_mobile_international(m) if international else _mobile_forms(m))


def landline(rng: random.Random, international: bool | None = None) -> str:
    """A landline number with a real area code and that area's subscriber length."""
    ac, length, prefixes, _ = rng.choices(_AREAS, weights=[area[3] for area in _AREAS])[0]
    prefix = rng.choice(prefixes)
    s = prefix + _digits(rng, length - len(prefix))
    if international is None:
        international = rng.random() < 0.3
    return rng.choice(_landline_international(ac, s) if international else _landline_forms(ac, s))


def phone(rng: random.Random) -> str:
    """A mobile (three in five) or a landline, domestic or international."""
    return mobile(rng) if rng.random() < 0.6 else landline(rng)


def extension(rng: random.Random) -> str:
    """An extension as written after a switchboard number: '#123', ' 分機 12', '轉8'."""
    return rng.choice(_EXTENSIONS).format(n=rng.choice((_digits(rng, 1), _digits(rng, 2), _digits(rng, 3))))


def luhn_ok(digits: str) -> bool:
    """True when `digits` passes the Luhn check that card numbers carry."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable: one check digit always fits")


def card_digits(rng: random.Random) -> str:
    """Sixteen Luhn-valid digits of a Visa, Mastercard or JCB card."""
    brand = rng.choices(("visa", "mc", "mc2", "jcb"), weights=(50, 25, 8, 17))[0]
    prefix = {
        "visa": "4",
        "mc": str(rng.randint(51, 55)),
        "mc2": str(rng.randint(2221, 2720)),
        "jcb": str(rng.randint(3528, 3589)),
    }[brand]
    return _luhn_complete(prefix + _digits(rng, 15 - len(prefix)))


def card(rng: random.Random) -> str:
    """A card number written plain, in fours with spaces, or in fours with dashes."""
    digits = card_digits(rng)
    groups = [digits[i : i + 4] for i in range(0, 16, 4)]
    return rng.choices((digits, " ".join(groups), "-".join(groups)), weights=(4, 4, 2))[0]


# Letter codes of the Ministry of the Interior's identity numbers.
_LETTER_CODES = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))
# Keelung (C), New Taipei (F) and Taipei (A) most, then the rest of Taiwan.
_ID_LETTERS = "CCCCFFFFFAAAAHJKEGBDNPQTUVWXZMI"


def id_checksum_ok(number: str) -> bool:
    """True for a well-formed national ID or new-style resident certificate number."""
    if len(number) != 10 or number[0] not in _LETTER_CODES or not number[1:].isdigit():
        return False
    code = _LETTER_CODES[number[0]]
    weights = (8, 7, 6, 5, 4, 3, 2, 1, 1)
    total = code // 10 + (code % 10) * 9 + sum(int(d) * w for d, w in zip(number[1:], weights, strict=True))
    return total % 10 == 0


def national_id(rng: random.Random, resident: bool = False, female: bool | None = None) -> str:
    """A national ID (second character 1 for men, 2 for women) or a 2021-style resident certificate (8 or 9)."""
    letter = rng.choice(_ID_LETTERS)
    sexes = "89" if resident else "12"
    sex = rng.choice(sexes) if female is None else sexes[int(female)]
    body = letter + sex + _digits(rng, 7)
    for check in "0123456789":
        if id_checksum_ok(body + check):
            return body + check
    raise AssertionError("unreachable: one check digit always fits")


_MAIL_NAMES = _words("""
chen lin huang chang lee wang wu liu tsai yang hsu cheng hsieh kuo hung tseng chiu liao lai chou
yating yichun shuhui meiling chihming chienkuo kuoqiang hsuan yuting peiyu chunhung weilun
tingyu jiahao kaiwen shufen hsiuying yuhsuan chiahui minghsien tzuhan yiting wenhsiung
""")
_MAIL_DOMAINS = ("gmail.com", "yahoo.com.tw", "hotmail.com", "outlook.com", "msa.hinet.net", "ms1.hinet.net")


def email(rng: random.Random) -> str:
    """A personal mailbox in the spellings Taiwanese users pick (romanised names, birthdays)."""
    first, second = rng.sample(_MAIL_NAMES, 2)
    local = rng.choice(
        (
            f"{first}.{second}",
            f"{first}{second}",
            f"{first}_{second}{rng.randint(1, 99)}",
            f"{first}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
            f"{second}{rng.randint(1960, 2008)}",
        )
    )
    return f"{local}@{rng.choice(_MAIL_DOMAINS)}"


SPAN_MAKERS: dict[str, tuple[str, Callable[[random.Random], str]]] = {
    "P": ("phone", phone),
    "PM": ("phone", lambda rng: mobile(rng, international=False)),
    "PI": ("phone", lambda rng: mobile(rng, True) if rng.random() < 0.6 else landline(rng, True)),
    "PL": ("phone", lambda rng: landline(rng, international=False)),
    "C": ("card", card),
    "E": ("email", email),
}
