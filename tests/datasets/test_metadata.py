"""The catalogue exports harvesters read: DCAT-AP (JSON-LD, Turtle), data.json, data.gov.tw CSV/JSON, Atom.

Each export is parsed by a real reader (rdflib, jsonschema with the Project Open Data
v1.1 rules, csv, ElementTree) and compared with what the database holds.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest
from flask import Flask
from jsonschema import Draft202012Validator, FormatChecker
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS
from sqlalchemy import select, update

from datasets.metadata import datagovtw
from datasets.metadata.dcat import tel_uri
from datasets.models import Dataset, Release
from portal.db import db
from portal.offices.models import Agency
from tests.datasets.conftest import HEADER, sample_rows, write_csv

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ATOM = "{http://www.w3.org/2005/Atom}"
HOST = "http://localhost"
POD_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "pod-catalog-v1.1.json").read_text())
HIDDEN_SLUG = "hidden-unpublished"
HIDDEN_TITLE = "不公開的內部資料"
EXPORTS = (
    ("/catalog.jsonld", "application/ld+json"),
    ("/catalog.ttl", "text/turtle"),
    ("/data.json", "application/json"),
    ("/opendata/datagovtw.csv", "text/csv"),
    ("/opendata/datagovtw.json", "application/json"),
    ("/datasets.atom", "application/atom+xml"),
    ("/en/datasets.atom", "application/atom+xml"),
)
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib
formats = FormatChecker()


@formats.checks("uri", raises=ValueError)
def is_uri(value: object) -> bool:
    """An absolute URI (RFC 3986): a scheme, no white space, and an authority for web addresses."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return (
        re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme) is not None
        and re.search(r"\s", value) is None
        and (bool(parts.netloc) or parts.scheme not in {"http", "https"})
    )


POD = Draft202012Validator(POD_SCHEMA, format_checker=formats)


@dataclass(frozen=True)
class Published:
    """What the database holds of a published dataset."""

    slug: str
    title_zh: str
    title_en: str
    keywords: list[str]
    office: str | None
    release: int | None
    files: int
    row_count: int


def published(app: Flask) -> list[Published]:
    """The published datasets, in slug order (the order of the exports)."""
    with app.app_context():
        datasets = db.session.scalars(
            select(Dataset).where(Dataset.published.is_(True)).order_by(Dataset.slug)
        )
        return [
            Published(
                slug=dataset.slug,
                title_zh=dataset.title_zh,
                title_en=dataset.title_en,
                keywords=list(dataset.keywords),
                office=dataset.office.name_zh if dataset.office else None,
                release=dataset.current_release.number if dataset.current_release else None,
                files=len(dataset.current_release.files) if dataset.current_release else 0,
                row_count=dataset.current_release.row_count if dataset.current_release else 0,
            )
            for dataset in datasets
        ]


def status_of(client: Any, url: str) -> int:
    """The status of a GET of an absolute URL of this site."""
    assert url.startswith(HOST + "/"), url
    response = client.get(urlsplit(url).path)
    response.close()
    return int(response.status_code)


@pytest.fixture
def hidden(
    app: Flask, make_dataset: Callable[..., Dataset], run_publish: Callable[..., Any], tmp_path: Path
) -> Dataset:
    """An unpublished dataset that has a release nonetheless."""
    dataset = make_dataset(slug=HIDDEN_SLUG, title_zh=HIDDEN_TITLE, published=False)
    _job, release = run_publish(dataset, write_csv(tmp_path / "hidden.csv", HEADER, sample_rows(5)))
    assert isinstance(release, Release)
    return dataset


@pytest.fixture
def agency_email(app: Flask, db_transaction: Any) -> str:
    """The agency's e-mail address, which data.json's contact points fall back to."""
    email = "opendata@water.example.gov.tw"
    with app.app_context():
        db.session.execute(update(Agency).values(email=email))
        db.session.commit()
    return email


def graph(client: Any, path: str, syntax: str) -> Graph:
    response = client.get(path)
    assert response.status_code == 200
    return Graph().parse(data=response.get_data(as_text=True), format=syntax)


