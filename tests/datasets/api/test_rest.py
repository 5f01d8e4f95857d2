"""The REST API's rows: every filter, search, sorting, paging by offset and cursor, exact totals, exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask

from datasets.api import rowsql
from datasets.api.release_lookups import rows_source
from tests.datasets.api.conftest import ROW_COUNT, PublishedDataset
from tests.support.calls import count_calls


def as_json(value: Any) -> Any:
    """A source value as the API returns it."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def expected(rows: list[dict[str, Any]], keep: Callable[[dict[str, Any]], bool]) -> list[str]:
    """The codes of the rows `keep` selects, in source order."""
    return [row["code"] for row in rows if keep(row)]


def codes(client: Any, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["code"] for row in response.json["rows"]]


def rows_url(dataset: PublishedDataset, query: str = "") -> str:
    return f"/api/v1/datasets/{dataset.slug}/rows?limit=1000&{query}"


FILTERS: list[tuple[str, Callable[[dict[str, Any]], bool]]] = [
    ("district=" + quote("信義區"), lambda row: row["district"] == "信義區"),
    ("district__ne=" + quote("信義區"), lambda row: row["district"] != "信義區"),
    ("district__in=" + quote("中正區,汐止區"), lambda row: row["district"] in {"中正區", "汐止區"}),
    ("count__gt=40", lambda row: row["count"] is not None and row["count"] > 40),
    ("count__gte=40", lambda row: row["count"] is not None and row["count"] >= 40),
    ("count__lt=3", lambda row: row["count"] is not None and row["count"] < 3),
    ("count__lte=3", lambda row: row["count"] is not None and row["count"] <= 3),
    ("count__null=true", lambda row: row["count"] is None),
    ("count__null=false", lambda row: row["count"] is not None),
    ("rate__gte=20.5", lambda row: row["rate"] >= 20.5),
    ("day__gte=2025-11-01", lambda row: row["day"] is not None and row["day"] >= date(2025, 11, 1)),
    ("day=2025-02-02", lambda row: row["day"] == date(2025, 2, 2)),
    ("at__lt=2025-03-02T00:00:00", lambda row: row["at"] < datetime(2025, 3, 2)),
    ("year=2023", lambda row: row["year"] == 2023),
    ("planned=true", lambda row: row["planned"] is True),
    ("note__contains=" + quote("漏水"), lambda row: "漏水" in row["note"]),
    (
        "district=" + quote("信義區") + "&count__gte=10",
        lambda row: row["district"] == "信義區" and row["count"] is not None and row["count"] >= 10,
    ),
]


@pytest.mark.parametrize(("query", "keep"), FILTERS, ids=[query for query, _keep in FILTERS])
def test_each_filter_selects_exactly_the_matching_rows(
    client: Any, api_dataset: PublishedDataset, query: str, keep: Callable[[dict[str, Any]], bool]
) -> None:
    wanted = expected(api_dataset.rows, keep)
    assert wanted, "the filter should match something"
    response = client.get(rows_url(api_dataset, query))
    assert response.status_code == 200
    assert [row["code"] for row in response.json["rows"]] == wanted
    assert response.json["total"] == len(wanted)


def test_values_come_back_typed(client: Any, api_dataset: PublishedDataset) -> None:
    body = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?limit=5").json
    assert [field["name"] for field in body["fields"]] == list(api_dataset.rows[0])
    for got, source in zip(body["rows"], api_dataset.rows[:5], strict=True):
        assert list(got) == list(source)  # keys in the schema's order
        assert got == {name: as_json(value) for name, value in source.items()}


def test_q_searches_every_text_field_in_chinese(client: Any, api_dataset: PublishedDataset) -> None:
    wanted = expected(
        api_dataset.rows, lambda row: "第12號" in row["note"] or "第12號" in (row["district"] or "")
    )
    assert codes(client, rows_url(api_dataset, "q=" + quote("第12號"))) == wanted
    assert codes(client, rows_url(api_dataset, "q=" + quote("汐止"))) == expected(
        api_dataset.rows, lambda row: row["district"] == "汐止區"
    )
    # Wildcards are text, not patterns.
    assert codes(client, rows_url(api_dataset, "q=%25")) == []


def test_fields_chooses_and_orders_the_columns(client: Any, api_dataset: PublishedDataset) -> None:
    body = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?fields=count,code&limit=2").json
    assert [field["name"] for field in body["fields"]] == ["count", "code"]
    assert [list(row) for row in body["rows"]] == [["count", "code"], ["count", "code"]]


