"""Uploaded spreadsheets are read in a child process with a memory and a time limit, and a refusal
reaches the publisher in their language: on the staff job page, in the API's job and on the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from datasets import child_tasks as child
from datasets.ingest import IngestError, open_source
from datasets.ingest import isolated as isolated_module
from datasets.ingest.isolated import ProcessLimits, open_isolated
from datasets.models import Dataset
from portal.apikeys.services import issue_key
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db
from portal.jobs import work
from tests.datasets.api.test_publishing_api import post_release
from tests.datasets.conftest import write_csv
from tests.datasets.sheets import inline_cell, ods_row, text_cell, write_ods, write_xlsx, xlsx_row
from tests.datasets.test_views import upload
from tests.support.pages import PageClient

SCHEMA = {"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}]}
# The spreadsheet of the report: one empty cell repeated 300,000,000 times before a value.
BOMB_ROW = ods_row('<table:table-cell table:number-columns-repeated="300000000"/>', text_cell("x"))


def bomb(tmp_path: Path) -> Path:
    path = write_ods(tmp_path / "bomb.ods", ods_row(text_cell("code"), text_cell("name")), BOMB_ROW)
    assert path.stat().st_size < 600
    return path


def many_strings(tmp_path: Path, count: int = 600_000) -> Path:
    """A small workbook whose string table alone needs a few hundred megabytes of Python objects."""
    rows = [xlsx_row(1, '<c r="A1" t="s"><v>0</v></c>'), xlsx_row(2, '<c r="A2" t="s"><v>1</v></c>')]
    strings = [f"{number:x}-{number * 7919 % 1_000_003:x}" for number in range(count)]
    return write_xlsx(tmp_path / "strings.xlsx", *rows, shared_strings=strings)


@pytest.fixture
def token(app: Flask, make_staff: Callable[..., Any]) -> str:
    """A publisher's API key that may publish."""
    account = make_staff(Role.PUBLISHER)
    with app.app_context():
        issued = issue_key(db.session.get(Staff, account.id), "nightly upload", ["datasets:publish"])
        db.session.commit()
        return issued.token


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every child process started, with its kind and limits."""
    calls: list[dict[str, Any]] = []
    original = child.spawn

    def spy(kind: str, paths: Any, **options: Any) -> Any:
        calls.append({"kind": kind, **options})
        return original(kind, paths, **options)

    monkeypatch.setattr(child, "spawn", spy)
    return calls


def test_a_spreadsheet_is_read_in_a_limited_child_and_gives_the_same_rows(
    tmp_path: Path, spawned: list[dict[str, Any]]
) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx",
        xlsx_row(1, inline_cell("A1", "代碼"), inline_cell("B1", "名稱")),
        xlsx_row(2, inline_cell("A2", "=1+1"), inline_cell("B2", "第一行\n第二行, 有逗號")),
        xlsx_row(4, inline_cell("A4", "A3"), inline_cell("B4", '"引號"')),
    )
    work_folder = tmp_path / "work"
    work_folder.mkdir()
    source = open_isolated(path, "book.xlsx", work=work_folder, process=ProcessLimits(512, 30))
    in_place = open_source(path, "book.xlsx")
    assert source.info.kind == "xlsx"
    assert source.info.columns == in_place.info.columns == ["代碼", "名稱"]
    assert (
        list(source.rows) == list(in_place.rows) == [["=1+1", "第一行\n第二行, 有逗號"], [], ["A3", '"引號"']]
    )
    assert source.estimated_rows == 3
    assert spawned == [{"kind": "ingest", "memory_mb": 512, "cpu_seconds": 30}]
    assert (work_folder / "source.csv").exists()


def test_a_csv_is_read_in_place(tmp_path: Path, spawned: list[dict[str, Any]]) -> None:
    path = write_csv(tmp_path / "s.csv", ["a", "b"], [["1", "2"]])
    source = open_isolated(path, "s.csv", work=tmp_path)
    assert list(source.rows) == [["1", "2"]]
    assert spawned == []


def test_the_reported_bomb_is_refused_by_the_child(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as refused:
        open_isolated(bomb(tmp_path), "bomb.ods", work=tmp_path, process=ProcessLimits(512, 30))
    assert (refused.value.code, refused.value.params) == (
        "too_many_columns",
        {"count": 300_000_001, "limit": 1000},
    )


def test_running_out_of_memory_is_a_refusal_in_both_languages(app: Flask, tmp_path: Path) -> None:
    with pytest.raises(IngestError) as refused:
        open_isolated(many_strings(tmp_path), "strings.xlsx", work=tmp_path, process=ProcessLimits(250, 60))
    assert (refused.value.code, refused.value.params) == ("ingest_memory", {"limit": 250})
    with app.test_request_context("/"):
        assert "250 MB" in refused.value.message()
        assert "記憶體" in refused.value.message()
    with app.test_request_context("/", environ_overrides={"portal.locale": "en"}):
        assert "250 MB" in refused.value.message()
        assert "memory" in refused.value.message()


def test_running_out_of_time_is_a_refusal_and_the_job_keeps_reporting_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolated_module, "HEARTBEAT_SECONDS", 0.1)
    beats: list[None] = []
    with pytest.raises(IngestError) as refused:
        open_isolated(
            many_strings(tmp_path),
            "strings.xlsx",
            work=tmp_path,
            process=ProcessLimits(1024, 1),
            heartbeat=lambda: beats.append(None),
        )
    assert (refused.value.code, refused.value.params) == ("ingest_timeout", {"seconds": 1})
    assert len(beats) >= 3


@pytest.mark.parametrize(("prefix", "words"), [("", "超過 1000 欄的上限"), ("/en", "up to 1000")])
def test_the_staff_page_explains_the_refusal(
    pages: PageClient,
    sign_in: Callable[..., Any],
    make_dataset: Callable[..., Dataset],
    app: Flask,
    tmp_path: Path,
    prefix: str,
    words: str,
) -> None:
    sign_in(Role.PUBLISHER)
    dataset = make_dataset(schema=SCHEMA)
    response = upload(pages, dataset.id, bomb(tmp_path).read_bytes(), "bomb.ods", prefix)
    assert response.status_code == 302
    work(app, burst=True)
    summary = pages.get(response.headers["Location"]).select_one(".error-summary").get_text()
    assert words in summary
    assert "300000001" in summary


@pytest.mark.parametrize(("language", "words"), [("zh-TW", "超過 1000 欄的上限"), ("en", "up to 1000")])
def test_the_api_job_carries_the_refusal_as_a_problem(
    app: Flask,
    client: FlaskClient,
    token: str,
    make_dataset: Callable[..., Dataset],
    tmp_path: Path,
    language: str,
    words: str,
) -> None:
    response = post_release(
        client, make_dataset(schema=SCHEMA).slug, token, bomb(tmp_path).read_bytes(), "bomb.ods"
    )
    assert response.status_code == 202
    assert "problem" not in response.get_json()
    work(app, burst=True)
    job = client.get(
        response.headers["Location"], headers={"X-API-Key": token, "Accept-Language": language}
    ).get_json()
    assert (job["state"], job["refused_for"]) == ("failed", ["ingest"])
    assert job["problem"]["status"] == 422
    assert words in job["problem"]["detail"]
    assert job["problem"]["instance"] == f"/api/v1/jobs/{job['id']}"


def test_the_command_line_explains_the_refusal(
    app: Flask, db_transaction: Any, tmp_path: Path, make_dataset: Callable[..., Dataset]
) -> None:
    dataset = make_dataset(schema=SCHEMA)
    result = app.test_cli_runner().invoke(args=["datasets", "publish", dataset.slug, str(bomb(tmp_path))])
    assert result.exit_code == 1
    assert "超過 1000 欄的上限" in result.output
