"""The parameters of Open311 requests, read and checked (pure).

`read_filters` reads GET requests' query: `service_request_id` (a comma list that
overrides every other filter), `service_code`, `start_date`, `end_date` and `status`,
with the specification's defaults (the last 90 days, at most 1,000 requests) and its
limit (a span of at most 90 days). `read_submission` reads POST requests' form. Both
return every problem at once, each a 400 with a description in the request's language;
an empty parameter counts as absent. The key, and whether a service code exists, are the
database's to check (`views.py`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from email_validator import EmailNotValidError, validate_email

from feedback.cases.numbers import normalise_case_number
from feedback.cases.open311.formats import TAIPEI, Problem
from portal.i18n import _l

MAX_SPAN = timedelta(days=90)
MAX_REQUESTS = 1000
MAX_IDS = 1000
DESCRIPTION_MAX = 4000
NAME_MAX = 60
PHONE_MAX = 30
EMAIL_MAX = 254
ADDRESS_MAX = 200
STATUSES = ("open", "closed")
# A tag, a comment, a declaration or a processing instruction: what HTML or XML markup looks like.
_MARKUP = re.compile(r"<\s*(?:/\s*)?[A-Za-z!?][^<>]*>")
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]*)\](?:\[\])?$")


@dataclass(frozen=True)
class Filters:
    """What GET requests asks for: the ids (overriding the rest), or codes, a window and statuses."""

    ids: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    limit: int = MAX_REQUESTS


@dataclass(frozen=True)
class Submission:
    """A POST requests' form, checked: what a case is opened with (the key and code not yet checked)."""

    service_code: str
    description: str
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    attributes: tuple[str, ...] = field(default=())


def value(params: Mapping[str, str], name: str) -> str:
    """A parameter's value without surrounding spaces; absent and empty are the same ("")."""
    return (params.get(name) or "").strip()


def _comma_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime | None:
    """An ISO 8601 date-time (Taipei time when it names no offset), or a date alone; None if neither.

    A date alone means the start of that day, or its last moment for an end (`end_of_day`),
    so `end_date=2026-01-31` includes the 31st.
    """
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        moment = time(23, 59, 59, 999999) if end_of_day else time(0)
        return datetime.combine(day, moment, tzinfo=TAIPEI)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?", text):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=TAIPEI)


def _window(params: Mapping[str, str], now: datetime, problems: list[Problem]) -> tuple[datetime, datetime]:
    """The window asked for: either end alone reaches 90 days to the other side; neither is the last 90 days."""
    start_text, end_text = value(params, "start_date"), value(params, "end_date")
    start = parse_moment(start_text) if start_text else None
    end = parse_moment(end_text, end_of_day=True) if end_text else None
    example = "2026-01-31T09:00:00+08:00"
    for name, text, parsed in (("start_date", start_text, start), ("end_date", end_text, end)):
        if text and parsed is None:
            problems.append(
                Problem(
                    400, _l("%(name)s 不是 ISO 8601 日期時間，例如 %(example)s。", name=name, example=example)
                )
            )
    if start is None and end is None:
        return now - MAX_SPAN, now
    if start is None:
        start = (end or now) - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if start > end:
        problems.append(Problem(400, _l("start_date 必須早於 end_date。")))
    elif end - start > MAX_SPAN:
        # Dates alone count whole days: 2026-01-01 to 2026-03-31 is 90 days, to 2026-04-01 is 91.
        problems.append(Problem(400, _l("查詢期間最多 %(days)d 天。", days=MAX_SPAN.days)))
    return start, end


def _ids(text: str, problems: list[Problem]) -> tuple[str, ...]:
    numbers: list[str] = []
    for part in _comma_list(text):
        number = normalise_case_number(part)
        if number is None:
            problems.append(
                Problem(400, _l("service_request_id「%(value)s」不是案件編號。", value=part[:40]))
            )
        else:
            numbers.append(number)
    if len(numbers) > MAX_IDS:
        problems.append(Problem(400, _l("一次最多查詢 %(max)d 個案件。", max=MAX_IDS)))
    return tuple(dict.fromkeys(numbers))


def read_filters(params: Mapping[str, str], now: datetime) -> tuple[Filters, list[Problem]]:
    """GET requests' filters and the problems found; `service_request_id` overrides the others."""
    problems: list[Problem] = []
    ids_text = value(params, "service_request_id")
    if ids_text:
        ids = _ids(ids_text, problems)
        return Filters(ids=ids, limit=MAX_IDS), problems
    statuses = tuple(status.lower() for status in _comma_list(value(params, "status")))
    if any(status not in STATUSES for status in statuses):
        problems.append(Problem(400, _l("status 只能是 open 或 closed（可用逗號分隔）。")))
    start, end = _window(params, now, problems)
    codes = _comma_list(value(params, "service_code"))
    return Filters(codes=codes, start=start, end=end, statuses=statuses), problems