def _sorted_codes(rows: list[dict[str, Any]], spec: list[tuple[str, bool]]) -> list[str]:
    ordered = list(rows)  # source order is the final tie-break
    for name, descending in reversed(spec):
        present = [row for row in ordered if row[name] is not None]
        empty = [row for row in ordered if row[name] is None]
        present.sort(key=lambda row: row[name], reverse=descending)
        ordered = present + empty  # nulls last either way
    return [row["code"] for row in ordered]


SORTS = ["count", "-count", "district,-rate", "-day,code", "-district,count,-at"]


@pytest.mark.parametrize("sort", SORTS)
def test_cursor_walks_every_row_once_in_order(client: Any, api_dataset: PublishedDataset, sort: str) -> None:
    spec = [(part.lstrip("-"), part.startswith("-")) for part in sort.split(",")]
    url: str | None = f"/api/v1/datasets/{api_dataset.slug}/rows?sort={sort}&limit=37"
    seen: list[str] = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.json["total"] == ROW_COUNT
        seen += [row["code"] for row in response.json["rows"]]
        url = response.json["links"].get("next")
        if url:
            parts = urlsplit(url)
            url = f"{parts.path}?{parts.query}"
        pages += 1
        assert pages < 20
    assert seen == _sorted_codes(api_dataset.rows, spec)


def test_offset_pages_match_the_whole(client: Any, api_dataset: PublishedDataset) -> None:
    whole = codes(client, rows_url(api_dataset, "sort=-rate"))
    page = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?sort=-rate&limit=20&offset=40").json
    assert [row["code"] for row in page["rows"]] == whole[40:60]
    assert page["offset"] == 40
    empty = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?limit=0&district=" + quote("中正區")).json
    assert empty["rows"] == []
    assert empty["total"] == len(expected(api_dataset.rows, lambda row: row["district"] == "中正區"))
    uncounted = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?count=false&limit=1").json
    assert uncounted["total"] is None


def test_numbered_release_and_current_release_agree(client: Any, api_dataset: PublishedDataset) -> None:
    current = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?limit=3").json
    numbered = client.get(
        f"/api/v1/datasets/{api_dataset.slug}/releases/{api_dataset.release_number}/rows?limit=3"
    ).json
    assert current["rows"] == numbered["rows"]
    assert client.get(f"/api/v1/datasets/{api_dataset.slug}/releases/99/rows").status_code == 404


def test_totals_are_counted_once_per_release_and_query(
    client: Any, api_dataset: PublishedDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_calls(monkeypatch, rowsql, "count")
    url = f"/api/v1/datasets/{api_dataset.slug}/rows?district=" + quote("七堵區")
    first = client.get(url + "&limit=5").json["total"]
    again = client.get(url + "&limit=7&sort=-count").json["total"]  # page and order do not change the total
    assert first == again == len(expected(api_dataset.rows, lambda row: row["district"] == "七堵區"))
    assert len(calls) == 1
    client.get(url + "&count__gt=3")
    assert len(calls) == 2


def test_one_statement_serves_every_value_of_a_query_shape(
    client: Any, api_dataset: PublishedDataset, app: Flask
) -> None:
    asked: list[tuple[str, Callable[[dict[str, Any]], bool]]] = [
        ("district=" + quote("信義區"), lambda row: row["district"] == "信義區"),
        ("district=" + quote("七堵區"), lambda row: row["district"] == "七堵區"),
        ("district__in=" + quote("中正區,汐止區"), lambda row: row["district"] in {"中正區", "汐止區"}),
        (
            "district__in=" + quote("中正區,汐止區,信義區"),
            lambda row: row["district"] in {"中正區", "汐止區", "信義區"},
        ),
        ("count__null=true", lambda row: row["count"] is None),
        ("count__null=false", lambda row: row["count"] is not None),
        ("count__null=true", lambda row: row["count"] is None),
    ]
    for query, keep in asked:
        body = client.get(rows_url(api_dataset, query)).json
        assert [row["code"] for row in body["rows"]] == expected(api_dataset.rows, keep), query
        assert body["total"] == len(expected(api_dataset.rows, keep)), query
    with app.test_request_context():
        target = rows_source(api_dataset.slug).target
    pages = [shape for shape in target.statements if shape[0] == "page"]
    # equality, a list of any length, and `null` true and false (which is SQL, not a value)
    assert len(pages) == 4


def test_a_cursor_through_nulls_continues_with_the_statement_of_its_shape(
    client: Any, api_dataset: PublishedDataset
) -> None:
    """Cursor keys with and without a null sort value need different SQL; neither may reuse the other's."""
    url = f"/api/v1/datasets/{api_dataset.slug}/rows?sort=count&limit=7"
    seen: list[str] = []
    while url:
        body = client.get(url).json
        seen += [row["code"] for row in body["rows"]]
        url = body["links"].get("next", "")
    with_count = sorted(
        (row for row in api_dataset.rows if row["count"] is not None), key=lambda row: row["count"]
    )
    without = [row for row in api_dataset.rows if row["count"] is None]
    assert without, "the fixture should have rows without a count"
    assert sorted(seen) == sorted(row["code"] for row in api_dataset.rows)
    assert seen[-len(without) :] == [row["code"] for row in without]
    assert {row["code"] for row in with_count} == set(seen[: len(with_count)])


def test_csv_export_streams_every_matching_row(client: Any, api_dataset: PublishedDataset) -> None:
    response = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows.csv?sort=-count&district__null=false")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''" + quote("測試停水資料") in disposition
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0] == list(api_dataset.rows[0])
    selected = [row for row in api_dataset.rows if row["district"] is not None]
    assert [line[0] for line in table[1:]] == _sorted_codes(selected, [("count", True)])
    # A cell a spreadsheet would run as a formula arrives inert.
    assert "'=SUM(A1)" in {line[-1] for line in table[1:]}