def test_dcat_json_ld_and_turtle_hold_the_same_catalogue(client: Any, app: Flask, hidden: Dataset) -> None:
    expected = published(app)
    jsonld = graph(client, "/catalog.jsonld", "json-ld")
    turtle = graph(client, "/catalog.ttl", "turtle")
    assert isomorphic(jsonld, turtle)
    for found in (jsonld, turtle):
        nodes = set(found.subjects(RDF.type, DCAT.Dataset))
        assert len(nodes) == len(expected)
        assert nodes == {URIRef(f"{HOST}/datasets/{item.slug}#dataset") for item in expected}
        catalog = found.value(predicate=RDF.type, object=DCAT.Catalog)
        assert set(found.objects(catalog, DCAT.dataset)) == nodes
        for item in expected:
            node = URIRef(f"{HOST}/datasets/{item.slug}#dataset")
            titles = [title for title in found.objects(node, DCTERMS.title) if title.language == "zh-Hant-TW"]
            assert titles == [Literal(item.title_zh, lang="zh-Hant-TW")]
            distributions = list(found.objects(node, DCAT.distribution))
            assert len(distributions) == item.files
            for distribution in distributions:
                (url,) = found.objects(distribution, DCAT.downloadURL)
                (media_type,) = found.objects(distribution, DCAT.mediaType)
                assert str(url).startswith(f"{HOST}/datasets/{item.slug}/releases/{item.release}/")
                assert re.fullmatch(
                    r"https://www\.iana\.org/assignments/media-types/[\w.+-]+/[\w.+-]+", media_type
                )
            for contact in found.objects(node, DCAT.contactPoint):
                for phone in found.objects(contact, VCARD.hasTelephone):
                    assert isinstance(phone, URIRef)
                    assert re.fullmatch(r"tel:\+886-\d{7,10}(;ext=\d+)?", str(phone))


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("(02) 2458-2233", "tel:+886-224582233"),
        ("02-2345-6789 分機 123", "tel:+886-223456789;ext=123"),
        ("+886 912 345 678", "tel:+886-912345678"),
        ("０２－２３４５６７８９#9", "tel:+886-223456789;ext=9"),
        ("1910", ""),
        ("", ""),
    ],
)
def test_phone_numbers_become_tel_uris(written: str, uri: str) -> None:
    assert tel_uri(written) == uri


def test_data_json_conforms_to_project_open_data_v1_1(client: Any, app: Flask, agency_email: str) -> None:
    document = client.get("/data.json").get_json()
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in POD.iter_errors(document)]
    assert errors == []
    expected = published(app)
    assert [entry["title"] for entry in document["dataset"]] == [item.title_zh for item in expected]
    assert len({entry["identifier"] for entry in document["dataset"]}) == len(expected)
    with app.app_context():
        agency = db.session.scalars(select(Agency)).one()
        agency_names = [agency.name_zh, agency.parent_zh]
    for entry, item in zip(document["dataset"], expected, strict=True):
        assert entry["contactPoint"]["hasEmail"] == "mailto:" + agency_email
        assert len(entry["distribution"]) == item.files
        chain, organization = [], entry["publisher"]
        while organization:
            chain.append(organization["name"])
            organization = organization.get("subOrganizationOf")
        assert chain == ([item.office] if item.office else []) + agency_names


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda entry: entry.update(accessLevel="secret"), ["dataset", 0, "accessLevel"]),
        (lambda entry: entry.update(keyword=[]), ["dataset", 0, "keyword"]),
        (lambda entry: entry.pop("modified"), ["dataset", 0]),
        (lambda entry: entry["contactPoint"].update(hasEmail="someone@example.org"), ["dataset", 0]),
        (lambda entry: entry.update(license="政府資料開放授權條款"), ["dataset", 0, "license"]),
        (lambda entry: entry.update(accrualPeriodicity="monthly"), ["dataset", 0, "accrualPeriodicity"]),
        (lambda entry: entry["distribution"][0].update(mediaType="CSV"), ["dataset", 0, "distribution", 0]),
        (
            lambda entry: entry["distribution"][0].update(downloadURL="//x y"),
            ["dataset", 0, "distribution", 0],
        ),
        (lambda entry: entry["publisher"].pop("name"), ["dataset", 0, "publisher"]),
    ],
)
def test_pod_schema_refuses_what_v1_1_forbids(
    client: Any, agency_email: str, change: Callable[[dict[str, Any]], Any], path: list[Any]
) -> None:
    document = client.get("/data.json").get_json()
    assert not list(POD.iter_errors(document))
    change(document["dataset"][0])
    errors = list(POD.iter_errors(document))
    assert errors
    assert any(list(error.absolute_path)[: len(path)] == path for error in errors)


