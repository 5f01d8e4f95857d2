"""What a visitor or a program asks the search for, read from the query string (pure).

Both the search page and `/api/v1/search` take the same parameters:

- `q` the words; `type` a kind of document (`search.models.KINDS`);
- `office` an office's code; `date_from` and `date_to` ISO dates (`YYYY-MM-DD`) from 1912 to 2099;
- `theme`, `administration`, `service` classification codes; `page` from 1.

`read_asking` returns the request, or the messages (lazily translated, one a parameter)
that say what to change. The query's own length and the order of the dates are the
service's to refuse (`search.services.SearchRefusedError`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.i18n import _l
from search.models import KINDS

FIRST_DAY = date(1912, 1, 1)  # 民國元年
LAST_DAY = date(2099, 12, 31)
# Longer than any query the service takes, so an over-long query reaches it and is refused there
# with its own message; anything longer than this is not read at all.
READ_LIMIT = 10_000
PAGE_LIMIT = 1_000
SCHEMES = ("theme", "administration", "service")
_CODE = re.compile(r"^[0-9A-Za-z]{1,10}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Asking:
    """One search as asked: every part already checked."""

    query: str = ""
    kind: str | None = None
    office: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    classification: dict[str, str] = field(default_factory=dict)
    page: int = 1

    @property
    def filtered(self) -> bool:
        """Whether anything beyond the words narrows the search."""
        return bool(self.kind or self.office or self.date_from or self.date_to or self.classification)


def _day(value: str, errors: dict[str, Any], name: str) -> date | None:
    if not value:
        return None
    if not _DAY.match(value):
        errors[name] = _l("日期請寫成 YYYY-MM-DD，例如 2026-12-01。")
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors[name] = _l("沒有這一天，請檢查日期。")
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        errors[name] = _l("日期須在 1912-01-01 到 2099-12-31 之間。")
        return None
    return day


def _page(value: str, errors: dict[str, Any]) -> int:
    if not value:
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= PAGE_LIMIT:
        errors["page"] = _l("頁碼須是 1 到 %(limit)d 的整數。", limit=PAGE_LIMIT)
        return 1
    return int(value)


def read_asking(args: Mapping[str, str]) -> tuple[Asking, dict[str, Any]]:
    """The search `args` ask for, and the messages by parameter for those that cannot be used."""
    errors: dict[str, Any] = {}
    query = (args.get("q") or "")[:READ_LIMIT]
    kind = (args.get("type") or "").strip() or None
    if kind is not None and kind not in KINDS:
        errors["type"] = _l("沒有這種資料類型。")
        kind = None
    office = (args.get("office") or "").strip().upper() or None
    if office is not None and not _CODE.match(office):
        errors["office"] = _l("沒有這個單位。")
        office = None
    classification: dict[str, str] = {}
    for scheme in SCHEMES:
        code = (args.get(scheme) or "").strip()
        if code and not _CODE.match(code):
            errors[scheme] = _l("沒有這個分類代碼。")
        elif code:
            classification[scheme] = code
    date_from = _day((args.get("date_from") or "").strip(), errors, "date_from")
    date_to = _day((args.get("date_to") or "").strip(), errors, "date_to")
    if date_from and date_to and date_from > date_to:
        errors["date_to"] = _l("結束日期不能早於起始日期。")
    asking = Asking(
        query=query,
        kind=kind,
        office=office,
        date_from=date_from,
        date_to=date_to,
        classification=classification,
        page=_page((args.get("page") or "").strip(), errors),
    )
    return asking, errors
