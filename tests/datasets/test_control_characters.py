"""Control characters in one-line fields: refused wherever text comes in, cleaned wherever stored
text goes into a header, so that a title with a line break can neither be saved nor break a download."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from datasets.models import Dataset, PublishJob, Release
from portal.apikeys.services import issue_key
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db
from tests.datasets.api.test_publishing_api import csv_bytes, post_release
from tests.datasets.conftest import HEADER, sample_rows, write_csv
from tests.datasets.test_cli import DEFINITION
from tests.datasets.test_views import DATASET_FORM
from tests.support.pages import PageClient

CONTROLS = ["\n", "\r", "\t", "\x00", "\x1b", "\u2028"]
IDS = ["line feed", "carriage return", "tab", "NUL", "escape", "line separator"]
HEADER_VALUE = re.compile(r"[\x20-\x7e]*")


def dataset_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Dataset)) or 0


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
@pytest.mark.parametrize(("prefix", "words"), [("", "只能填一行文字"), ("/en", "one line of text")])
def test_the_dataset_form_refuses_a_title_with_a_control_character(
    pages: PageClient, sign_in: Callable[..., Any], app: Flask, control: str, prefix: str, words: str
) -> None:
    sign_in(Role.PUBLISHER)
    before = dataset_count(app)
    form = {**DATASET_FORM, "title_zh": f"管線{control}修繕紀錄"}
    page = pages.post_form_page(f"{prefix}/staff/datasets/new", form, status=400)
    links = page.select(".error-summary a")
    assert [link["href"] for link in links] == ["#title_zh"]
    assert words in links[0].get_text()
    assert "3" in links[0].get_text(), "the message says where the character is"
    assert page.select_one("#title_en")["value"] == "Pipe repairs", "what was typed is kept"
    assert dataset_count(app) == before


def test_an_edit_with_a_control_character_changes_nothing(
    pages: PageClient, sign_in: Callable[..., Any], app: Flask, make_dataset: Callable[..., Dataset]
) -> None:
    sign_in(Role.PUBLISHER)
    dataset = make_dataset(title_zh="原名稱", slug="kept-title")
    form = {**DATASET_FORM, "slug": "kept-title", "title_zh": "新\x1b[2J名稱", "contact_name": "王\n小明"}
    page = pages.post_form_page(f"/staff/datasets/{dataset.id}/edit", form, status=400)
    assert {link["href"] for link in page.select(".error-summary a")} == {"#title_zh", "#contact_name"}
    with app.app_context():
        assert db.session.get(Dataset, dataset.id).title_zh == "原名稱"


def test_multi_line_fields_keep_line_breaks_but_not_other_controls(
    pages: PageClient, sign_in: Callable[..., Any], app: Flask
) -> None:
    sign_in(Role.PUBLISHER)
    page = pages.post_form_page(
        "/staff/datasets/new", {**DATASET_FORM, "description_zh": "第一段\x00第二段"}, status=400
    )
    assert [link["href"] for link in page.select(".error-summary a")] == ["#description_zh"]
    response = pages.post_form(
        "/staff/datasets/new", {**DATASET_FORM, "description_zh": "第一段\r\n\t第二段"}
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(Dataset).where(Dataset.slug == "pipe-repairs"))
        assert "第一段" in stored.description_zh
        assert "\t第二段" in stored.description_zh


@pytest.fixture
def token(app: Flask, make_staff: Callable[..., Any]) -> str:
    account = make_staff(Role.PUBLISHER)
    with app.app_context():
        issued = issue_key(db.session.get(Staff, account.id), "nightly upload", ["datasets:publish"])
        db.session.commit()
        return issued.token


def job_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PublishJob)) or 0


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
@pytest.mark.parametrize(("language", "words"), [("zh-TW", "只能填一行文字"), ("en", "one line of text")])
def test_the_publishing_api_refuses_a_one_line_field_with_a_control_character(
    app: Flask,
    client: FlaskClient,
    token: str,
    make_dataset: Callable[..., Dataset],
    tmp_path: Path,
    control: str,
    language: str,
    words: str,
) -> None:
    before = job_count(app)
    response = post_release(
        client,
        make_dataset().slug,
        token,
        csv_bytes(tmp_path),
        headers={"Accept-Language": language},
        sheet=f"工作表{control}1",
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["parameter"] == "sheet"
    assert words in problem["detail"]
    assert job_count(app) == before


def test_the_publishing_api_refuses_a_file_name_with_a_control_character(
    app: Flask, client: FlaskClient, token: str, make_dataset: Callable[..., Dataset], tmp_path: Path
) -> None:
    before = job_count(app)
    response = post_release(client, make_dataset().slug, token, csv_bytes(tmp_path), filename="data\x1b.csv")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "file"
    assert job_count(app) == before


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_a_yaml_definition_with_a_control_character_is_refused(
    app: Flask, db_transaction: Any, tmp_path: Path, control: str
) -> None:
    definition = {
        **DEFINITION,
        "name": "control-test",
        "title": f"水表{control}更換",
        "schema": {"fields": [{"name": "code", "title": f"代{control}碼"}]},
    }
    path = tmp_path / "definition.yaml"
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["datasets", "define", str(path)])
    assert result.exit_code == 1
    assert "title: one line of text" in result.output
    assert "schema.fields[1].title: one line of text" in result.output
    with app.app_context():
        assert db.session.scalar(select(Dataset).where(Dataset.slug == "control-test")) is None


def assert_clean_headers(response: Any, url: str) -> None:
    for name, value in response.headers.items():
        assert HEADER_VALUE.fullmatch(value), f"{url}: header {name} is {value!r}"


def test_a_title_stored_with_control_characters_still_downloads_every_file(
    app: Flask,
    client: FlaskClient,
    make_dataset: Callable[..., Dataset],
    run_publish: Callable[..., Any],
    tmp_path: Path,
) -> None:
    # Stored before the forms refused it: written straight into the table (PostgreSQL text cannot hold NUL).
    with app.app_context():
        nul = "\x00" if db.engine.dialect.name == "sqlite" else ""
    title = f"停水\n通知\r\t{nul}\x1b[31m紀錄\u2028\u202e"
    dataset = make_dataset(title_zh=title, title_en="Outage\nnotices")
    job, release = run_publish(dataset, write_csv(tmp_path / "s.csv", HEADER, sample_rows(5)))
    assert isinstance(release, Release), job.report
    for kind, info in release.files.items():
        url = f"/datasets/{dataset.slug}/releases/{release.number}/{info['name']}"
        response = client.get(url)
        assert response.status_code == 200, f"{kind}: {response.status_code}"
        assert_clean_headers(response, url)
        disposition = response.headers["Content-Disposition"]
        if kind != "datapackage":
            assert "%E5%81%9C%E6%B0%B4%20%E9%80%9A%E7%9F%A5%20" in disposition, disposition  # 停水 通知 …
            assert "%0A" not in disposition
            assert "%1B" not in disposition
    ods = client.get(f"/datasets/{dataset.slug}/releases/{release.number}/{release.files['ods']['name']}")
    with zipfile.ZipFile(io.BytesIO(ods.get_data())) as archive:
        for member in ("meta.xml", "content.xml"):
            ElementTree.fromstring(archive.read(member))  # the title is in meta.xml: still well-formed XML
    for url in (
        f"/datasets/{dataset.slug}",
        f"/en/datasets/{dataset.slug}",
        f"/api/v1/datasets/{dataset.slug}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean_headers(response, url)
