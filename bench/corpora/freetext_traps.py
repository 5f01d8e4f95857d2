"""Numbers that are not personal data but sit where personal data sits in a case note.

Case and document numbers, ROC and ISO dates, amounts, meter readings, water account
numbers (水號), postal codes, hotlines and toll-free numbers, quantities, pipe sizes,
times, payment references and business numbers. A scanner that marks any of them is
wrong; the corpus never marks them.
"""

from __future__ import annotations

import random
from collections.abc import Callable

_CN_DIGITS = "〇一二三四五六七八九"


def _d(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _roc_year(rng: random.Random) -> int:
    return rng.randint(108, 115)


def case_number(rng: random.Random) -> str:
    """A case number: ROC date plus serial, sometimes with an office prefix."""
    y, m, d = _roc_year(rng), rng.randint(1, 12), rng.randint(1, 28)
    serial = rng.randint(1, 9999)
    return rng.choice(
        (
            f"{y}{m:02d}{d:02d}-{serial:05d}",
            f"KL{y}{m:02d}{d:02d}{serial:04d}",
            f"{y}-KL-{serial:05d}",
            f"C{y}{m:02d}{serial:05d}",
            f"{y}{m:02d}{d:02d}{serial:05d}",
        )
    )


def document_number(rng: random.Random) -> str:
    """An official letter's number such as 台水一字第1130012345號."""
    issuer = rng.choice(("台水一字", "台水營字", "台水工字", "基府工字", "新北工水字", "經水字", "台水總字"))
    return f"{issuer}第{_roc_year(rng)}{_d(rng, 7)}號"


def roc_date(rng: random.Random) -> str:
    """A date in the ROC calendar, as forms and people write it."""
    y, m, d = _roc_year(rng), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(
        (
            f"{y}年{m}月{d}日",
            f"民國{y}年{m}月{d}日",
            f"{y}/{m:02d}/{d:02d}",
            f"{y}.{m:02d}.{d:02d}",
            f"{y}{m:02d}{d:02d}",
        )
    )


def iso_date(rng: random.Random) -> str:
    """A Gregorian date: ISO, slashed, compact or in Chinese."""
    y, m, d = _roc_year(rng) + 1911, rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(
        (f"{y}-{m:02d}-{d:02d}", f"{y}/{m:02d}/{d:02d}", f"{y}{m:02d}{d:02d}", f"{y}年{m}月{d}日")
    )


def date(rng: random.Random) -> str:
    """A date in either calendar, or a short month/day."""
    kind = rng.random()
    if kind < 0.45:
        return roc_date(rng)
    if kind < 0.85:
        return iso_date(rng)
    return f"{rng.randint(1, 12)}/{rng.randint(1, 28)}"


def amount(rng: random.Random) -> str:
    """A sum of money, with or without thousands separators and currency."""
    value = rng.choice((rng.randint(80, 999), rng.randint(1000, 9999), rng.randint(10000, 250000)))
    grouped = f"{value:,}"
    return rng.choice(
        (f"{grouped}元", f"新臺幣{grouped}元", f"NT$ {grouped}", f"NT${value}", f"{value} 元", f"${grouped}")
    )


def meter_reading(rng: random.Random) -> str:
    """A meter reading or a quantity of water used."""
    return rng.choice(
        (
            f"本期指針 {_d(rng, 5)}",
            f"讀數 {rng.randint(100, 99999)} 度",
            f"度數{_d(rng, 4)}",
            f"用水 {rng.randint(5, 120)} 度",
            f"指針由{rng.randint(1000, 5000)}跳到{rng.randint(5001, 9999)}",
        )
    )


def water_account(rng: random.Random) -> str:
    """A water account number (水號) in the form printed on the bill: 12-345678-9."""
    head = rng.randint(10, 88)
    return rng.choice((f"{head}-{_d(rng, 6)}-{_d(rng, 1)}", f"{head}{_d(rng, 6)}-{_d(rng, 1)}"))


def postal_code(rng: random.Random) -> str:
    """A Keelung or New Taipei postal code, three, five or six digits."""
    base = rng.choice((200, 201, 202, 203, 204, 205, 206, 207, 208, 220, 221, 222, 223, 224, 226, 227, 228))
    return rng.choice((str(base), f"{base}{_d(rng, 2)}", f"{base}{_d(rng, 3)}"))


def hotline(rng: random.Random) -> str:
    """A public service line: the water hotline, the city line, emergencies, or a toll-free number."""
    toll_free = _d(rng, 6)
    return rng.choice(
        (
            "1910",
            "1910",
            "1999",
            "119",
            f"0800-{toll_free[:3]}-{toll_free[3:]}",
            f"0800 {toll_free}",
            f"0800{toll_free}",
            "1910客服專線",
        )
    )


def households(rng: random.Random) -> str:
    """A count of households or meters."""
    return rng.choice(
        (
            f"{rng.randint(2, 40)} 戶",
            f"{rng.randint(2, 30)}戶",
            f"{rng.randint(1, 20)} 支水表",
            f"{rng.randint(12, 480)}戶",
        )
    )


def length(rng: random.Random) -> str:
    """A length of pipe or road."""
    return rng.choice(
        (
            f"約 {rng.randint(10, 900)} 公尺",
            f"{rng.randint(2, 60)}公尺",
            f"{rng.randint(1, 5)}.{rng.randint(1, 9)} 公里",
        )
    )


def volume(rng: random.Random) -> str:
    """A volume of water."""
    return rng.choice(
        (f"{rng.randint(5, 300)} 噸", f"{rng.randint(2, 90)}立方公尺", f"{rng.randint(100, 2000)} 公升")
    )


def duration(rng: random.Random) -> str:
    """A length of time."""
    return rng.choice(
        (f"{rng.randint(1, 12)} 小時", f"{rng.randint(2, 10)}天", f"{rng.randint(10, 50)} 分鐘", "一整天")
    )


def floor(rng: random.Random) -> str:
    """A floor of a building."""
    return rng.choice((f"{rng.randint(2, 15)}樓", f"{rng.randint(2, 15)} 樓", f"B{rng.randint(1, 3)}"))


def pipe_size(rng: random.Random) -> str:
    """A pipe diameter in the forms work orders use."""
    mm = rng.choice((20, 25, 40, 50, 80, 100, 150, 200, 300, 500))
    return rng.choice((f"管徑 {mm}mm", f"DN{mm}", f"φ{mm}", f"{mm}公厘", f"{rng.choice((1, 2, 3, 4, 6))} 吋"))


def clock_time(rng: random.Random) -> str:
    """A time of day or an opening-hours range."""
    h, m = rng.randint(0, 23), rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50))
    hour12 = h % 12 or 12
    return rng.choice(
        (
            f"{h:02d}:{m:02d}",
            f"{h}:{m:02d}",
            f"上午 {hour12}:{m:02d}" if h < 12 else f"下午 {hour12}:{m:02d}",
            f"下午{hour12}點{m}分",
            f"晚上{_CN_DIGITS[rng.randint(7, 9)]}點",
        )
    )


