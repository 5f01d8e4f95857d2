"""The CKAN Action API, driven by the real `ckanapi` client over an in-process `requests` transport.

Expectations come from the database (the catalogue) or from `api_dataset.rows` (the
datastore), never from the API's own answers.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import ckanapi
import pytest
from flask import Flask
from sqlalchemy import select

from datasets.models import Dataset
from portal.db import db
from portal.offices.models import Office
from tests.datasets.api.conftest import PublishedDataset
from tests.support.wsgi_requests import wsgi_session

ADDRESS = "http://testserver"
CKAN_TYPES = {
    "_id": "int",
    "code": "text",
    "district": "text",
    "day": "date",
    "at": "timestamp",
    "count": "int",
    "rate": "numeric",
    "year": "int",
    "planned": "bool",
    "note": "text",
}


@dataclass(frozen=True)
class Entry:
    """What the catalogue holds of a published dataset."""

    slug: str
    title: str
    texts: str  # titles, descriptions and keywords, lower-cased
    keywords: list[str]
    licence: str
    office: str | None
    has_release: bool


@pytest.fixture
def ckan(client: Any) -> Iterator[ckanapi.RemoteCKAN]:
    with ckanapi.RemoteCKAN(ADDRESS, session=wsgi_session(client)) as remote:
        yield remote


@pytest.fixture
def extra(app: Flask, make_dataset: Callable[..., Dataset]) -> dict[str, Dataset]:
    """A published dataset of office KL without a release, and an unpublished one."""
    with app.app_context():
        office_id = db.session.scalar(select(Office.id).where(Office.code == "KL"))
    return {
        "bare": make_dataset(slug="no-release-yet", office_id=office_id),
        "hidden": make_dataset(slug="hidden-dataset", published=False, office_id=office_id),
    }


def catalogue(app: Flask) -> dict[str, Entry]:
    """Every published dataset, by slug."""
    with app.app_context():
        datasets = db.session.scalars(select(Dataset).where(Dataset.published.is_(True)))
        return {
            dataset.slug: Entry(
                slug=dataset.slug,
                title=dataset.title_zh,
                texts=" ".join(
                    [
                        dataset.title_zh,
                        dataset.title_en,
                        dataset.description_zh,
                        dataset.description_en,
                        *dataset.keywords,
                    ]
                ).lower(),
                keywords=list(dataset.keywords),
                licence=dataset.licence,
                office=dataset.office.code if dataset.office else None,
                has_release=dataset.current_release_id is not None,
            )
            for dataset in datasets
        }


def search_names(ckan: ckanapi.RemoteCKAN, **arguments: Any) -> set[str]:
    return {item["name"] for item in ckan.action.package_search(rows=1000, **arguments)["results"]}


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in row.items()}


def records(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The records without `_id`, after checking each has a distinct integer `_id`."""
    ids = [record["_id"] for record in result["records"]]
    assert all(isinstance(row_id, int) for row_id in ids)
    assert len(set(ids)) == len(ids)
    return [{name: value for name, value in record.items() if name != "_id"} for record in result["records"]]


