"""Exports and downloads through the real server, read the way their users read them."""

from __future__ import annotations

import csv
import io
import json
import socket
import zipfile
from urllib.parse import urlsplit

import pandas as pd
import pytest
import requests
from flask import Flask

from tests.server.conftest import Server
from tests.support.routes import DemoValues, demo_values

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def values(site_app: Flask) -> DemoValues:
    return demo_values(site_app)


def _api(server: Server, path: str) -> dict:
    response = requests.get(server.url + path, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def _first_page(server: Server, slug: str, query: str = "") -> dict:
    return _api(server, f"/api/v1/datasets/{slug}/rows?limit=1{'&' + query if query else ''}")


def test_pandas_reads_every_csv_export(server: Server, values: DemoValues) -> None:
    for slug in values.dataset_slugs:
        page = _first_page(server, slug)
        frame = pd.read_csv(f"{server.url}/api/v1/datasets/{slug}/rows.csv", dtype=str, keep_default_na=False)
        assert list(frame.columns) == [field["name"] for field in page["fields"]], slug
        assert len(frame) == page["total"] > 0, slug


def test_a_filtered_export_has_the_rows_the_api_counts(server: Server, values: DemoValues) -> None:
    slug = values.dataset_slugs[0]
    page = _first_page(server, slug)
    name = page["fields"][0]["name"]
    value = page["rows"][0][name]
    filtered = _first_page(server, slug, f"{name}={value}")
    frame = pd.read_csv(
        f"{server.url}/api/v1/datasets/{slug}/rows.csv?{name}={value}", dtype=str, keep_default_na=False
    )
    assert len(frame) == filtered["total"] > 0
    assert set(frame[name]) == {str(value)}


def test_every_ndjson_line_parses(server: Server, values: DemoValues) -> None:
    for slug in values.dataset_slugs:
        page = _first_page(server, slug)
        response = requests.get(f"{server.url}/api/v1/datasets/{slug}/rows.ndjson", timeout=60)
        assert response.headers["Content-Type"].startswith("application/x-ndjson")
        lines = response.content.decode("utf-8").splitlines()
        rows = [json.loads(line) for line in lines]
        assert len(rows) == page["total"] > 0, slug
        assert list(rows[0]) == [field["name"] for field in page["fields"]]
        assert rows[0] == page["rows"][0]


def _release_files(server: Server, slug: str, number: int) -> dict[str, dict]:
    document = _api(server, f"/api/v1/datasets/{slug}/releases/{number}")
    return {item["kind"]: item | {"row_count": document["row_count"]} for item in document["distributions"]}


def _download(item: dict) -> requests.Response:
    response = requests.get(item["url"], timeout=60)
    assert response.status_code == 200, item["url"]
    assert response.headers["Content-Type"].split(";")[0] == item["media_type"], item["url"]
    assert len(response.content) == item["size"], item["url"]
    return response


def test_every_release_file_parses(server: Server, values: DemoValues) -> None:
    for slug, number in values.releases:
        files = _release_files(server, slug, number)
        assert set(files) == {"csv", "ods", "json", "pdf", "datapackage"}, (slug, number)
        rows = list(csv.reader(io.StringIO(_download(files["csv"]).content.decode("utf-8-sig"))))
        assert len(rows) - 1 == files["csv"]["row_count"], (slug, number)
        with zipfile.ZipFile(io.BytesIO(_download(files["ods"]).content)) as archive:
            assert "content.xml" in archive.namelist()
        json.loads(_download(files["json"]).content)
        assert _download(files["pdf"]).content.startswith(b"%PDF")
        package = json.loads(_download(files["datapackage"]).content)
        assert package["resources"], (slug, number)


def test_clients_hanging_up_on_exports_leave_the_server_serving(server: Server, values: DemoValues) -> None:
    """More exports cut short than both workers' pools hold (15 connections each): had each kept
    its connection, the API would stop answering. (A demo export fits in the socket's buffers,
    so the server may finish writing before the hang-up; the cut mid-stream is proven in
    tests/datasets/api/test_export_connections.py.)"""
    slug = values.dataset_slugs[0]
    address = urlsplit(server.url)
    for _ in range(40):
        with socket.create_connection((address.hostname, address.port), timeout=10) as client:
            client.sendall(f"GET /api/v1/datasets/{slug}/rows.ndjson HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert client.recv(64).startswith(b"HTTP/1.1 200")
    for _ in range(4):
        assert _first_page(server, slug)["total"] > 0
