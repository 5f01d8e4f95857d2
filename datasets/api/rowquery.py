"""What a client asks of a release's rows, parsed and checked against the release's schema.

Both the REST API and the CKAN `datastore_search` action describe a query as a
`RowQuery`; `datasets.api.rowsql` turns it into SQL. Parsing is strict: an unknown
field, operator or parameter, a value that is not of the field's type, or a limit
beyond the documented maximum raises `QueryError`, which the API answers with a 400.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portal.i18n import _

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 100_000
MAX_SORT_FIELDS = 3
MAX_IN_VALUES = 100
MAX_VALUE_LENGTH = 200
MAX_Q_LENGTH = 100

OPERATORS = ("eq", "ne", "in", "gt", "gte", "lt", "lte", "contains", "null")
ORDERED_TYPES = {"integer", "number", "date", "datetime", "year", "string"}
RESERVED = ("q", "sort", "fields", "limit", "offset", "cursor", "count")


class QueryError(ValueError):
    """A query the API cannot run, with the parameter at fault and a message in the visitor's language."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Filter:
    """One condition on a field: `operator` applied with `value` (a list for `in`)."""

    field: str
    operator: str
    value: Any


@dataclass
class RowQuery:
    """A page (or an export) of a release's rows."""

    filters: list[Filter] = field(default_factory=list)
    q: str = ""
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    fields: list[str] = field(default_factory=list)  # empty: every field
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    cursor: str = ""
    count: bool = True

    def selection_key(self) -> str:
        """A digest of what selects and orders the rows (not the page): the count cache and cursors use it."""
        described = {
            "filters": [[item.field, item.operator, _jsonable(item.value)] for item in self.filters],
            "q": self.q,
            "sort": self.sort,
        }
        text = json.dumps(described, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def page_key(self) -> str:
        """Every part of the query in one text that no other query shares: the page cache and ETag key.

        JSON keeps each value whole, so a value holding `&` or `=` stays one value, and
        every value carries its type, so `1`, `1.0`, `"1"` and `true` never meet.
        """
        described = [
            [[item.field, item.operator, _tagged(item.value)] for item in self.filters],
            self.q,
            [[name, descending] for name, descending in self.sort],
            self.fields,
            self.limit,
            self.offset,
            self.cursor,
            self.count,
        ]
        return json.dumps(described, ensure_ascii=False, separators=(",", ":"))

    def count_key(self) -> str:
        """A digest of what decides the total: filters and `q`, not sort or page."""
        described = {
            "filters": sorted([item.field, item.operator, _jsonable(item.value)] for item in self.filters),
            "q": self.q,
        }
        text = json.dumps(described, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _tagged(value: Any) -> list[Any]:
    """A filter value with its type, for `page_key` (datetime before date: it is one)."""
    if isinstance(value, list):
        return ["list", [_tagged(item) for item in value]]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", value]
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, datetime):
        return ["datetime", value.isoformat()]
    if isinstance(value, date):
        return ["date", value.isoformat()]
    return ["str", str(value)]


def _jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


class Fields:
    """The fields of a release's schema, by name, with their types."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.names = [item["name"] for item in schema.get("fields", [])]
        self.types = {item["name"]: item.get("type", "string") for item in schema.get("fields", [])}

    def require(self, name: str, parameter: str) -> str:
        """The field `name`, or a QueryError naming `parameter`."""
        if name not in self.types:
            raise QueryError(parameter, _("沒有名為「%(name)s」的欄位。", name=name[:60]))
        return name


def coerce(value: Any, field_type: str, parameter: str) -> Any:
    """A value of the field's type from a query-string text (or a JSON value), or a QueryError."""
    if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
        raise QueryError(parameter, _("條件值太長，最多 %(count)d 個字。", count=MAX_VALUE_LENGTH))
    try:
        return _coerce(value, field_type)
    except (ValueError, TypeError, OverflowError):
        raise QueryError(parameter, _type_message(field_type)) from None


def _coerce(value: Any, field_type: str) -> Any:
    if field_type == "string":
        if isinstance(value, bool) or value is None or isinstance(value, list | dict):
            raise ValueError(value)
        return str(value)
    if field_type in {"integer", "year"}:
        if isinstance(value, bool):
            raise ValueError(value)
        number = int(value.strip()) if isinstance(value, str) else int(value)
        if isinstance(value, float) and number != value:
            raise ValueError(value)
        if not -(2**63) <= number < 2**63:
            raise OverflowError(value)
        return number
    if field_type == "number":
        if isinstance(value, bool):
            raise ValueError(value)
        real = float(value)
        if real != real or real in {float("inf"), float("-inf")}:
            raise ValueError(value)
        return real
    if field_type == "boolean":
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in {"true", "1", "yes", "是"}:
            return True
        if lowered in {"false", "0", "no", "否"}:
            return False
        raise ValueError(value)
    if field_type == "date":
        return date.fromisoformat(str(value).strip())
    if field_type == "datetime":
        return datetime.fromisoformat(str(value).strip())
    raise ValueError(field_type)


def _type_message(field_type: str) -> str:
    messages = {
        "integer": _("這個欄位是整數，請填整數，例如 42。"),
        "year": _("這個欄位是年份，請填西元年，例如 2024。"),
        "number": _("這個欄位是數值，請填數字，例如 3.5。"),
        "boolean": _("這個欄位是是非值，請填 true 或 false。"),
        "date": _("這個欄位是日期，請用 YYYY-MM-DD 格式，例如 2024-05-01。"),
        "datetime": _("這個欄位是日期時間，請用 ISO 8601 格式，例如 2024-05-01T08:30:00。"),
    }
    return messages.get(field_type, _("這個值不符合欄位的型別。"))


def make_filter(fields: Fields, name: str, operator: str, raw: Any, parameter: str) -> Filter:
    """A checked `Filter` for `name operator raw`."""
    fields.require(name, parameter)
    field_type = fields.types[name]
    if operator not in OPERATORS:
        raise QueryError(
            parameter,
            _("不支援的條件「%(op)s」；可用：%(ops)s。", op=operator[:20], ops=", ".join(OPERATORS)),
        )
    if operator == "null":
        return Filter(name, "null", coerce(raw, "boolean", parameter))
    if operator == "contains":
        if field_type != "string":
            raise QueryError(parameter, _("「contains」只能用在文字欄位。"))
        text = coerce(raw, "string", parameter)
        if not text:
            raise QueryError(parameter, _("「contains」需要至少一個字。"))
        return Filter(name, operator, text)
    if operator in {"gt", "gte", "lt", "lte"} and field_type not in ORDERED_TYPES:
        raise QueryError(parameter, _("這個欄位不能比較大小。"))
    if operator == "in":
        values = raw if isinstance(raw, list) else _split_list(raw)
        if not values:
            raise QueryError(parameter, _("「in」需要至少一個值。"))
        if len(values) > MAX_IN_VALUES:
            raise QueryError(parameter, _("「in」最多 %(count)d 個值。", count=MAX_IN_VALUES))
        return Filter(name, operator, [coerce(value, field_type, parameter) for value in values])
    return Filter(name, operator, coerce(raw, field_type, parameter))


def _split_list(raw: Any) -> list[str]:
    if not isinstance(raw, str):
        raise QueryError("in", _("「in」的值請用逗號分隔。"))
    return [part for part in raw.split(",") if part != ""]


def parse_int(raw: str | None, parameter: str, default: int, maximum: int, minimum: int = 0) -> int:
    """A whole number parameter within bounds, or a QueryError that says the bounds."""
    if raw is None or raw == "":
        return default
    try:
        number = int(str(raw).strip())
    except ValueError:
        raise QueryError(parameter, _("「%(name)s」必須是整數。", name=parameter)) from None
    if number < minimum or number > maximum:
        raise QueryError(
            parameter,
            _(
                "「%(name)s」必須介於 %(low)d 與 %(high)d 之間。",
                name=parameter,
                low=minimum,
                high=maximum,
            ),
        )
    return number


def parse_sort(fields: Fields, text: str, parameter: str = "sort") -> list[tuple[str, bool]]:
    """`a,-b` (REST) or `a, b desc` (CKAN) as [(field, descending)]."""
    order: list[tuple[str, bool]] = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        descending = False
        if part.startswith("-"):
            descending, part = True, part[1:].strip()
        else:
            words = part.rsplit(" ", 1)
            if len(words) == 2 and words[1].lower() in {"asc", "desc"}:
                part, descending = words[0].strip(), words[1].lower() == "desc"
        name = fields.require(part, parameter)
        if fields.types[name] == "boolean":
            raise QueryError(parameter, _("是非值欄位不能排序。"))
        if any(existing == name for existing, _descending in order):
            raise QueryError(parameter, _("同一個欄位只能排序一次。"))
        order.append((name, descending))
    if len(order) > MAX_SORT_FIELDS:
        raise QueryError(parameter, _("最多依 %(count)d 個欄位排序。", count=MAX_SORT_FIELDS))
    return order


def parse_fields(fields: Fields, names: Iterable[str], parameter: str = "fields") -> list[str]:
    """The chosen fields, checked, in the order given, without repeats."""
    chosen: list[str] = []
    for name in names:
        name = name.strip()
        if name and name not in chosen:
            chosen.append(fields.require(name, parameter))
    return chosen


def parse_q(raw: str | None) -> str:
    """The full-text search words (at most MAX_Q_LENGTH characters)."""
    text = (raw or "").strip()
    if len(text) > MAX_Q_LENGTH:
        raise QueryError("q", _("搜尋字詞最多 %(count)d 個字。", count=MAX_Q_LENGTH))
    return text


def parse_rest(args: Mapping[str, Any], schema: Mapping[str, Any]) -> RowQuery:
    """A RowQuery from the REST API's query string (`args` is a MultiDict or a dict of lists)."""
    fields = Fields(schema)
    query = RowQuery()
    getlist = args.getlist if hasattr(args, "getlist") else lambda key: list(args.get(key, []))
    for parameter in args:
        values = getlist(parameter)
        if parameter in RESERVED:
            if len(values) > 1:
                raise QueryError(parameter, _("「%(name)s」只能給一次。", name=parameter))
            continue
        name, operator = parameter, "eq"
        if "__" in parameter:
            head, _sep, tail = parameter.rpartition("__")
            if head:
                name, operator = head, tail
        for value in values:
            query.filters.append(make_filter(fields, name, operator, value, parameter))
    single = {key: (getlist(key) or [None])[0] for key in RESERVED}
    query.q = parse_q(single["q"])
    query.sort = parse_sort(fields, single["sort"] or "")
    query.fields = parse_fields(fields, (single["fields"] or "").split(","))
    query.limit = parse_int(single["limit"], "limit", DEFAULT_LIMIT, MAX_LIMIT)
    query.offset = parse_int(single["offset"], "offset", 0, MAX_OFFSET)
    query.cursor = (single["cursor"] or "").strip()
    if query.cursor and query.offset:
        raise QueryError("cursor", _("「cursor」與「offset」不能同時使用。"))
    if single["count"] not in (None, ""):
        query.count = coerce(single["count"], "boolean", "count")
    return query