def test_envelope_of_a_get_with_query_string_arguments(client: Any, api_dataset: PublishedDataset) -> None:
    response = client.get(
        "/api/3/action/datastore_search",
        query_string={
            "resource_id": f"{api_dataset.slug}.csv",
            "filters": '{"district": "中正區"}',
            "limit": "5",
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"help", "success", "result"}
    assert body["success"] is True
    assert body["help"].endswith("/help_show?name=datastore_search")
    expected = [jsonable(row) for row in api_dataset.rows if row["district"] == "中正區"]
    assert body["result"]["total"] == len(expected)
    assert records(body["result"]) == expected[:5]
    help_body = client.get(body["help"]).get_json()
    assert help_body["success"] is True
    assert "current release" in help_body["result"]


def test_package_list_names_every_published_dataset(
    ckan: ckanapi.RemoteCKAN, app: Flask, extra: dict[str, Dataset]
) -> None:
    names = ckan.action.package_list()
    assert names == sorted(catalogue(app))
    assert "no-release-yet" in names
    assert "hidden-dataset" not in names
    assert ckan.action.package_list(limit=2, offset=1) == names[1:3]


def test_package_show_describes_each_dataset_with_downloadable_resources(
    ckan: ckanapi.RemoteCKAN, app: Flask, api_dataset: PublishedDataset
) -> None:
    session = ckan.session
    entries = catalogue(app)
    for name in ckan.action.package_list():
        package = ckan.action.package_show(id=name)
        entry = entries[name]
        assert package["name"] == name
        assert package["title"] == entry.title
        assert package["license_id"] == entry.licence
        assert [tag["name"] for tag in package["tags"]] == entry.keywords
        if entry.office is None:
            assert package["organization"] is None
        else:
            assert package["organization"]["name"] == entry.office
        assert len(package["resources"]) == package["num_resources"] > 0
        for resource in package["resources"]:
            assert resource["datastore_active"] is (resource["format"] == "CSV")
            download = session.get(resource["url"])
            assert download.status_code == 200, resource["url"]
            assert len(download.content) == resource["size"]
            assert "sha256:" + hashlib.sha256(download.content).hexdigest() == resource["hash"]
    formats = [item["format"] for item in ckan.action.package_show(id=api_dataset.slug)["resources"]]
    assert {"CSV", "JSON", "ODS"} <= set(formats)


@pytest.mark.parametrize("words", ["停水", "施工", "水質", "沒有這種資料"])
def test_package_search_q_in_chinese(
    ckan: ckanapi.RemoteCKAN, app: Flask, api_dataset: PublishedDataset, words: str
) -> None:
    expected = {slug for slug, entry in catalogue(app).items() if words.lower() in entry.texts}
    result = ckan.action.package_search(q=words, rows=1000)
    assert {item["name"] for item in result["results"]} == expected
    assert result["count"] == len(expected)


def test_package_search_ranks_title_matches_first(
    ckan: ckanapi.RemoteCKAN, make_dataset: Callable[..., Dataset]
) -> None:
    make_dataset(slug="zz-described", title_zh="抄表排程", description_zh="含漏水搶修的區域")
    make_dataset(slug="aa-keyword", title_zh="管線更新", keywords=["漏水搶修"], description_zh="年度計畫")
    make_dataset(slug="mm-titled", title_zh="漏水搶修紀錄", description_zh="各區案件")
    results = ckan.action.package_search(q="漏水搶修", rows=1000)["results"]
    names = [item["name"] for item in results]
    assert names[:3] == ["mm-titled", "aa-keyword", "zz-described"], "title, then keyword, then description"
    by_name = ckan.action.package_search(q="漏水搶修", sort="name asc", rows=1000)["results"]
    assert [item["name"] for item in by_name][:3] == ["aa-keyword", "mm-titled", "zz-described"]


def test_package_search_fq(
    ckan: ckanapi.RemoteCKAN, app: Flask, api_dataset: PublishedDataset, extra: dict[str, Dataset]
) -> None:
    entries = catalogue(app).values()
    with_release = {entry.slug for entry in entries if entry.has_release}
    tagged = {entry.slug for entry in entries if "測試" in entry.keywords}
    of_kl = {entry.slug for entry in entries if entry.office == "KL"}
    assert "no-release-yet" in tagged & of_kl
    assert api_dataset.slug in with_release & tagged
    assert search_names(ckan, fq="res_format:CSV") == with_release
    assert search_names(ckan, fq="tags:測試") == tagged
    assert search_names(ckan, fq="organization:KL") == of_kl
    assert search_names(ckan, fq='tags:"測試" AND res_format:CSV') == tagged & with_release
    assert search_names(ckan, q="測試", fq="organization:KL") == of_kl & {
        entry.slug for entry in entries if "測試" in entry.texts
    }


def test_package_search_sorts_and_pages(
    ckan: ckanapi.RemoteCKAN, app: Flask, api_dataset: PublishedDataset, extra: dict[str, Dataset]
) -> None:
    names = sorted(catalogue(app))
    pages = []
    for start in range(0, len(names) + 2, 2):
        result = ckan.action.package_search(sort="name asc", rows=2, start=start)
        assert result["count"] == len(names)
        assert len(result["results"]) == len(names[start : start + 2])
        pages.extend(item["name"] for item in result["results"])
    assert pages == names
    descending = ckan.action.package_search(sort="name desc", rows=1000)["results"]
    assert [item["name"] for item in descending] == names[::-1]


def test_package_search_facets_count_the_matches(
    ckan: ckanapi.RemoteCKAN, api_dataset: PublishedDataset, extra: dict[str, Dataset]
) -> None:
    result = ckan.action.package_search(rows=1000, **{"facet.field": ["res_format", "tags"]})
    formats: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for item in result["results"]:
        formats.update({resource["format"] for resource in item["resources"]})
        tags.update({tag["name"] for tag in item["tags"]})
    for field, expected in (("res_format", formats), ("tags", tags)):
        items = result["search_facets"][field]["items"]
        assert {item["name"]: item["count"] for item in items} == dict(expected)
        assert result["facets"][field] == dict(expected)
        counts = [item["count"] for item in items]
        assert counts == sorted(counts, reverse=True)
    assert tags["測試"] >= 2
    filtered = ckan.action.package_search(fq="tags:測試", **{"facet.field": ["tags"]})
    assert result["facets"]["tags"]["測試"] == filtered["facets"]["tags"]["測試"] == filtered["count"]


def test_organization_list(
    ckan: ckanapi.RemoteCKAN, app: Flask, api_dataset: PublishedDataset, extra: dict[str, Dataset]
) -> None:
    with app.app_context():
        codes = sorted(db.session.scalars(select(Office.code).where(Office.active.is_(True))))
    assert ckan.action.organization_list() == codes
    counts = Counter(entry.office for entry in catalogue(app).values())
    organizations = ckan.action.organization_list(all_fields=True)
    assert [record["name"] for record in organizations] == codes
    assert {record["name"]: record["package_count"] for record in organizations} == {
        code: counts[code] for code in codes
    }
    assert counts["KL"] >= 2, "the unpublished dataset of KL is not counted, the bare one is"


def test_datastore_search_defaults_and_field_types(
    ckan: ckanapi.RemoteCKAN, api_dataset: PublishedDataset
) -> None:
    result = ckan.action.datastore_search(resource_id=f"{api_dataset.slug}.csv")
    assert result["resource_id"] == f"{api_dataset.slug}.csv"
    assert {field["id"]: field["type"] for field in result["fields"]} == CKAN_TYPES
    assert result["total"] == len(api_dataset.rows)
    assert result["limit"] == 100
    assert len(result["records"]) == 100
    assert all("_id" in record for record in result["records"])
    everything = ckan.action.datastore_search(resource_id=f"{api_dataset.slug}.csv", limit=1000)
    assert records(everything) == [jsonable(row) for row in api_dataset.rows]


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"district": "中正區"}, lambda row: row["district"] == "中正區"),
        ({"district": ["中正區", "七堵區"]}, lambda row: row["district"] in {"中正區", "七堵區"}),
        (
            {"district": ["信義區", "汐止區"], "year": 2023, "planned": True},
            lambda row: row["district"] in {"信義區", "汐止區"} and row["year"] == 2023 and row["planned"],
        ),
        ({"day": "2025-02-02"}, lambda row: row["day"] == date(2025, 2, 2)),
    ],
)
def test_datastore_search_filters(
    ckan: ckanapi.RemoteCKAN,
    api_dataset: PublishedDataset,
    filters: dict[str, Any],
    keep: Callable[[dict[str, Any]], bool],
) -> None:
    expected = [jsonable(row) for row in api_dataset.rows if keep(row)]
    assert expected
    result = ckan.action.datastore_search(resource_id=f"{api_dataset.slug}.csv", filters=filters, limit=1000)
    assert result["total"] == len(expected)
    assert records(result) == expected


