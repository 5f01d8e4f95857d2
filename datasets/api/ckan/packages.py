"""CKAN's package documents and the actions on them: list, show, search; organizations, resources.

Datasets are CKAN packages named by their slug, offices are organizations, and each file
of the current release is a resource named `<slug>.<kind>`. `package_search` ranks by
relevance (`score`: a query word in a title counts most, in a keyword less, in a
description least), then by last change, unless `sort` says otherwise.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import url_for
from sqlalchemy import select

from datasets.api.ckan.arguments import (
    ActionError,
    bool_argument,
    int_argument,
    not_found,
    text_argument,
    validation_error,
)
from datasets.api.documents import DISTRIBUTION_KINDS, FORMAT_NAMES, distribution_id, download_url, iso
from datasets.api.rowquery import MAX_OFFSET
from datasets.catalogue import FREQUENCY_BY_KEY, LICENCE_BY_KEY
from datasets.models import Dataset
from datasets.services import search_datasets
from portal.db import db
from portal.i18n import _
from portal.offices.models import Office

SEARCH_MAX_ROWS = 1000


def _organization(office: Office | None, package_count: int | None = None) -> dict[str, Any] | None:
    if office is None:
        return None
    result = {
        "id": office.code,
        "name": office.code,
        "title": office.name_zh,
        "display_name": office.name_zh,
        "description": office.name_en,
        "type": "organization",
        "state": "active",
        "is_organization": True,
        "approval_status": "approved",
        "image_url": "",
        "created": None,
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def _resources(dataset: Dataset) -> list[dict[str, Any]]:
    release = dataset.current_release
    if release is None:
        return []
    resources = []
    for position, kind in enumerate(kind for kind in DISTRIBUTION_KINDS if kind in release.files):
        info = release.files[kind]
        resources.append(
            {
                "id": distribution_id(dataset, kind),
                "package_id": dataset.slug,
                "name": info["name"],
                "description": "",
                "format": FORMAT_NAMES[kind],
                "mimetype": info["media_type"],
                "url": download_url(dataset, release, kind),
                "size": info["size"],
                "hash": "sha256:" + info["sha256"],
                "position": position,
                "state": "active",
                "created": iso(release.created_at),
                "last_modified": iso(release.published_at),
                "datastore_active": kind == "csv",
                "url_type": None,
            }
        )
    return resources


def package(dataset: Dataset) -> dict[str, Any]:
    """A dataset as a CKAN package."""
    licence = LICENCE_BY_KEY.get(dataset.licence)
    frequency = FREQUENCY_BY_KEY.get(dataset.update_frequency)
    resources = _resources(dataset)
    release = dataset.current_release
    tags = [
        {"name": keyword, "display_name": keyword, "state": "active"} for keyword in dataset.keywords or []
    ]
    extras = [
        {"key": "title_en", "value": dataset.title_en},
        {"key": "notes_en", "value": dataset.description_en},
        {"key": "identifier", "value": dataset.identifier},
        {"key": "theme", "value": dataset.theme_code},
        {"key": "cake", "value": dataset.cake_code},
        {"key": "service", "value": dataset.service_code},
        {"key": "update_frequency", "value": frequency.iso if frequency else dataset.update_frequency},
        {"key": "cost", "value": dataset.cost},
        {"key": "release", "value": str(release.number) if release else ""},
    ]
    return {
        "id": dataset.slug,
        "name": dataset.slug,
        "title": dataset.title_zh,
        "notes": dataset.description_zh,
        "type": "dataset",
        "state": "active",
        "private": False,
        "author": dataset.office.name_zh if dataset.office else "",
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email or None,
        "license_id": dataset.licence,
        "license_title": licence.name_zh if licence else dataset.licence,
        "license_url": licence.url if licence else None,
        "metadata_created": iso(dataset.created_at),
        "metadata_modified": iso(release.published_at if release else dataset.updated_at),
        "url": url_for("datasets.dataset_page", slug=dataset.slug, _external=True),
        "version": str(release.number) if release else None,
        "owner_org": dataset.office.code if dataset.office else None,
        "organization": _organization(dataset.office),
        "tags": tags,
        "num_tags": len(tags),
        "groups": [],
        "extras": [extra for extra in extras if extra["value"]],
        "resources": resources,
        "num_resources": len(resources),
    }


def published_dataset(name: str) -> Dataset:
    """The published dataset named `name`; CKAN's Not Found Error otherwise."""
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == name, Dataset.published.is_(True)))
    if dataset is None:
        raise not_found(_("資料集"))
    return dataset


