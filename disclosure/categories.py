"""The ten categories of 政府資訊公開法 §7, fixed by the Act, and when each is out of date (pure).

Each category has its number in §7 (1–10), a slug for its address, its name and a short
explanation in both languages, and a review period: a category with no document, or
none dated or updated within its review period, is flagged on the staff dashboard. The
periods follow how often each kind of document changes (contracts and minutes monthly
or quarterly; budgets and plans once a year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.i18n import _l


@dataclass(frozen=True)
class Category:
    """One §7 category."""

    number: int
    slug: str
    name: Any  # lazily translated
    explanation: Any
    review_months: int


CATEGORIES: tuple[Category, ...] = (
    Category(
        1,
        "regulations",
        _l("法規命令及地方自治法規"),
        _l("本處業務適用的法律、法規命令與自治法規，例如自來水法及其施行細則、營業章程。"),
        12,
    ),
    Category(
        2,
        "interpretations",
        _l("解釋性規定及裁量基準"),
        _l("為統一解釋法令、認定事實及行使裁量權所訂的規定與基準，例如漏水減免的認定基準。"),
        12,
    ),
    Category(
        3,
        "organisation",
        _l("組織、職掌及聯絡方式"),
        _l("本處及各服務所的組織、職掌、地址、電話、傳真、網址與電子郵件信箱。"),
        6,
    ),
    Category(
        4,
        "guidance",
        _l("行政指導文書"),
        _l("本處為實現行政目的，以輔導、協助、勸告、建議等方式對特定對象所發的文書。"),
        12,
    ),
    Category(
        5,
        "plans-and-statistics",
        _l("施政計畫、業務統計及研究報告"),
        _l("年度服務計畫與施政計畫、供水及營業統計、委託或自行辦理的研究報告。"),
        6,
    ),
    Category(
        6,
        "budgets",
        _l("預算及決算書"),
        _l("經立法程序通過的年度預算書與決算書。"),
        12,
    ),
    Category(
        7,
        "petitions-and-appeals",
        _l("請願之處理結果及訴願之決定"),
        _l("民眾請願的處理結果，以及訴願案件的決定書（已去除個人資料）。"),
        6,
    ),
    Category(
        8,
        "contracts",
        _l("公共工程及採購契約"),
        _l("書面的公共工程及採購契約，例如管線汰換工程與水表採購。"),
        3,
    ),
    Category(
        9,
        "subsidies",
        _l("支付或接受之補助"),
        _l("本處支付或接受的補助，包括對象、金額與用途。"),
        6,
    ),
    Category(
        10,
        "minutes",
        _l("合議制機關之會議紀錄"),
        _l("委員會等合議制組織的會議紀錄。"),
        3,
    ),
)

BY_SLUG = {category.slug: category for category in CATEGORIES}
BY_NUMBER = {category.number: category for category in CATEGORIES}


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has no such day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def is_current(category: Category, last_update: date | None, today: date) -> bool:
    """Whether a category whose newest document is of `last_update` is within its review period."""
    return last_update is not None and last_update > months_before(today, category.review_months)
