"""`flask datasets ...`: definitions from YAML, publishing for automation, code tables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from flask import Flask
from sqlalchemy import select

from datasets.models import Dataset, Release
from portal.classification.models import ClassificationCode
from portal.db import db
from tests.datasets.conftest import HEADER, SCHEMA, sample_rows, write_csv


@pytest.fixture
def runner(app: Flask, db_transaction):
    return app.test_cli_runner()


DEFINITION = {
    "name": "meter-replacements",
    "title": "水表更換統計",
    "title_en": "Meter replacements",
    "description": "各區水表更換數量。",
    "keywords": ["水表"],
    "classification": {"theme": "760", "service": "E00"},
    "office": "KL",
    "contact": {"name": "王小明", "phone": "(02) 2425-2103"},
    "update_frequency": "quarterly",
    "temporal": {"start": "2025-01-01"},
    "schema": SCHEMA,
}


def write_definition(tmp_path: Path, **changes: object) -> Path:
    path = tmp_path / "definition.yaml"
    path.write_text(yaml.safe_dump({**DEFINITION, **changes}, allow_unicode=True), encoding="utf-8")
    return path


def test_define_then_publish(runner, app: Flask, tmp_path: Path) -> None:
    result = runner.invoke(args=["datasets", "define", str(write_definition(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "created dataset meter-replacements" in result.output
    again = runner.invoke(
        args=["datasets", "define", str(write_definition(tmp_path, title_en="Water meter replacements"))]
    )
    assert "updated dataset meter-replacements" in again.output
    source = write_csv(tmp_path / "source.csv", HEADER, sample_rows(12))
    published = runner.invoke(
        args=["datasets", "publish", "meter-replacements", str(source), "--note-zh", "第一季"]
    )
    assert published.exit_code == 0, published.output
    assert "published meter-replacements release 1: 12 rows" in published.output
    assert "  validate " in published.output, "each stage's time"
    assert "12 rows (" in published.output
    with app.app_context():
        dataset = db.session.scalar(select(Dataset).where(Dataset.slug == "meter-replacements"))
        assert dataset.title_en == "Water meter replacements"
        assert dataset.office.code == "KL"
        release = db.session.scalar(select(Release).where(Release.dataset_id == dataset.id))
        assert "第一季" in release.notes_zh
    assert "meter-replacements\trelease 1 (12 rows)" in runner.invoke(args=["datasets", "list"]).output


def test_refused_publish_prints_the_report_and_fails(runner, tmp_path: Path) -> None:
    runner.invoke(args=["datasets", "define", str(write_definition(tmp_path))])
    rows = sample_rows(4)
    rows[1][3] = "three"
    result = runner.invoke(
        args=["datasets", "publish", "meter-replacements", str(write_csv(tmp_path / "s.csv", HEADER, rows))]
    )
    assert result.exit_code == 1
    assert "row 3\tcount\ttype-error" in result.output
    assert "nothing was published" in result.output
    dropped = runner.invoke(
        args=[
            "datasets",
            "publish",
            "meter-replacements",
            str(write_csv(tmp_path / "s.csv", HEADER, rows)),
            "--drop-invalid",
        ]
    )
    assert dropped.exit_code == 0, dropped.output
    assert "3 rows" in dropped.output


def test_unreadable_source_is_explained(runner, tmp_path: Path) -> None:
    runner.invoke(args=["datasets", "define", str(write_definition(tmp_path))])
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = runner.invoke(args=["datasets", "publish", "meter-replacements", str(empty)])
    assert result.exit_code == 1
    assert "空" in result.output or "empty" in result.output.lower()
    unknown = runner.invoke(args=["datasets", "publish", "no-such-dataset", str(empty)])
    assert unknown.exit_code == 1
    assert "no dataset named" in unknown.output


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Bad Name"}, "name:"),
        ({"title": ""}, "title: required"),
        ({"update_frequency": "hourly"}, "update_frequency"),
        ({"licence": "WTFPL"}, "licence"),
        ({"office": "ZZ"}, "office"),
        ({"temporal": {"start": "2025-13-01"}}, "temporal.start"),
        ({"schema": {"fields": [{"name": "a", "type": "money"}]}}, "unknown type"),
        ({"schema": {"fields": [{"name": "a"}, {"name": "a"}]}}, "used twice"),
        ({"schema": {"fields": [{"name": "a"}], "primaryKey": ["b"]}}, "primaryKey"),
        ({"schema": {"fields": [{"name": "a", "constraints": {"pattern": "("}}]}}, "pattern"),
        ({"classification": "760"}, "classification: a mapping with theme, cake, service"),
        ({"contact": "王小明 (02) 2425-2103"}, "contact: a mapping with name, phone, email"),
        ({"temporal": "2025-01-01"}, "temporal: a mapping with start, end"),
        ({"temporal": ["2025-01-01", "2025-12-31"]}, "temporal: a mapping with start, end"),
        ({"privacy": "k=5"}, "privacy: a mapping"),
    ],
)
def test_bad_definitions_are_explained(
    runner, app: Flask, tmp_path: Path, changes: dict, message: str
) -> None:
    result = runner.invoke(args=["datasets", "define", str(write_definition(tmp_path, **changes))])
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(Dataset).where(Dataset.title_en == "Meter replacements")) is None


def test_definition_that_is_not_yaml(runner, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: [unclosed", encoding="utf-8")
    result = runner.invoke(args=["datasets", "define", str(path)])
    assert result.exit_code == 1
    assert "cannot read" in result.output


def test_load_codes(runner, app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(
        "scheme,code,name_zh,name_en\ntheme,761,自來水,Tap water\nservice,I00,公共資訊（更新）,Public information\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["datasets", "codes", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 codes added, 1 updated" in result.output
    with app.app_context():
        code = db.session.scalar(select(ClassificationCode).where(ClassificationCode.code == "I00"))
        assert code.name_zh == "公共資訊（更新）"
    path.write_text("scheme,code,name_zh\nplanet,1,火星\n", encoding="utf-8")
    bad = runner.invoke(args=["datasets", "codes", "load", str(path)])
    assert bad.exit_code == 1
    assert "line 2" in bad.output


def test_cleanup(runner) -> None:
    result = runner.invoke(args=["datasets", "cleanup"])
    assert result.exit_code == 0
    assert "abandoned publish jobs cleaned up" in result.output


def test_demo_has_three_datasets_with_two_releases(app: Flask, db_transaction) -> None:
    with app.app_context():
        for slug in ("cases-by-office-month", "outages", "water-quality"):
            dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug))
            numbers = sorted(
                db.session.scalars(select(Release.number).where(Release.dataset_id == dataset.id))
            )
            assert numbers == [1, 2]
            assert dataset.current_release.number == 2
