"""Table schemas: inferred with frictionless, corrected for codes, edited by staff.

A schema is a Table Schema descriptor (`{"fields": [...], "primaryKey": [...]}`) whose
fields also carry `title_en`, `description_en`, `unit` and `index`. frictionless infers
`0900282669` as an integer and would drop the leading zero, so any integer or number
column with a value that starts with 0 (phone numbers, postal codes, account numbers)
is made a string.
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from portal.i18n import _, _l


def check_rules(schema: dict[str, Any]) -> list[str]:
    """The de-identification rules' problems (imported late: the rules use the scanner)."""
    from datasets.deid import check_rules as check

    return check(schema)


FIELD_TYPES: dict[str, Any] = {
    "string": _l("文字"),
    "integer": _l("整數"),
    "number": _l("數值"),
    "date": _l("日期"),
    "datetime": _l("日期時間"),
    "year": _l("年"),
    "boolean": _l("是非"),
}
NUMERIC_TYPES = {"integer", "number"}
_LEADING_ZERO = re.compile(r"^[+-]?0\d")
SAMPLE_ROWS = 10_000
FRICTIONLESS_SAMPLE = 2_000
# Columns worth an index in the query store: short codes, dates and numbers, a few at most.
MAX_INDEXES = 4


def _sample_rows(path: Path, limit: int) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [row for row in islice(reader, limit) if row]