def opening_hours(rng: random.Random) -> str:
    """Office hours as a notice prints them."""
    return rng.choice(
        ("09:00-17:00", "週一至週五 8:30-17:30", "08:00~12:00、13:30~17:30", "上午8點到下午5點")
    )


def payment_reference(rng: random.Random) -> str:
    """A bill's payment reference (銷帳編號): fourteen digits starting with the ROC year."""
    return f"{_roc_year(rng)}{_d(rng, 11)}"


def business_number(rng: random.Random) -> str:
    """A company's unified business number (統一編號), eight digits."""
    return _d(rng, 8)


def card_expiry(rng: random.Random) -> str:
    """A card's expiry as printed: month/two-digit year."""
    return f"{rng.randint(1, 12):02d}/{rng.randint(26, 32)}"


TRAP_MAKERS: dict[str, Callable[[random.Random], str]] = {
    "CASE": case_number,
    "DOC": document_number,
    "DATE": date,
    "ROC": roc_date,
    "ISO": iso_date,
    "AMT": amount,
    "METER": meter_reading,
    "WATER": water_account,
    "ZIP": postal_code,
    "HOT": hotline,
    "QTY": households,
    "LEN": length,
    "VOL": volume,
    "DUR": duration,
    "FLOOR": floor,
    "PIPE": pipe_size,
    "TIME": clock_time,
    "HOURS": opening_hours,
    "BILL": payment_reference,
    "TAX": business_number,
    "EXP": card_expiry,
}