def package_list(arguments: dict[str, Any]) -> Any:
    """Names of every published dataset."""
    limit = int_argument(arguments, "limit", 1000, 1000)
    offset = int_argument(arguments, "offset", 0, MAX_OFFSET)
    query = select(Dataset.slug).where(Dataset.published.is_(True)).order_by(Dataset.slug)
    return list(db.session.scalars(query.limit(limit).offset(offset)))


def package_show(arguments: dict[str, Any]) -> Any:
    """One dataset, by name."""
    name = text_argument(arguments, "id") or text_argument(arguments, "name")
    if not name:
        raise validation_error("id", _("缺少資料集識別碼。"))
    return package(published_dataset(name))


FQ_TERM = re.compile(r'([A-Za-z_]+):(?:"([^"]*)"|(\S+))')
FQ_FIELDS = ("organization", "owner_org", "tags", "res_format", "name", "license_id")
SORTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "metadata_modified": lambda item: item["metadata_modified"] or "",
    "metadata_created": lambda item: item["metadata_created"] or "",
    "name": lambda item: item["name"],
    "title_string": lambda item: item["title"],
}


def _fq(text: str) -> list[tuple[str, str]]:
    terms = [(match[1], match[2] if match[2] is not None else match[3]) for match in FQ_TERM.finditer(text)]
    rest = FQ_TERM.sub("", text)
    if rest.replace("AND", "").strip(" +"):
        raise ActionError(409, "Search Query Error", _("無法解讀 fq：%(fq)s", fq=text[:100]))
    for field, _value in terms:
        if field not in FQ_FIELDS:
            raise ActionError(409, "Search Query Error", _("fq 不支援欄位 %(field)s。", field=field[:40]))
    return terms


def _matches(item: dict[str, Any], field: str, value: str) -> bool:
    if field in {"organization", "owner_org"}:
        return item["owner_org"] == value
    if field == "tags":
        return any(tag["name"] == value for tag in item["tags"])
    if field == "res_format":
        return any(resource["format"].lower() == value.lower() for resource in item["resources"])
    return str(item.get(field)) == value


def _facet(items: list[dict[str, Any]], field: str) -> dict[str, Any]:
    counter: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for item in items:
        if field in {"organization", "owner_org"} and item["organization"]:
            counter[item["owner_org"]] += 1
            titles[item["owner_org"]] = item["organization"]["title"]
        elif field == "tags":
            counter.update({tag["name"] for tag in item["tags"]})
        elif field == "res_format":
            counter.update({resource["format"] for resource in item["resources"]})
        elif field == "license_id":
            counter[item["license_id"]] += 1
    return {
        "title": field,
        "items": [
            {"name": name, "display_name": titles.get(name, name), "count": count}
            for name, count in counter.most_common()
        ],
    }


# How much a query word found in each part of a dataset adds to its score.
TITLE_WEIGHT = 8
KEYWORD_WEIGHT = 4
DESCRIPTION_WEIGHT = 1


def relevance(q: str, dataset: Any) -> int:
    """How well `dataset` matches `q`: each word found in a title counts most, in a keyword
    less, in a description least (CKAN's `score`, highest first by default)."""
    words = [word.casefold() for word in q.split() if word]
    titles = f"{dataset.title_zh or ''} {dataset.title_en or ''}".casefold()
    keywords = " ".join(dataset.keywords or []).casefold()
    descriptions = f"{dataset.description_zh or ''} {dataset.description_en or ''}".casefold()
    return sum(
        TITLE_WEIGHT * (word in titles)
        + KEYWORD_WEIGHT * (word in keywords)
        + DESCRIPTION_WEIGHT * (word in descriptions)
        for word in words
    )