def infer_schema(path: Path) -> dict[str, Any]:
    """A schema for the normalised CSV at `path`, from its first rows."""
    from frictionless import Detector, Resource

    header, rows = _sample_rows(path, SAMPLE_ROWS)
    # frictionless reads a smaller sample: its inference is slow, and the leading-zero rule
    # below looks at every sampled row anyway.
    resource = Resource(
        path=path.name, basepath=str(path.parent), detector=Detector(sample_size=FRICTIONLESS_SAMPLE)
    )
    resource.infer()
    inferred = {field.name: field.type for field in resource.schema.fields}
    fields = []
    for position, name in enumerate(header):
        field_type = inferred.get(name, "string")
        values = [row[position] for row in rows if position < len(row) and row[position] != ""]
        if field_type in NUMERIC_TYPES and any(_LEADING_ZERO.match(value) for value in values):
            field_type = "string"
        if field_type not in FIELD_TYPES:
            field_type = "string"  # time, duration, geopoint ...: kept as text
        field: dict[str, Any] = {"name": name, "type": field_type, "title": name}
        if values and len(values) == len(rows):
            field["constraints"] = {"required": True}
        longest = max((len(value) for value in values), default=0)
        distinct = len(set(values))
        field["index"] = field_type in {"date", "integer", "year"} or (
            field_type == "string" and longest <= 32 and distinct <= max(1000, len(rows) // 10)
        )
        fields.append(field)
    _limit_indexes(fields)
    return {"fields": fields}


def _limit_indexes(fields: list[dict[str, Any]]) -> None:
    chosen = 0
    for field in fields:
        if field.get("index") and chosen < MAX_INDEXES:
            chosen += 1
        else:
            field["index"] = False


def column_names(schema: dict[str, Any]) -> list[str]:
    """The field names of `schema`, in order."""
    return [field["name"] for field in schema.get("fields", [])]


def merge_schema(current: dict[str, Any] | None, inferred: dict[str, Any]) -> dict[str, Any]:
    """Keep what staff wrote about fields that still exist; take new fields as inferred."""
    if not current or not current.get("fields"):
        return inferred
    known = {field["name"]: field for field in current["fields"]}
    fields = [known.get(field["name"], field) for field in inferred["fields"]]
    merged = {"fields": fields}
    primary_key = [name for name in current.get("primaryKey", []) if name in known]
    if primary_key and set(primary_key) <= set(column_names(merged)):
        merged["primaryKey"] = primary_key
    return merged


def to_table_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as a standard Table Schema descriptor (for datapackage.json)."""
    fields = []
    for field in schema.get("fields", []):
        descriptor: dict[str, Any] = {"name": field["name"], "type": field["type"]}
        if field.get("title"):
            descriptor["title"] = field["title"]
        description = " / ".join(
            part for part in (field.get("description"), field.get("description_en")) if part
        )
        if field.get("unit"):
            description = f"{description} ({field['unit']})" if description else field["unit"]
        if description:
            descriptor["description"] = description
        constraints = {
            key: value
            for key, value in (field.get("constraints") or {}).items()
            if not (value is None or value == "" or value is False)
        }
        if constraints:
            descriptor["constraints"] = constraints
        fields.append(descriptor)
    table_schema: dict[str, Any] = {"fields": fields}
    if schema.get("primaryKey"):
        table_schema["primaryKey"] = list(schema["primaryKey"])
    return table_schema


def _bound(field_type: str, raw: str) -> Any:
    """A minimum or maximum typed like its field; raises ValueError when it cannot be."""
    if field_type in {"integer", "year"}:
        return int(raw)
    if field_type == "number":
        return float(raw)
    if field_type == "date":
        date.fromisoformat(raw)
        return raw
    if field_type == "datetime":
        datetime.fromisoformat(raw)
        return raw
    raise ValueError(raw)


_RULE_VALUE_KEY = {
    "generalise": "width",
    "top_code": "limit",
    "bottom_code": "limit",
    "suppress_small": "threshold",
}


def _deid_from_form(data: dict[str, Any]) -> dict[str, Any] | None:
    rule = data.get("deid_rule") or "keep"
    if rule == "keep":
        return None
    deid: dict[str, Any] = {"rule": rule}
    if rule == "mask":
        deid["kind"] = data.get("deid_kind") or "text"
    if rule == "generalise":
        deid["level"] = data.get("deid_level") or "district"
    value = (data.get("deid_value") or "").strip()
    key = _RULE_VALUE_KEY.get(rule)
    if key and value and (rule != "generalise" or deid["level"] == "range"):
        deid[key] = int(value) if key == "threshold" else float(value)
    elif rule in {"top_code", "bottom_code"}:
        deid["limit"] = None  # reported as a missing limit
    return deid


def schema_from_form(
    fields: list[dict[str, Any]], primary_key: list[str]
) -> tuple[dict[str, Any], dict[int, str]]:
    """A schema from the schema form's values, and problems by field position."""
    problems: dict[int, str] = {}
    result = []
    for position, data in enumerate(fields):
        field: dict[str, Any] = {
            "name": data["name"],
            "type": data["type"],
            "title": data["title"].strip(),
            "title_en": data["title_en"].strip(),
            "description": data["description"].strip(),
            "description_en": data["description_en"].strip(),
            "unit": data["unit"].strip(),
            "index": bool(data["index"]),
        }
        constraints: dict[str, Any] = {}
        if data["required"]:
            constraints["required"] = True
        for key in ("minimum", "maximum"):
            raw = (data.get(key) or "").strip()
            if raw:
                try:
                    constraints[key] = _bound(data["type"], raw)
                except ValueError:
                    problems[position] = _("「%(name)s」的最小值與最大值須符合欄位型別。", name=data["name"])
        if (data.get("max_length") or "").strip():
            constraints["maxLength"] = int(data["max_length"])
        if (data.get("pattern") or "").strip():
            constraints["pattern"] = data["pattern"].strip()
        if constraints:
            field["constraints"] = constraints
        deid = _deid_from_form(data)
        if deid:
            field["deid"] = deid
            problems_of_rule = check_rules({"fields": [field]})
            if problems_of_rule:
                problems[position] = _(
                    "「%(name)s」的去識別化規則不適用於這個欄位：%(problem)s",
                    name=data["name"],
                    problem=problems_of_rule[0],
                )
        result.append(field)
    _limit_indexes(result)
    schema: dict[str, Any] = {"fields": result}
    names = {field["name"] for field in result}
    if primary_key:
        schema["primaryKey"] = [name for name in primary_key if name in names]
    return schema, problems