def test_an_export_leaves_the_connection_as_it_found_it(client: Any, api_dataset: PublishedDataset) -> None:
    # The stream's server-side cursor is the statement's option, never the connection's: the next
    # statement on that connection (in tests, the next request's savepoint) runs normally.
    for _ in range(2):
        assert client.get(f"/api/v1/datasets/{api_dataset.slug}/rows.csv").status_code == 200
        assert client.get(f"/api/v1/datasets/{api_dataset.slug}/rows.ndjson?limit=1").status_code in {
            200,
            400,
        }
        assert client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?limit=1").status_code == 200


def test_ndjson_export_has_typed_objects(client: Any, api_dataset: PublishedDataset) -> None:
    response = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows.ndjson?fields=code,day,count&year=2021")
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    source = [row for row in api_dataset.rows if row["year"] == 2021]
    assert lines == [
        {"code": row["code"], "day": as_json(row["day"]), "count": row["count"]} for row in source
    ]


@pytest.mark.parametrize("parameter", ["limit=5", "offset=5", "cursor=abc", "count=false"])
def test_exports_refuse_paging_parameters(client: Any, api_dataset: PublishedDataset, parameter: str) -> None:
    response = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows.csv?{parameter}")
    assert response.status_code == 400
    assert response.json["parameter"] == parameter.split("=")[0]


BAD_QUERIES = [
    ("nosuchfield=1", "nosuchfield"),
    ("count__between=1", "count__between"),
    ("count=abc", "count"),
    ("count=99999999999999999999", "count"),
    ("rate=NaN", "rate"),
    ("day=2025-13-01", "day"),
    ("at=yesterday", "at"),
    ("planned=maybe", "planned"),
    ("rate__contains=1", "rate__contains"),
    ("planned__gt=true", "planned__gt"),
    ("district__in=", "district__in"),
    ("district__in=" + ",".join(["x"] * 101), "district__in"),
    ("district=" + "長" * 201, "district"),
    ("sort=nosuchfield", "sort"),
    ("sort=planned", "sort"),
    ("sort=count,-count", "sort"),
    ("sort=code,count,rate,day", "sort"),
    ("fields=code,nosuch", "fields"),
    ("limit=1001", "limit"),
    ("limit=-1", "limit"),
    ("limit=ten", "limit"),
    ("offset=100001", "offset"),
    ("offset=99999999999999999999999", "offset"),
    ("cursor=not-a-cursor", "cursor"),
    ("cursor=abc&offset=3", "cursor"),
    ("limit=1&limit=2", "limit"),
    ("q=" + "水" * 101, "q"),
    ("count=maybe", "count"),
    ("code=1%27%3B%20DROP%20TABLE%20dataset%3B--&code__in=%27%20OR%201%3D1", None),
    ("sort=code%3B%20DROP%20TABLE%20dataset", "sort"),
    ("code%27%20OR%20%271%27%3D%271=1", "code' OR '1'='1"),
]


@pytest.mark.parametrize(("query", "parameter"), BAD_QUERIES, ids=[query[:40] for query, _p in BAD_QUERIES])
def test_bad_queries_get_a_problem_in_the_visitors_language(
    client: Any, api_dataset: PublishedDataset, query: str, parameter: str | None
) -> None:
    url = f"/api/v1/datasets/{api_dataset.slug}/rows?{query}"
    response = client.get(url, headers={"Accept-Language": "en-GB,en;q=0.9"})
    if parameter is None:  # SQL in a value is only a value: it matches nothing
        assert response.status_code == 200
        assert response.json["rows"] == []
        assert client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?limit=1").json["total"] == ROW_COUNT
        return
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["status"] == 400
    assert body["parameter"] == parameter
    assert body["detail"]
    assert not any("\u4e00" <= char <= "\u9fff" for char in body["detail"])
    chinese = client.get(url).json  # no Accept-Language: Chinese, the site's first language
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese["detail"])