def has_markup(text: str) -> bool:
    """Whether `text` holds HTML or XML markup (a tag, comment or declaration); `a < b` is not markup."""
    return _MARKUP.search(text) is not None


def _coordinates(params: Mapping[str, str], problems: list[Problem]) -> tuple[float | None, float | None]:
    lat_text, long_text = value(params, "lat"), value(params, "long")
    if not lat_text and not long_text:
        return None, None
    try:
        latitude, longitude = float(lat_text), float(long_text)
    except ValueError:
        latitude = longitude = math.nan
    if (
        not (math.isfinite(latitude) and math.isfinite(longitude))
        or abs(latitude) > 90
        or abs(longitude) > 180
    ):
        problems.append(
            Problem(400, _l("lat 與 long 須一起提供，且為十進位度數（緯度 -90 至 90，經度 -180 至 180）。"))
        )
        return None, None
    return latitude, longitude


def _location(params: Mapping[str, str], problems: list[Problem]) -> tuple[float | None, float | None, str]:
    latitude, longitude = _coordinates(params, problems)
    address = value(params, "address_string")
    if len(address) > ADDRESS_MAX:
        problems.append(
            Problem(400, _l("%(name)s 最多 %(max)d 個字。", name="address_string", max=ADDRESS_MAX))
        )
    given = latitude is not None or address or value(params, "lat") or value(params, "long")
    if not given and value(params, "address_id"):
        problems.append(
            Problem(400, _l("本處沒有地址代碼（address_id），請改用 lat 與 long 或 address_string。"))
        )
    elif not given:
        problems.append(Problem(400, _l("請提供位置：lat 與 long，或 address_string。")))
    return latitude, longitude, address


def _description(params: Mapping[str, str], problems: list[Problem]) -> str:
    description = value(params, "description")
    if not description:
        problems.append(Problem(400, _l("請提供 description，說明發生了什麼事、在哪裡。")))
    elif len(description) > DESCRIPTION_MAX:
        problems.append(
            Problem(400, _l("%(name)s 最多 %(max)d 個字。", name="description", max=DESCRIPTION_MAX))
        )
    elif has_markup(description):
        problems.append(Problem(400, _l("description 不能含有 HTML 或程式碼，請只寫文字。")))
    return description


def _contact(params: Mapping[str, str], problems: list[Problem]) -> dict[str, str]:
    limits = {"first_name": NAME_MAX, "last_name": NAME_MAX, "phone": PHONE_MAX, "email": EMAIL_MAX}
    contact = {name: value(params, name) for name in limits}
    for name, limit in limits.items():
        if len(contact[name]) > limit:
            problems.append(Problem(400, _l("%(name)s 最多 %(max)d 個字。", name=name, max=limit)))
    if contact["email"] and len(contact["email"]) <= EMAIL_MAX:
        try:
            contact["email"] = validate_email(contact["email"], check_deliverability=False).normalized
        except EmailNotValidError:
            problems.append(Problem(400, _l("email 不是有效的電子郵件地址。")))
    return contact


def read_submission(params: Mapping[str, str]) -> tuple[Submission | None, list[Problem]]:
    """POST requests' form, checked; None with every problem found when anything is wrong."""
    problems: list[Problem] = []
    code = value(params, "service_code")
    if not code:
        problems.append(Problem(400, _l("請提供 service_code（服務代碼，見 services）。")))
    latitude, longitude, address = _location(params, problems)
    description = _description(params, problems)
    contact = _contact(params, problems)
    attributes = tuple(match.group(1) for name in params if (match := _ATTRIBUTE.match(name)))
    for name in attributes:
        problems.append(
            Problem(400, _l("這個服務沒有屬性「%(name)s」（metadata 為 false）。", name=name[:40]))
        )
    if problems:
        return None, problems
    submission = Submission(
        service_code=code,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address=address,
        attributes=attributes,
        **contact,
    )
    return submission, []


def _plain(text: str) -> str:
    """臺 and 台 are both written: compare addresses with one of them."""
    return text.replace("台", "臺").replace(" ", "")


def district_in_address(address: str, districts: list[str]) -> str:
    """The known district (`基隆市信義區`) an address names, or "" when it names none or is ambiguous.

    The longest full name found wins; an address that leaves out the city (`信義區…`)
    counts only when one known district alone ends with what it names.
    """
    text = _plain(address)
    found = [name for name in districts if _plain(name) in text]
    if found:
        return max(found, key=len)
    by_part = [
        name
        for name in districts
        if (part := re.sub(r"^.+?[市縣]", "", _plain(name))) and text.startswith(part)
    ]
    return by_part[0] if len(by_part) == 1 else ""
