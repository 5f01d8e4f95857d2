"""The scan and the files in one child process (narrow tables) or in two (wide ones) publish the same."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from flask import Flask

from datasets.publishing import children as publishing_children
from datasets.storage import release_folder
from tests.datasets.conftest import HEADER, SCHEMA, sample_rows, write_csv

ONE_CHILD, TWO_CHILDREN = 100, 0  # ONE_CHILD_MAX_COLUMNS above and below the table's width


def _files(app: Flask, release) -> dict[str, bytes]:
    """The CSV and JSON files and the ODS file's content.xml of a release."""
    with app.app_context():
        folder = release_folder(release.storage_key)
        return {
            kind: zipfile.ZipFile(folder / release.files[kind]["name"]).read("content.xml")
            if kind == "ods"
            else (folder / release.files[kind]["name"]).read_bytes()
            for kind in ("csv", "json", "ods")
        }


def test_one_child_or_two_write_the_same_files(
    app: Flask, make_dataset, run_publish, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = sample_rows(60)
    rows[9][0] = rows[3][0]  # a repeated key: the files are written again without that row
    source = write_csv(tmp_path / "s.csv", HEADER, rows)
    published = {}
    for arrangement in (ONE_CHILD, TWO_CHILDREN):
        monkeypatch.setattr(publishing_children, "ONE_CHILD_MAX_COLUMNS", arrangement)
        job, release = run_publish(make_dataset(), source, drop_invalid=True)
        assert release is not None, job.report
        assert release.row_count == 59
        published[arrangement] = _files(app, release)
    assert published[ONE_CHILD] == published[TWO_CHILDREN]
    assert published[ONE_CHILD]["csv"].count(b"\r\n") == 60  # the header and 59 rows


@pytest.mark.parametrize("arrangement", [ONE_CHILD, TWO_CHILDREN])
def test_one_child_or_two_refuse_personal_data(
    make_dataset, run_publish, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arrangement: int
) -> None:
    monkeypatch.setattr(publishing_children, "ONE_CHILD_MAX_COLUMNS", arrangement)
    fields = [dict(field) for field in SCHEMA["fields"]]
    fields[-1].pop("deid")  # the phone column published as it is
    source = write_csv(tmp_path / "s.csv", HEADER, sample_rows(30))
    job, release = run_publish(make_dataset(schema={**SCHEMA, "fields": fields}), source)
    assert release is None
    assert job.reason == "pii"
    assert job.report["pii"]["by_column"] == {"phone": {"phone": 30}}
