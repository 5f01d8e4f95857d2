"""Source tables for the publishing benchmark, of any width, written without the site's code.

Every width mixes the kinds of column a branch's exports have, in this order and then
again with a numbered suffix: an account code with leading zeros, a date, a district
(Chinese category), an amount (decimal, some empty), a short free-text note (some
empty), an integer, a kind of case (Chinese category), a case number, a meter reading
(integer), a state (Chinese category), a closing date (some empty) and a volume
(decimal). Five columns are the first five kinds, twelve all of them once, thirty two
and a half rounds. Notes are put together from phrases, about a tenth with a count in
them, so that most are repeated and some unique, as in real case notes.

The personal-data table (`write_personal`) has names, identity numbers (their check
digit computed here), phones and addresses; `PERSONAL_FIELDS` are its rules.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from pathlib import Path

# The district and state vocabulary is the rows benchmark's: both are written apart from the site.
from bench.rows_data import DISTRICTS, STATES

KINDS = ("水壓不足", "漏水報修", "水質疑義", "水費疑義", "用水申請", "表位遷移", "停水通知")
OPENINGS = ("用戶反映", "民眾來電表示", "巡查發現", "里辦公處通報", "現場查看", "經派員檢查", "依施工計畫")
MIDDLES = (
    "夜間水壓偏低",
    "路面有漏水情形",
    "水表玻璃破損",
    "自來水有異味",
    "水費較上期增加",
    "管線老舊需汰換",
    "施工後水色混濁",
    "消防栓遭車輛撞損",
)
ENDINGS = ("，已完成修復", "，已派員處理", "，已電話說明", "，列入追蹤", "，已轉工務課", "，待排程施工")

Cell = Callable[[random.Random, int], str]


def _account(generator: random.Random, _number: int) -> str:
    return f"00{generator.randrange(10**8):08d}"


def _date(generator: random.Random, number: int) -> str:
    return f"{2020 + number % 6}-{1 + generator.randrange(12):02d}-{1 + generator.randrange(28):02d}"


def _closing_date(generator: random.Random, number: int) -> str:
    return "" if generator.random() < 0.1 else _date(generator, number)


def _amount(generator: random.Random, _number: int) -> str:
    return "" if generator.random() < 0.03 else f"{generator.random() * 5000:.2f}"


def _volume(generator: random.Random, _number: int) -> str:
    return f"{generator.random() * 80:.3f}"


def _note(generator: random.Random, _number: int) -> str:
    if generator.random() < 0.15:
        return ""
    text = generator.choice(OPENINGS) + generator.choice(MIDDLES) + generator.choice(ENDINGS)
    if generator.random() < 0.1:
        text += f"，影響約{generator.randrange(1, 500)}戶"
    return text


def _days(generator: random.Random, _number: int) -> str:
    return str(generator.randrange(30))


def _reading(generator: random.Random, _number: int) -> str:
    return "" if generator.random() < 0.02 else str(generator.randrange(100_000))


def _case_no(_generator: random.Random, number: int) -> str:
    return f"C{2020 + number % 6}{number:09d}"


def _choice(values: tuple[str, ...]) -> Cell:
    return lambda generator, _number: generator.choice(values)


COLUMN_KINDS: tuple[tuple[str, Cell], ...] = (
    ("account_no", _account),
    ("received", _date),
    ("district", _choice(DISTRICTS)),
    ("amount", _amount),
    ("note", _note),
    ("days", _days),
    ("kind", _choice(KINDS)),
    ("case_no", _case_no),
    ("meter_reading", _reading),
    ("state", _choice(STATES)),
    ("closed", _closing_date),
    ("volume", _volume),
)


def columns(width: int) -> list[tuple[str, Cell]]:
    """The first `width` columns: the kinds in order, again with _2, _3 ... after the first round."""
    chosen = []
    for position in range(width):
        name, cell = COLUMN_KINDS[position % len(COLUMN_KINDS)]
        round_number = position // len(COLUMN_KINDS)
        chosen.append((f"{name}_{round_number + 1}" if round_number else name, cell))
    return chosen


def write_table(path: Path, rows: int, width: int) -> None:
    """A CSV of `rows` rows and `width` columns of mixed kinds (the same file for the same arguments)."""
    generator = random.Random(rows * 100 + width)
    chosen = columns(width)
    cells = [cell for _name, cell in chosen]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([name for name, _cell in chosen])
        for number in range(rows):
            writer.writerow([cell(generator, number) for cell in cells])


SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = "志明美玲淑芬家豪怡君俊傑雅婷建宏佳穎冠宇欣怡宗翰惠如"
ROADS = ("中正路", "信二路", "愛三路", "基金一路", "大同路二段", "明燈路三段")
PERSONAL_FIELDS = [
    {"name": "case_no", "type": "string"},
    {"name": "received", "type": "date"},
    {"name": "applicant", "type": "string", "deid": {"rule": "mask", "kind": "name"}},
    {"name": "national_id", "type": "string", "deid": {"rule": "drop"}},
    {"name": "phone", "type": "string", "deid": {"rule": "mask", "kind": "phone"}},
    {"name": "address", "type": "string", "deid": {"rule": "generalise", "level": "district"}},
    {"name": "district", "type": "string"},
    {"name": "kind", "type": "string"},
    {"name": "state", "type": "string"},
    {"name": "days", "type": "integer"},
    {"name": "amount", "type": "number"},
    {"name": "note", "type": "string", "deid": {"rule": "redact"}},
]
# Letter values of the identity number's first character (the published algorithm).
_LETTER_VALUES = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def _identity_number(generator: random.Random) -> str:
    letter = generator.choice("ACEH")
    body = generator.choice("12") + f"{generator.randrange(10**7):07d}"
    tens, units = divmod(_LETTER_VALUES[letter], 10)
    weighted = (
        tens
        + 9 * units
        + sum(int(digit) * weight for digit, weight in zip(body, range(8, 0, -1), strict=True))
    )
    return f"{letter}{body}{(10 - weighted % 10) % 10}"


def write_personal(path: Path, rows: int) -> None:
    """A 12-column CSV of complaints with personal data in five columns."""
    generator = random.Random(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([field["name"] for field in PERSONAL_FIELDS])
        for number in range(rows):
            phone = f"09{generator.randrange(10, 90)}-{generator.randrange(1000):03d}-{generator.randrange(1000):03d}"
            district = generator.choice(DISTRICTS)
            note = _note(generator, number) or generator.choice(MIDDLES)
            if generator.random() < 0.2:
                note = f"{note}，請回電 {phone}"
            writer.writerow(
                [
                    _case_no(generator, number),
                    _date(generator, number),
                    generator.choice(SURNAMES) + generator.choice(GIVEN) + generator.choice(GIVEN),
                    _identity_number(generator),
                    phone,
                    f"基隆市{district}{generator.choice(ROADS)}{generator.randrange(1, 400)}號",
                    district,
                    generator.choice(KINDS),
                    generator.choice(STATES),
                    _days(generator, number),
                    f"{generator.random() * 5000:.2f}",
                    note,
                ]
            )
