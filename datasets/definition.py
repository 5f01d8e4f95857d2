"""Datasets defined in YAML files, in the style of a Frictionless Data Package.

    name: water-quality                # the dataset's address (slug)
    title: 水質檢驗結果
    title_en: Water quality results
    description: ...
    description_en: ...
    keywords: [水質, 餘氯]
    classification: {theme: "760", cake: "E30", service: "E00"}
    office: KL                         # publishing office's code
    contact: {name: 王小明, phone: (02) 2425-2103, email: ...}
    update_frequency: monthly          # daily, weekly, monthly, quarterly, half_yearly, yearly, irregular, never
    licence: OGDL-Taiwan-1.0
    cost: 免費
    temporal: {start: 2024-01-01, end: 2026-10-31}
    identifier: ""                     # data.gov.tw 資料集識別碼, once known
    related_url: https://...
    notes: ...
    schema:                            # Table Schema, with title_en, description_en, unit, index, deid
      fields:
        - {name: sampling_point, type: string, title: 採樣點, title_en: Sampling point, constraints: {required: true}}
        - {name: reporter_phone, type: string, title: 通報人電話, deid: {rule: mask, kind: phone}}
      primaryKey: [sampling_point, sampled_on]
    privacy: {quasi_identifiers: [district, age_band], k: 5}

`load_definition()` checks a file and returns the dataset's values; `apply_definition()`
creates or updates the dataset.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from datasets.catalogue import FREQUENCY_BY_KEY, LICENCE_BY_KEY
from datasets.deid import check_rules
from datasets.models import Dataset
from datasets.schema import FIELD_TYPES
from portal.db import db
from portal.offices.models import Office
from portal.text import control_position

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
FIELD_NAME_LIMIT = 100


class DefinitionError(ValueError):
    """A definition file that cannot be used; the message lists every problem."""


def _check_text(value: Any, where: str, problems: list[str], *, multiline: bool = False) -> None:
    """Note a control character in a text value (the rule every staff form applies, `portal.text`)."""
    position = control_position(str(value or ""), multiline=multiline)
    if position is None:
        return
    if multiline:
        problems.append(f"{where}: a control character other than a line break or tab (character {position})")
    else:
        problems.append(
            f"{where}: one line of text, without line breaks, tabs or other control characters (character {position})"
        )


def _date(value: Any, where: str, problems: list[str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: not a date (YYYY-MM-DD): {value!r}")
        return None


def check_schema(schema: Any, problems: list[str]) -> dict[str, Any]:
    """A cleaned copy of a schema, with problems appended for whatever is wrong."""
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not schema["fields"]:
        problems.append("schema.fields: a list of at least one field is required")
        return {"fields": []}
    fields = []
    seen: set[str] = set()
    for position, field in enumerate(schema["fields"], start=1):
        where = f"schema.fields[{position}]"
        if not isinstance(field, dict) or not str(field.get("name") or "").strip():
            problems.append(f"{where}: a name is required")
            continue
        name = str(field["name"]).strip()
        if name in seen:
            problems.append(f"{where}: the name {name!r} is used twice")
        seen.add(name)
        field_type = field.get("type", "string")
        if field_type not in FIELD_TYPES:
            problems.append(f"{where}: unknown type {field_type!r} (one of {', '.join(FIELD_TYPES)})")
        constraints = field.get("constraints") or {}
        if not isinstance(constraints, dict):
            problems.append(f"{where}.constraints: must be a mapping")
            constraints = {}
        if constraints.get("pattern"):
            try:
                re.compile(str(constraints["pattern"]))
            except re.error as error:
                problems.append(f"{where}.constraints.pattern: {error}")
        cleaned = {
            "name": name[:FIELD_NAME_LIMIT],
            "type": field_type,
            "title": str(field.get("title") or name),
            "title_en": str(field.get("title_en") or ""),
            "description": str(field.get("description") or ""),
            "description_en": str(field.get("description_en") or ""),
            "unit": str(field.get("unit") or ""),
            "index": bool(field.get("index", False)),
        }
        for key in ("name", "title", "title_en", "description", "description_en", "unit"):
            _check_text(field.get(key), f"{where}.{key}", problems)
        if constraints:
            cleaned["constraints"] = constraints
        if field.get("deid"):
            if isinstance(field["deid"], dict):
                cleaned["deid"] = dict(field["deid"])
            else:
                problems.append(f"{where}.deid: a mapping such as {{rule: mask, kind: phone}}")
        fields.append(cleaned)
    result: dict[str, Any] = {"fields": fields}
    problems.extend(f"schema.fields: {problem}" for problem in check_rules(result))
    primary_key = schema.get("primaryKey") or []
    if isinstance(primary_key, str):
        primary_key = [primary_key]
    unknown = [name for name in primary_key if name not in seen]
    if unknown:
        problems.append(f"schema.primaryKey: no such field {', '.join(unknown)}")
    elif primary_key:
        result["primaryKey"] = list(primary_key)
    return result


def _mapping(
    document: dict[str, Any], name: str, keys: tuple[str, ...], problems: list[str]
) -> dict[str, Any]:
    """The mapping under `name` (empty when absent); anything else is a problem, named with its keys."""
    value = document.get(name) or {}
    if isinstance(value, dict):
        return value
    problems.append(f"{name}: a mapping with {', '.join(keys)} (found {type(value).__name__} {value!r:.40})")
    return {}


def _privacy(document: dict[str, Any], values: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """The quasi-identifiers and k, checked against the schema's fields."""
    privacy = document.get("privacy") or {}
    if not isinstance(privacy, dict):
        problems.append("privacy: a mapping with quasi_identifiers and k")
        privacy = {}
    quasi_identifiers = privacy.get("quasi_identifiers") or []
    if not isinstance(quasi_identifiers, list):
        problems.append("privacy.quasi_identifiers: a list of field names")
        quasi_identifiers = []
    known = {field["name"] for field in values.get("table_schema", {}).get("fields", [])}
    unknown = [name for name in quasi_identifiers if known and name not in known]
    if unknown:
        problems.append(f"privacy.quasi_identifiers: no such field {', '.join(map(str, unknown))}")
    k = privacy.get("k", 5)
    if not isinstance(k, int) or not 2 <= k <= 1000:
        problems.append("privacy.k: a whole number from 2 to 1000")
        k = 5
    return {"quasi_identifiers": [str(name) for name in quasi_identifiers], "k_anonymity": k}