def test_datastore_search_q_fields_sort_and_paging(
    ckan: ckanapi.RemoteCKAN, api_dataset: PublishedDataset
) -> None:
    resource_id = f"{api_dataset.slug}.csv"
    text_fields = [name for name, kind in CKAN_TYPES.items() if kind == "text"]
    matching = [
        jsonable(row) for row in api_dataset.rows if any("漏水" in (row[name] or "") for name in text_fields)
    ]
    assert ckan.action.datastore_search(resource_id=resource_id, q="漏水", limit=1000)["records"]
    assert records(ckan.action.datastore_search(resource_id=resource_id, q="漏水", limit=1000)) == matching
    by_field = ckan.action.datastore_search(resource_id=resource_id, q={"note": "漏水"}, limit=1000)
    assert records(by_field) == matching

    chosen = ckan.action.datastore_search(resource_id=resource_id, fields=["code", "count"], limit=3)
    assert [field["id"] for field in chosen["fields"]] == ["_id", "code", "count"]
    assert all(set(record) == {"_id", "code", "count"} for record in chosen["records"])

    positions = range(len(api_dataset.rows))
    order = sorted(
        positions,
        key=lambda i: (api_dataset.rows[i]["count"] is None, -(api_dataset.rows[i]["count"] or 0), i),
    )
    expected = [api_dataset.rows[i]["code"] for i in order]
    assert any(api_dataset.rows[i]["count"] is None for i in order[-3:]), "nulls come last"
    page = ckan.action.datastore_search(
        resource_id=resource_id, sort="count desc", fields=["code"], limit=25, offset=50
    )
    assert [record["code"] for record in page["records"]] == expected[50:75]
    assert (page["limit"], page["offset"], page["total"]) == (25, 50, len(api_dataset.rows))
    assert page["_links"]["next"].endswith("offset=75")
    whole = ckan.action.datastore_search(resource_id=resource_id, sort="count desc", limit=1000)
    assert [record["code"] for record in whole["records"]] == expected