def test_datagovtw_csv_has_the_22_columns_and_a_row_per_dataset(client: Any, app: Flask) -> None:
    response = client.get("/opendata/datagovtw.csv")
    assert response.data.startswith(codecs.BOM_UTF8)
    header, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert tuple(header) == datagovtw.CSV_COLUMNS
    assert len(header) == 22
    expected = published(app)
    assert len(rows) == len(expected)
    for row, item in zip(rows, expected, strict=True):
        assert len(row) == 22
        record = dict(zip(header, row, strict=True))
        assert record["資料集名稱"] == item.title_zh
        assert record["資料量"] == str(item.row_count)
        kinds = record["檔案格式"].split(";")
        urls = record["資料下載網址"].split(";")
        assert {"CSV", "JSON"} <= set(kinds)
        assert len(urls) == len(kinds) == len(record["編碼格式"].split(";"))
        for url in urls:
            assert status_of(client, url) == 200


def test_datagovtw_json_uses_the_platform_keys(client: Any, app: Flask) -> None:
    entries = client.get("/opendata/datagovtw.json").get_json()
    expected = published(app)
    assert [entry["title"] for entry in entries] == [item.title_zh for item in expected]
    keys = {
        "identifier",
        "categoryCode",
        "title",
        "description",
        "fieldDescription",
        "type",
        "publisher",
        "accrualPeriodicity",
        "license",
        "licenseURL",
        "cost",
        "keyword",
        "organization",
        "organizationContactName",
        "organizationContactPhone",
        "organizationContactEmail",
        "publisherContactName",
        "publisherContactPhone",
        "publisherContactEmail",
        "publisherOID",
        "distribution",
    }
    assert len({entry["identifier"] for entry in entries}) == len(entries)
    for entry, item in zip(entries, expected, strict=True):
        assert keys <= set(entry)
        assert entry["keyword"] == item.keywords
        assert entry["fieldDescription"]
        assert len(entry["distribution"]) == item.files
        for distribution in entry["distribution"]:
            assert {"resourceID", "resourceDescription", "format", "characterSetCode"} <= set(distribution)
            if distribution["format"] == "CSV":
                assert distribution["characterSetCode"] == "UTF-8"
        assert len({distribution["resourceID"] for distribution in entry["distribution"]}) == item.files


@pytest.mark.parametrize(("prefix", "language"), [("", "zh-Hant-TW"), ("/en", "en")])
def test_atom_feed_lists_releases_newest_first(
    client: Any, app: Flask, hidden: Dataset, prefix: str, language: str
) -> None:
    with app.app_context():
        releases = db.session.execute(
            select(
                Release.published_at,
                Release.id,
                Release.number,
                Dataset.slug,
                Dataset.title_zh,
                Dataset.title_en,
            )
            .join(Dataset, Dataset.id == Release.dataset_id)
            .where(Dataset.published.is_(True), Release.published_at.is_not(None))
        ).all()
    releases.sort(key=lambda release: (release.published_at, release.id), reverse=True)
    response = client.get(f"{prefix}/datasets.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == min(len(releases), 50)
    stamps = []
    for entry, release in zip(entries, releases, strict=False):
        page = f"{HOST}{prefix}/datasets/{release.slug}/releases/{release.number}"
        assert entry.findtext(f"{ATOM}id") == page
        assert entry.find(f"{ATOM}link").get("href") == page
        title = (
            f"{release.title_en}: release {release.number}"
            if language == "en"
            else f"{release.title_zh} 第 {release.number} 版"
        )
        assert entry.findtext(f"{ATOM}title") == title
        updated = entry.findtext(f"{ATOM}updated")
        assert RFC3339.match(updated), updated
        stamps.append(datetime.fromisoformat(updated))
    assert stamps == sorted(stamps, reverse=True)
    assert root.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
    assert root.findtext(f"{ATOM}id")


@pytest.mark.parametrize(("path", "media_type"), EXPORTS)
def test_exports_are_cacheable_and_open_to_any_origin(client: Any, path: str, media_type: str) -> None:
    first = client.get(path, headers={"Origin": "https://harvester.example.org"})
    assert first.status_code == 200
    assert first.mimetype == media_type
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert client.get(path, headers={"If-None-Match": 'W/"stale"'}).status_code == 200


def test_unpublished_datasets_appear_in_no_export(client: Any, app: Flask, hidden: Dataset) -> None:
    for path, _media_type in EXPORTS:
        text = client.get(path).get_data(as_text=True)
        assert HIDDEN_SLUG not in text, path
        assert HIDDEN_TITLE not in text, path
    with app.app_context():
        db.session.execute(update(Dataset).where(Dataset.id == hidden.id).values(published=True))
        db.session.commit()
    for path, _media_type in EXPORTS:
        assert HIDDEN_SLUG in client.get(path).get_data(as_text=True), path