def test_cursor_of_another_query_or_release_is_refused(client: Any, api_dataset: PublishedDataset) -> None:
    first = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?limit=2&sort=count").json
    token = first["next_cursor"]
    assert (
        client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?limit=2&sort=count&cursor={token}").status_code
        == 200
    )
    other = client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?limit=2&sort=-count&cursor={token}")
    assert other.status_code == 400
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert (
        client.get(f"/api/v1/datasets/{api_dataset.slug}/rows?limit=2&sort=count&cursor={forged}").status_code
        == 400
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/datasets/no-such-dataset",
        "/api/v1/datasets/no-such-dataset/rows",
        "/api/v1/datasets/no-such-dataset/rows.csv",
        "/api/v1/datasets/no-such-dataset/releases",
        "/api/v1/nothing-here",
    ],
)
def test_unknown_things_are_404_problems(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404


def test_catalogue_listing_filters_and_pages(client: Any, api_dataset: PublishedDataset) -> None:
    everything = client.get("/api/v1/datasets?limit=100").json
    assert api_dataset.slug in [item["id"] for item in everything["datasets"]]
    found = client.get("/api/v1/datasets?q=" + quote("測試停水")).json
    assert [item["id"] for item in found["datasets"]] == [api_dataset.slug]
    by_keyword = client.get("/api/v1/datasets?keyword=" + quote("停水")).json
    assert api_dataset.slug in [item["id"] for item in by_keyword["datasets"]]
    first = client.get("/api/v1/datasets?limit=2").json
    assert len(first["datasets"]) == 2
    assert first["total"] == everything["total"]
    assert "offset=2" in first["links"]["next"]
    for bad in ("limit=0", "limit=101", "offset=-1", "color=blue"):
        assert client.get(f"/api/v1/datasets?{bad}").status_code == 400


def test_dataset_document_links_its_files(client: Any, api_dataset: PublishedDataset) -> None:
    body = client.get(f"/api/v1/datasets/{api_dataset.slug}").json
    assert body["title"]["zh-Hant-TW"] == "測試停水資料"
    release = body["release"]
    assert release["number"] == api_dataset.release_number
    assert release["row_count"] == ROW_COUNT
    kinds = {item["kind"]: item for item in release["distributions"]}
    assert set(kinds) == {"csv", "ods", "json", "pdf", "datapackage"}
    for item in kinds.values():
        download = client.get(urlsplit(item["url"]).path)
        assert download.status_code == 200
        assert len(download.get_data()) == item["size"]
    releases = client.get(f"/api/v1/datasets/{api_dataset.slug}/releases").json
    assert [item["number"] for item in releases["releases"]] == [api_dataset.release_number]
    one = client.get(f"/api/v1/datasets/{api_dataset.slug}/releases/{api_dataset.release_number}").json
    assert one["schema"]["fields"][0]["name"] == "code"


def test_downloads_are_counted_without_who(client: Any, api_dataset: PublishedDataset, app: Flask) -> None:
    document = client.get(f"/api/v1/datasets/{api_dataset.slug}").json
    csv_url = urlsplit(
        next(d["url"] for d in document["release"]["distributions"] if d["kind"] == "csv")
    ).path
    assert next(d["downloads"] for d in document["release"]["distributions"] if d["kind"] == "csv") == 0
    whole = client.get(csv_url)
    assert whole.status_code == 200
    assert "filename*=UTF-8''" in whole.headers["Content-Disposition"]
    start = client.get(csv_url, headers={"Range": "bytes=0-9"})
    assert start.status_code == 206
    assert start.get_data() == whole.get_data()[:10]
    rest = client.get(csv_url, headers={"Range": "bytes=10-"})
    assert rest.status_code == 206
    assert start.get_data() + rest.get_data() == whole.get_data()
    client.head(csv_url)
    client.get(csv_url, headers={"If-None-Match": whole.headers["ETag"]})  # 304: not a download
    after = client.get(f"/api/v1/datasets/{api_dataset.slug}").json
    assert next(d["downloads"] for d in after["release"]["distributions"] if d["kind"] == "csv") == 2
    page = client.get(f"/datasets/{api_dataset.slug}").get_data(as_text=True)
    assert "下載次數" in page
