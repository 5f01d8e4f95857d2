"""Catalogue rules that are pure functions: update frequencies, due dates, licences, code tables."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from portal.i18n import _l


@dataclass(frozen=True)
class Frequency:
    """How often a dataset is updated; `months`/`days` give the step to the next due date."""

    key: str
    label: object
    label_zh: str  # the wording data.gov.tw uses
    iso: str  # ISO 8601 / DCAT accrualPeriodicity
    months: int = 0
    days: int = 0


FREQUENCIES: tuple[Frequency, ...] = (
    Frequency("daily", _l("每日"), "每日", "R/P1D", days=1),
    Frequency("weekly", _l("每週"), "每週", "R/P1W", days=7),
    Frequency("monthly", _l("每月"), "每月", "R/P1M", months=1),
    Frequency("quarterly", _l("每季"), "每季", "R/P3M", months=3),
    Frequency("half_yearly", _l("每半年"), "每半年", "R/P6M", months=6),
    Frequency("yearly", _l("每年"), "每年", "R/P1Y", months=12),
    Frequency("irregular", _l("不定期"), "不定期", "irregular"),
    Frequency("never", _l("不更新"), "不更新", "never"),
)
FREQUENCY_BY_KEY = {frequency.key: frequency for frequency in FREQUENCIES}


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the last day of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due_date(last_update: date, frequency_key: str) -> date | None:
    """When the next release is due after one on `last_update`; None when there is no schedule."""
    frequency = FREQUENCY_BY_KEY.get(frequency_key)
    if frequency is None or not (frequency.months or frequency.days):
        return None
    if frequency.months:
        return add_months(last_update, frequency.months)
    return last_update + timedelta(days=frequency.days)


def is_overdue(next_due: date | None, today: date) -> bool:
    """Whether a release due on `next_due` is late on `today`."""
    return next_due is not None and next_due < today


@dataclass(frozen=True)
class Licence:
    """A licence a dataset may be published under."""

    key: str
    name_zh: str
    name_en: str
    url: str


LICENCES: tuple[Licence, ...] = (
    Licence(
        "OGDL-Taiwan-1.0",
        "政府資料開放授權條款－第1版",
        "Open Government Data License, version 1.0",
        "https://data.gov.tw/license",
    ),
    Licence(
        "CC-BY-4.0",
        "創用CC 姓名標示 4.0 國際",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    Licence(
        "CC0-1.0",
        "CC0 1.0 公眾領域貢獻宣告",
        "CC0 1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
)
LICENCE_BY_KEY = {licence.key: licence for licence in LICENCES}

PROVISION_TYPES = ("原始資料", "加值服務", "其他")
