"""CKAN's Action API, the part harvesters and `ckanapi` use, at `/api/3/action/<name>` (and `/api/action/`).

Answers keep CKAN's envelope, `{"help", "success", "result"}`, and its error types
("Not Found Error" 404, "Validation Error" 409, "Search Query Error" 409,
"Authorization Error" 403), so CKAN clients work unchanged. Actions take their
arguments from the query string (GET) or a JSON body (POST). Datasets are CKAN
packages named by their slug, offices are organizations, and each file of the current
release is a resource named `<slug>.<kind>`; `datastore_search` reads the current
release's rows.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from datasets.api import count_cache, rowsql
from datasets.api.documents import DISTRIBUTION_KINDS, FORMAT_NAMES, distribution_id, download_url, iso
from datasets.api.export import json_value
from datasets.api.releases import rows_source
from datasets.api.rowquery import (
    MAX_LIMIT,
    MAX_OFFSET,
    Fields,
    QueryError,
    RowQuery,
    make_filter,
    parse_fields,
    parse_int,
    parse_q,
    parse_sort,
)
from datasets.catalogue import FREQUENCY_BY_KEY, LICENCE_BY_KEY
from datasets.models import Dataset
from datasets.services import search_datasets
from portal.db import db
from portal.i18n import _
from portal.offices.models import Office
from portal.security import csrf

bp = Blueprint("ckan_api", __name__)
csrf.exempt(bp)  # read-only actions; no cookie is ever trusted here

CKAN_TYPES = {
    "string": "text",
    "integer": "int",
    "year": "int",
    "number": "numeric",
    "date": "date",
    "datetime": "timestamp",
    "boolean": "bool",
}
SEARCH_MAX_ROWS = 1000
TABULAR_KINDS = ("csv", "json", "ods")


class ActionError(Exception):
    """An action's failure in CKAN's terms."""

    def __init__(
        self, status: int, kind: str, message: str, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.fields = fields or {}


def _not_found(what: str) -> ActionError:
    return ActionError(404, "Not Found Error", _("找不到%(what)s。", what=what))


def _help_url(action: str) -> str:
    return url_for("ckan_api.action", name="help_show", _external=True) + f"?name={action}"


def _envelope(action: str, result: Any) -> Response:
    return jsonify({"help": _help_url(action), "success": True, "result": result})


def _failure(action: str, error: ActionError) -> Response:
    body: dict[str, Any] = {"__type": error.kind, "message": error.message}
    body.update(error.fields)
    response = jsonify({"help": _help_url(action), "success": False, "error": body})
    response.status_code = error.status
    return response


def _arguments() -> dict[str, Any]:
    if request.method == "POST":
        if request.mimetype == "application/json" or request.data.strip().startswith(b"{"):
            try:
                body = json.loads(request.get_data() or b"{}")
            except (ValueError, UnicodeDecodeError):
                raise ActionError(400, "Bad request", _("要求內容不是有效的 JSON。")) from None
            if not isinstance(body, dict):
                raise ActionError(400, "Bad request", _("要求內容必須是 JSON 物件。"))
            return body
        return request.form.to_dict()
    arguments: dict[str, Any] = {}
    for key in request.args:
        values = request.args.getlist(key)
        arguments[key] = values[0] if len(values) == 1 else values
    return arguments


def _validation(field: str, message: str) -> ActionError:
    return ActionError(409, "Validation Error", message, {field: [message]})


def _int(arguments: dict[str, Any], name: str, default: int, maximum: int) -> int:
    value = arguments.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _validation(name, _("必須是整數。"))
    try:
        return parse_int(str(value), name, default, maximum)
    except QueryError as error:
        raise _validation(name, error.message) from None


def _bool(arguments: dict[str, Any], name: str, default: bool) -> bool:
    value = arguments.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise _validation(name, _("必須是 true 或 false。"))


def _text(arguments: dict[str, Any], name: str, maximum: int = 200) -> str:
    value = arguments.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _validation(name, _("必須是文字。"))
    if len(value) > maximum:
        raise _validation(name, _("太長了，最多 %(count)d 個字。", count=maximum))
    return value.strip()


# The catalogue in CKAN's shapes.


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


def _published(name: str) -> Dataset:
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == name, Dataset.published.is_(True)))
    if dataset is None:
        raise _not_found(_("資料集"))
    return dataset


# Actions.


def package_list(arguments: dict[str, Any]) -> Any:
    """Names of every published dataset."""
    limit = _int(arguments, "limit", 1000, 1000)
    offset = _int(arguments, "offset", 0, MAX_OFFSET)
    query = select(Dataset.slug).where(Dataset.published.is_(True)).order_by(Dataset.slug)
    return list(db.session.scalars(query.limit(limit).offset(offset)))


def package_show(arguments: dict[str, Any]) -> Any:
    """One dataset, by name."""
    name = _text(arguments, "id") or _text(arguments, "name")
    if not name:
        raise _validation("id", _("缺少資料集識別碼。"))
    return package(_published(name))


FQ_TERM = re.compile(r'([A-Za-z_]+):(?:"([^"]*)"|(\S+))')
FQ_FIELDS = ("organization", "owner_org", "tags", "res_format", "name", "license_id")
SORTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "metadata_modified": lambda item: item["metadata_modified"] or "",
    "metadata_created": lambda item: item["metadata_created"] or "",
    "name": lambda item: item["name"],
    "title_string": lambda item: item["title"],
    "score": lambda item: 0,
}


def _fq(text: str) -> list[tuple[str, str]]:
    terms = []
    rest = FQ_TERM.sub(
        lambda match: terms.append((match[1], match[2] if match[2] is not None else match[3])) or "", text
    )
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


def package_search(arguments: dict[str, Any]) -> Any:
    """Datasets matching `q` and `fq`, sorted, paged, with facets."""
    q = _text(arguments, "q")
    if q in {"*:*", "*"}:
        q = ""
    rows = _int(arguments, "rows", 10, SEARCH_MAX_ROWS)
    start = _int(arguments, "start", 0, MAX_OFFSET)
    terms = _fq(_text(arguments, "fq", 500))
    facet_fields = arguments.get("facet.field") or "[]"
    if isinstance(facet_fields, str):
        try:
            facet_fields = json.loads(facet_fields)
        except ValueError:
            raise _validation("facet.field", _("facet.field 必須是 JSON 陣列。")) from None
    if not isinstance(facet_fields, list) or not all(isinstance(field, str) for field in facet_fields):
        raise _validation("facet.field", _("facet.field 必須是 JSON 陣列。"))
    sort_text = _text(arguments, "sort") or "score desc, metadata_modified desc"
    order = []
    for part in sort_text.split(","):
        words = part.split()
        if not words:
            continue
        if (
            words[0] not in SORTS
            or len(words) > 2
            or (len(words) == 2 and words[1].lower() not in {"asc", "desc"})
        ):
            raise ActionError(409, "Search Query Error", _("不支援的排序：%(sort)s", sort=part.strip()[:60]))
        order.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    items = [package(dataset) for dataset in db.session.scalars(search_datasets({"q": q}))]
    items = [item for item in items if all(_matches(item, field, value) for field, value in terms)]
    for field, descending in reversed(order):
        items.sort(key=SORTS[field], reverse=descending)
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
    all_fields = _bool(arguments, "all_fields", False)
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
    name = _text(arguments, "id")
    office = db.session.scalar(select(Office).where(Office.code == name, Office.active.is_(True)))
    if office is None:
        raise _not_found(_("單位"))
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
    slug, kind = _resource_id(arguments)
    dataset = _published(slug)
    for resource in _resources(dataset):
        if resource["id"] == f"{slug}.{kind}":
            return resource
    raise _not_found(_("資源"))


def _resource_id(arguments: dict[str, Any]) -> tuple[str, str]:
    resource_id = _text(arguments, "resource_id") or _text(arguments, "id")
    if not resource_id:
        raise _validation("resource_id", _("缺少 resource_id。"))
    slug, _dot, kind = resource_id.rpartition(".")
    if not slug or kind not in DISTRIBUTION_KINDS:
        raise _not_found(_("資源"))
    return slug, kind


def _without_row_order(sort: str) -> str:
    """`sort` without trailing `_id` (ascending) terms, which change nothing: rows always end in
    source order, the order `_id` numbers them in.

    Only whole terms go, so a field such as `outage_id` stays; an `_id` term that would
    change the order (`_id desc`, or `_id` before another field) is left for `parse_sort`
    to refuse rather than being silently ignored.
    """
    parts = sort.split(",")
    while parts and [word.lower() for word in parts[-1].split()] in ([], ["_id"], ["_id", "asc"]):
        parts.pop()
    return ",".join(parts)


def _datastore_query(arguments: dict[str, Any], fields: Fields) -> RowQuery:
    query = RowQuery()
    filters = arguments.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            raise _validation("filters", _("filters 必須是 JSON 物件。")) from None
    if not isinstance(filters, dict):
        raise _validation("filters", _("filters 必須是 JSON 物件。"))
    try:
        for name, value in filters.items():
            if isinstance(value, list):
                query.filters.append(make_filter(fields, name, "in", value, "filters"))
            elif isinstance(value, dict) or value is None:
                raise QueryError("filters", _("filters 的值必須是文字、數字或陣列。"))
            else:
                query.filters.append(make_filter(fields, name, "eq", value, "filters"))
        q = arguments.get("q") or ""
        if isinstance(q, dict):
            for name, text in q.items():
                query.filters.append(make_filter(fields, name, "contains", text, "q"))
        elif isinstance(q, str):
            query.q = parse_q(q)
        else:
            raise QueryError("q", _("q 必須是文字或 JSON 物件。"))
        chosen = arguments.get("fields") or ""
        if isinstance(chosen, str):
            chosen = chosen.split(",")
        if not isinstance(chosen, list) or not all(isinstance(name, str) for name in chosen):
            raise QueryError("fields", _("fields 必須是欄位名稱的清單。"))
        query.fields = parse_fields(fields, [name for name in chosen if name.strip() != "_id"])
        sort = arguments.get("sort") or ""
        if not isinstance(sort, str):
            raise QueryError("sort", _("sort 必須是文字，例如「日期 desc」。"))
        query.sort = parse_sort(fields, _without_row_order(sort))
    except QueryError as error:
        raise _validation(error.parameter, error.message) from None
    query.limit = _int(arguments, "limit", 100, MAX_LIMIT)
    query.offset = _int(arguments, "offset", 0, MAX_OFFSET)
    query.count = _bool(arguments, "include_total", True)
    return query


def datastore_search(arguments: dict[str, Any]) -> Any:
    """Rows of the current release behind a tabular resource."""
    slug, kind = _resource_id(arguments)
    if kind not in TABULAR_KINDS:
        raise _not_found(_("資料表"))
    try:
        source = rows_source(slug)
    except NotFound:  # no such dataset, or it has no release yet
        raise _not_found(_("資源")) from None
    target = source.target
    query = _datastore_query(arguments, target.fields)
    connection = db.session.connection()
    page = rowsql.fetch_page(connection, target, query, None)
    names = page.names
    records = [
        {"_id": row_id, **{name: json_value(value) for name, value in zip(names, row, strict=True)}}
        for row_id, row in zip(page.row_ids, page.rows, strict=True)
    ]
    resource_id = f"{slug}.{kind}"
    base = url_for("ckan_api.action", name="datastore_search")
    result: dict[str, Any] = {
        "resource_id": resource_id,
        "fields": [{"id": "_id", "type": "int"}]
        + [{"id": name, "type": CKAN_TYPES.get(target.fields.types[name], "text")} for name in names],
        "records": records,
        "limit": query.limit,
        "offset": query.offset,
        "include_total": query.count,
        "records_format": "objects",
        "_links": {
            "start": f"{base}?resource_id={resource_id}",
            "next": f"{base}?resource_id={resource_id}&offset={query.offset + query.limit}",
        },
    }
    if query.count:
        result["total"] = count_cache.cached_total(
            target.cache_key, query.count_key(), lambda: rowsql.count(connection, target, query)
        )
        result["total_was_estimated"] = False
    return result


def status_show(arguments: dict[str, Any]) -> Any:
    """What this site is, as CKAN clients ask for it."""
    return {
        "site_title": _("開放資料"),
        "site_url": url_for("web.home", _external=True).rstrip("/"),
        "site_description": "",
        "ckan_version": "2.10.0",
        "locale_default": "zh_Hant_TW",
        "extensions": ["datastore"],
    }


def help_show(arguments: dict[str, Any]) -> Any:
    """The documentation of an action."""
    name = _text(arguments, "name")
    if name not in ACTIONS:
        raise _not_found(_("這個動作"))
    return ACTIONS[name].__doc__


ACTIONS: dict[str, Callable[[dict[str, Any]], Any]] = {
    function.__name__: function
    for function in (
        package_list,
        package_show,
        package_search,
        organization_list,
        organization_show,
        resource_show,
        datastore_search,
        status_show,
        help_show,
    )
}


@bp.route("/api/3/action/<name>", methods=["GET", "POST"])
@bp.route("/api/action/<name>", methods=["GET", "POST"])
def action(name: str) -> Response:
    """Run a CKAN action."""
    function = ACTIONS.get(name)
    try:
        if function is None:
            raise ActionError(400, "Bad request", _("不支援的動作：%(name)s", name=name[:60]))
        return _envelope(name, function(_arguments()))
    except ActionError as error:
        db.session.rollback()
        return _failure(name, error)