def test_datastore_search_sorts_fields_named_like_id(ckan: ckanapi.RemoteCKAN) -> None:
    def codes(**arguments: Any) -> list[str]:
        result = ckan.action.datastore_search(
            resource_id="outages.csv", fields=["outage_id"], limit=1000, **arguments
        )
        return [record["outage_id"] for record in result["records"]]

    in_source_order = codes()
    assert codes(sort="_id") == codes(sort="_id asc") == in_source_order
    assert codes(sort="outage_id desc") == sorted(in_source_order, reverse=True) != in_source_order
    assert codes(sort="outage_id desc, _id") == sorted(in_source_order, reverse=True)
    with pytest.raises(ckanapi.ValidationError):
        codes(sort="_id desc")


def test_datastore_search_without_total(ckan: ckanapi.RemoteCKAN, api_dataset: PublishedDataset) -> None:
    result = ckan.action.datastore_search(resource_id=f"{api_dataset.slug}.csv", include_total=False, limit=7)
    assert "total" not in result
    assert result["include_total"] is False
    assert records(result) == [jsonable(row) for row in api_dataset.rows[:7]]


def test_transport_decodes_gzipped_answers(ckan: ckanapi.RemoteCKAN) -> None:
    response = ckan.session.get(f"{ADDRESS}/api/3/action/package_search", params={"rows": 1000})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.json()["result"]["count"] == len(response.json()["result"]["results"]) > 0


def test_status_show(ckan: ckanapi.RemoteCKAN) -> None:
    status = ckan.action.status_show()
    assert status["site_url"] == ADDRESS
    assert status["ckan_version"].startswith("2.")
    assert "datastore" in status["extensions"]


def test_errors_map_to_ckanapi_exceptions(
    ckan: ckanapi.RemoteCKAN, api_dataset: PublishedDataset, extra: dict[str, Dataset]
) -> None:
    for name in ("no-such-dataset", "hidden-dataset"):
        with pytest.raises(ckanapi.NotFound):
            ckan.action.package_show(id=name)
    for resource_id in ("no-such-dataset.csv", f"{api_dataset.slug}.pdf", "no-release-yet.csv"):
        with pytest.raises(ckanapi.NotFound):
            ckan.action.datastore_search(resource_id=resource_id)
    resource_id = f"{api_dataset.slug}.csv"
    for arguments, field in (
        ({"filters": {"no_such_field": 1}}, "filters"),
        ({"filters": {"count": "many"}}, "filters"),
        ({"filters": "{not json"}, "filters"),
        ({"limit": 5000}, "limit"),
        ({"sort": "nowhere desc"}, "sort"),
    ):
        with pytest.raises(ckanapi.ValidationError) as raised:
            ckan.action.datastore_search(resource_id=resource_id, **arguments)
        assert raised.value.error_dict["__type"] == "Validation Error"
        assert field in raised.value.error_dict, arguments
    for fq in ("colour:blue", "tags:測試 OR name:outages"):
        with pytest.raises(ckanapi.SearchQueryError):
            ckan.action.package_search(fq=fq)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/3/action/package_create", b'{"name": "new"}'),
        ("/api/action/no_such_action", b"{}"),
        ("/api/3/action/package_show", b'["outages"]'),
        ("/api/3/action/package_show", b"{not json"),
    ],
)
def test_bad_requests_answer_400(client: Any, path: str, body: bytes) -> None:
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["success"] is False
    assert answer["error"]["__type"] == "Bad request"
    assert "result" not in answer