def package_search(arguments: dict[str, Any]) -> Any:
    """Datasets matching `q` and `fq`, sorted (by relevance, then newest, unless `sort` says otherwise), paged, with facets."""
    q = text_argument(arguments, "q")
    if q in {"*:*", "*"}:
        q = ""
    rows = int_argument(arguments, "rows", 10, SEARCH_MAX_ROWS)
    start = int_argument(arguments, "start", 0, MAX_OFFSET)
    terms = _fq(text_argument(arguments, "fq", 500))
    facet_fields = arguments.get("facet.field") or "[]"
    if isinstance(facet_fields, str):
        try:
            facet_fields = json.loads(facet_fields)
        except ValueError:
            raise validation_error("facet.field", _("facet.field 必須是 JSON 陣列。")) from None
    if not isinstance(facet_fields, list) or not all(isinstance(field, str) for field in facet_fields):
        raise validation_error("facet.field", _("facet.field 必須是 JSON 陣列。"))
    sort_text = text_argument(arguments, "sort") or "score desc, metadata_modified desc"
    order = []
    for part in sort_text.split(","):
        words = part.split()
        if not words:
            continue
        if (
            (words[0] not in SORTS and words[0] != "score")
            or len(words) > 2
            or (len(words) == 2 and words[1].lower() not in {"asc", "desc"})
        ):
            raise ActionError(409, "Search Query Error", _("不支援的排序：%(sort)s", sort=part.strip()[:60]))
        order.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    found = list(db.session.scalars(search_datasets({"q": q})))
    scores = {dataset.slug: relevance(q, dataset) for dataset in found}
    sorts = {**SORTS, "score": lambda item: scores[item["name"]]}
    items = [package(dataset) for dataset in found]
    items = [item for item in items if all(_matches(item, field, value) for field, value in terms)]
    for field, descending in reversed(order):
        items.sort(key=sorts[field], reverse=descending)
    return {
        "count": len(items),
        "sort": sort_text,
        "results": items[start : start + rows],
        "facets": {
            field: {entry["name"]: entry["count"] for entry in _facet(items, field)["items"]}
            for field in facet_fields
        },
        "search_facets": {field: _facet(items, field) for field in facet_fields},
    }


def organization_list(arguments: dict[str, Any]) -> Any:
    """Offices that publish datasets: names, or whole records with `all_fields`."""
    all_fields = bool_argument(arguments, "all_fields", False)
    offices = list(db.session.scalars(select(Office).where(Office.active.is_(True)).order_by(Office.code)))
    counts = Counter(
        db.session.scalars(
            select(Dataset.office_id).where(Dataset.published.is_(True), Dataset.office_id.is_not(None))
        )
    )
    if all_fields:
        return [_organization(office, counts.get(office.id, 0)) for office in offices]
    return [office.code for office in offices]


def organization_show(arguments: dict[str, Any]) -> Any:
    """One office, by code."""
    name = text_argument(arguments, "id")
    office = db.session.scalar(select(Office).where(Office.code == name, Office.active.is_(True)))
    if office is None:
        raise not_found(_("單位"))
    count = len(
        list(
            db.session.scalars(
                select(Dataset.id).where(Dataset.office_id == office.id, Dataset.published.is_(True))
            )
        )
    )
    return _organization(office, count)


def resource_show(arguments: dict[str, Any]) -> Any:
    """One resource, by `<slug>.<kind>`."""
    slug, kind = resource_id_of(arguments)
    dataset = published_dataset(slug)
    for resource in _resources(dataset):
        if resource["id"] == f"{slug}.{kind}":
            return resource
    raise not_found(_("資源"))


def resource_id_of(arguments: dict[str, Any]) -> tuple[str, str]:
    """The dataset slug and file kind a `resource_id` (`<slug>.<kind>`) names."""
    resource_id = text_argument(arguments, "resource_id") or text_argument(arguments, "id")
    if not resource_id:
        raise validation_error("resource_id", _("缺少 resource_id。"))
    slug, _dot, kind = resource_id.rpartition(".")
    if not slug or kind not in DISTRIBUTION_KINDS:
        raise not_found(_("資源"))
    return slug, kind