def load_definition(path: Path) -> dict[str, Any]:
    """Read and check a definition file; raises DefinitionError listing every problem."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise DefinitionError(f"cannot read {path}: {error}") from error
    if not isinstance(document, dict):
        raise DefinitionError("the file must hold a mapping of dataset properties")
    problems: list[str] = []
    slug = str(document.get("name") or "")
    if not SLUG.match(slug):
        problems.append(
            "name: 2 to 80 lower-case letters, digits and hyphens, starting with a letter or digit"
        )
    if not str(document.get("title") or "").strip():
        problems.append("title: required")
    frequency = document.get("update_frequency", "monthly")
    if frequency not in FREQUENCY_BY_KEY:
        problems.append(f"update_frequency: one of {', '.join(FREQUENCY_BY_KEY)}")
    licence = document.get("licence", "OGDL-Taiwan-1.0")
    if licence not in LICENCE_BY_KEY:
        problems.append(f"licence: one of {', '.join(LICENCE_BY_KEY)}")
    classification = _mapping(document, "classification", ("theme", "cake", "service"), problems)
    contact = _mapping(document, "contact", ("name", "phone", "email"), problems)
    temporal = _mapping(document, "temporal", ("start", "end"), problems)
    keywords = document.get("keywords") or []
    if not isinstance(keywords, list):
        problems.append("keywords: a list")
        keywords = []
    office_code = document.get("office")
    office_id = None
    if office_code:
        office_id = db.session.scalar(select(Office.id).where(Office.code == str(office_code)))
        if office_id is None:
            problems.append(f"office: no office with code {office_code!r}")
    values = {
        "slug": slug,
        "title_zh": str(document.get("title") or "").strip(),
        "title_en": str(document.get("title_en") or "").strip(),
        "description_zh": str(document.get("description") or "").strip(),
        "description_en": str(document.get("description_en") or "").strip(),
        "keywords": [str(keyword).strip() for keyword in keywords if str(keyword).strip()],
        "theme_code": str(classification.get("theme") or ""),
        "cake_code": str(classification.get("cake") or ""),
        "service_code": str(classification.get("service") or ""),
        "office_id": office_id,
        "contact_name": str(contact.get("name") or ""),
        "contact_phone": str(contact.get("phone") or ""),
        "contact_email": str(contact.get("email") or ""),
        "update_frequency": frequency,
        "licence": licence,
        "cost": str(document.get("cost") or "免費"),
        "temporal_start": _date(temporal.get("start"), "temporal.start", problems),
        "temporal_end": _date(temporal.get("end"), "temporal.end", problems),
        "identifier": str(document.get("identifier") or ""),
        "related_url": str(document.get("related_url") or ""),
        "notes": str(document.get("notes") or ""),
        "provision_type": str(document.get("provision_type") or "原始資料"),
    }
    _check_values(values, problems)
    if "schema" in document:
        values["table_schema"] = check_schema(document["schema"], problems)
    values |= _privacy(document, values, problems)
    if problems:
        raise DefinitionError("\n".join(problems))
    return values


# Where each value comes from in the file, for the problems listed.
_ONE_LINE_KEYS = {
    "title_zh": "title",
    "title_en": "title_en",
    "theme_code": "classification.theme",
    "cake_code": "classification.cake",
    "service_code": "classification.service",
    "contact_name": "contact.name",
    "contact_phone": "contact.phone",
    "contact_email": "contact.email",
    "cost": "cost",
    "identifier": "identifier",
    "related_url": "related_url",
    "provision_type": "provision_type",
}
_MULTILINE_KEYS = {"description_zh": "description", "description_en": "description_en", "notes": "notes"}


def _check_values(values: dict[str, Any], problems: list[str]) -> None:
    for key, where in _ONE_LINE_KEYS.items():
        _check_text(values[key], where, problems)
    for key, where in _MULTILINE_KEYS.items():
        _check_text(values[key], where, problems, multiline=True)
    for position, keyword in enumerate(values["keywords"], start=1):
        _check_text(keyword, f"keywords[{position}]", problems)


def apply_definition(values: dict[str, Any]) -> tuple[Dataset, bool]:
    """Create the dataset or update the one with the same name; returns it and whether it is new."""
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == values["slug"]))
    created = dataset is None
    if dataset is None:
        dataset = Dataset(slug=values["slug"], keywords=[], table_schema={})
        db.session.add(dataset)
    for key, value in values.items():
        setattr(dataset, key, value)
    db.session.flush()
    return dataset, created
