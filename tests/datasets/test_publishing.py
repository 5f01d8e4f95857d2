"""Publishing releases end to end: files, rows, notes, refusals, locks and comparisons."""

from __future__ import annotations

import csv
import json
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import inspect, select, update

from datasets import query_store
from datasets.models import Dataset, PublishJob, Release
from datasets.publishing import PublishOptions, create_job, publish, remove_abandoned_jobs
from datasets.storage import release_folder
from portal.audit import AuditRecord
from portal.db import db, utcnow
from portal.templating import TAIPEI
from tests.datasets.conftest import HEADER, SCHEMA, sample_rows, write_csv


def files_of(app: Flask, release: Release) -> Path:
    with app.app_context():
        return release_folder(release.storage_key)


def rows_in_store(app: Flask, release: Release) -> list[list[Any]]:
    with app.app_context():
        table = query_store.build_table(release.query_table, release.table_schema)
        return query_store.preview(db.session.connection(), table, limit=1_000_000)


def test_first_release(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset(update_frequency="monthly")
    job, release = run_publish(
        dataset, write_csv(tmp_path / "s.csv", HEADER, sample_rows(30)), notes_zh="初版", notes_en="First"
    )
    assert release is not None, job.report
    assert job.state == "done"
    assert release.number == 1
    assert release.row_count == 30
    assert release.rows_added is None
    folder = files_of(app, release)
    names = sorted(path.name for path in folder.iterdir())
    assert names == sorted(
        [f"{dataset.slug}.{kind}" for kind in ("csv", "json", "ods", "pdf")] + ["datapackage.json"]
    )
    for info in release.files.values():
        assert (folder / info["name"]).stat().st_size == info["size"]
    stored = rows_in_store(app, release)
    assert len(stored) == 30
    assert stored[0][0] == "A00001"
    assert stored[0][5] == "0912***001", "published masked"
    records = json.loads((folder / f"{dataset.slug}.json").read_text(encoding="utf-8"))
    assert records[0]["count"] == 1
    assert "發布說明：初版" in release.notes_zh
    assert "Publisher's note: First" in release.notes_en
    with app.app_context():
        current = db.session.get(Dataset, dataset.id)
        assert current.current_release_id == release.id
        assert current.next_due is not None
        # Due a month after the day of publication in Taipei, whatever the hour in UTC.
        published_in_taipei = release.published_at.replace(tzinfo=UTC).astimezone(TAIPEI).date()
        assert (current.next_due - published_in_taipei).days in range(28, 32)
        assert db.session.scalar(
            select(AuditRecord).where(
                AuditRecord.action == "publish", AuditRecord.entity_id == str(dataset.id)
            )
        )


def test_second_release_counts_what_changed(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset()
    first_rows = sample_rows(20)
    run_publish(dataset, write_csv(tmp_path / "a.csv", HEADER, first_rows))
    second_rows = [list(row) for row in first_rows[3:]] + sample_rows(5, start=100)  # 3 removed, 5 added
    second_rows[0][3] = 49  # one changed
    _job, release = run_publish(dataset, write_csv(tmp_path / "b.csv", HEADER, second_rows))
    assert release is not None
    assert (release.number, release.row_count) == (2, 22)
    assert (release.rows_added, release.rows_removed, release.rows_changed) == (5, 3, 1)
    assert "新增 5 列、刪除 3 列、修改 1 列" in release.notes_zh


def test_without_a_key_changes_are_added_and_removed(
    app: Flask, make_dataset, run_publish, tmp_path: Path
) -> None:
    schema = {"fields": SCHEMA["fields"]}
    dataset = make_dataset(schema=schema)
    rows = sample_rows(10)
    run_publish(dataset, write_csv(tmp_path / "a.csv", HEADER, rows))
    rows[0][3] = 48
    _job, release = run_publish(dataset, write_csv(tmp_path / "b.csv", HEADER, rows))
    assert (release.rows_added, release.rows_removed, release.rows_changed) == (1, 1, None)


def test_invalid_rows_block_and_the_previous_release_stays(
    app: Flask, make_dataset, run_publish, tmp_path: Path
) -> None:
    dataset = make_dataset()
    _job, first = run_publish(dataset, write_csv(tmp_path / "a.csv", HEADER, sample_rows(10)))
    bad = sample_rows(10)
    bad[2][3] = "many"
    bad[5][2] = "2026-02-30"
    bad[7] = bad[7][:3]
    job, release = run_publish(dataset, write_csv(tmp_path / "b.csv", HEADER, bad))
    assert release is None
    assert job.state == "failed"
    assert job.reason == "invalid"
    problems = {
        (problem["row"], problem.get("field"), problem["code"])
        for problem in job.report["validation"]["problems"]
    }
    assert {(4, "count", "type-error"), (7, "day", "type-error"), (9, "count", "missing-cell")} <= problems
    with app.app_context():
        current = db.session.get(Dataset, dataset.id)
        assert current.current_release_id == first.id
        assert db.session.scalar(select(Dataset.publishing_job_id).where(Dataset.id == dataset.id)) is None
        assert (
            db.session.scalar(select(Release.id).where(Release.dataset_id == dataset.id, Release.number == 2))
            is None
        )
        assert not inspect(db.session.connection()).has_table(query_store.table_name_for_job(job.id))
    assert len(rows_in_store(app, first)) == 10
    assert (files_of(app, first) / f"{dataset.slug}.csv").exists()


def test_dropping_invalid_rows_is_recorded(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset()
    rows = sample_rows(10)
    rows[1][3] = "-4"  # below the minimum
    rows[4][0] = rows[3][0]  # repeats a primary key
    _job, release = run_publish(dataset, write_csv(tmp_path / "a.csv", HEADER, rows), drop_invalid=True)
    assert release is not None
    assert release.row_count == 8
    assert release.rows_dropped == 2
    assert "第 3、6 列" in release.notes_zh
    published = list(csv.reader((files_of(app, release) / f"{dataset.slug}.csv").open(encoding="utf-8-sig")))
    assert len(published) == 9
    codes = [row[0] for row in published[1:]]
    assert rows[1][0] not in codes
    assert codes.count(rows[3][0]) == 1
    ods_rows = json.loads((files_of(app, release) / f"{dataset.slug}.json").read_text(encoding="utf-8"))
    assert len(ods_rows) == 8


def test_nothing_valid_publishes_nothing(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset()
    rows = sample_rows(3)
    for row in rows:
        row[3] = "x"
    job, release = run_publish(dataset, write_csv(tmp_path / "a.csv", HEADER, rows), drop_invalid=True)
    assert release is None
    assert job.reason == "no_rows"


def test_changed_columns_are_refused(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset()
    job, release = run_publish(
        dataset, write_csv(tmp_path / "a.csv", [*HEADER[:-1], "mobile"], sample_rows(3))
    )
    assert release is None
    assert job.report["ingest"]["code"] == "columns_changed"
    assert job.report["ingest"]["params"] == {"missing": "phone", "extra": "mobile"}


def test_first_release_infers_the_schema_and_the_gate_stops_personal_data(
    app: Flask, make_dataset, run_publish, tmp_path: Path
) -> None:
    dataset = make_dataset(schema={})
    source = write_csv(tmp_path / "a.csv", HEADER, sample_rows(40))
    job, release = run_publish(dataset, source)
    assert release is None, "the phone column has no rule yet"
    assert job.reason == "pii"
    assert job.report["pii"]["by_column"] == {"phone": {"phone": 40}}
    with app.app_context():
        stored = db.session.get(Dataset, dataset.id)
        types = {field["name"]: field["type"] for field in stored.table_schema["fields"]}
        assert types["phone"] == "string"
        assert types["count"] == "integer"
        assert types["day"] == "date"
        schema = dict(stored.table_schema)
        schema["fields"] = [
            {**field, "deid": {"rule": "mask", "kind": "phone"}} if field["name"] == "phone" else field
            for field in schema["fields"]
        ]
        stored.table_schema = schema
        db.session.commit()
    _job, release = run_publish(dataset, source)
    assert release is not None
    assert release.deid_report["scan"]["findings"] == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("header.csv", ",".join(HEADER).encode()),
        ("binary.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10),
        ("dup.csv", (b"code,code,day,count,rate,phone\nA,B,2026-01-01,1,1,0912\n")),
    ],
)
def test_bad_sources_publish_nothing(
    app: Flask, make_dataset, run_publish, tmp_path: Path, name: str, content: bytes
) -> None:
    dataset = make_dataset()
    _job, first = run_publish(dataset, write_csv(tmp_path / "ok.csv", HEADER, sample_rows(5)))
    path = tmp_path / name
    path.write_bytes(content)
    job, release = run_publish(dataset, path)
    assert release is None
    assert "ingest" in job.report
    with app.app_context():
        assert db.session.get(Dataset, dataset.id).current_release_id == first.id


def test_two_publishes_never_interleave(app: Flask, make_dataset, tmp_path: Path, db_transaction) -> None:
    dataset = make_dataset()
    with app.app_context():
        target = db.session.get(Dataset, dataset.id)
        first = create_job(
            target, write_csv(tmp_path / "a.csv", HEADER, sample_rows(3)), "a.csv", PublishOptions(), "one"
        )
        second = create_job(
            target, write_csv(tmp_path / "b.csv", HEADER, sample_rows(3)), "b.csv", PublishOptions(), "two"
        )
        # The first job holds the lock and is alive.
        db.session.execute(update(Dataset).where(Dataset.id == dataset.id).values(publishing_job_id=first.id))
        first.state = "running"
        first.heartbeat_at = utcnow()
        db.session.commit()
        assert publish(second) is None
        assert second.state == "failed"
        assert second.reason == "busy"
        # Once the first stops reporting for longer than PUBLISH_STALE_SECONDS, it is taken as dead.
        first.heartbeat_at = utcnow() - timedelta(seconds=app.config["PUBLISH_STALE_SECONDS"] + 5)
        db.session.commit()
        third = create_job(
            target, write_csv(tmp_path / "c.csv", HEADER, sample_rows(3)), "c.csv", PublishOptions(), "three"
        )
        release = publish(third)
        assert release is not None
        assert db.session.get(PublishJob, first.id).reason == "interrupted"


def test_abandoned_jobs_are_cleaned_up(app: Flask, make_dataset, tmp_path: Path, db_transaction) -> None:
    dataset = make_dataset()
    with app.app_context():
        target = db.session.get(Dataset, dataset.id)
        job = create_job(
            target, write_csv(tmp_path / "a.csv", HEADER, sample_rows(3)), "a.csv", PublishOptions(), "x"
        )
        table = query_store.build_table(query_store.table_name_for_job(job.id), SCHEMA)
        query_store.create(db.session.connection(), table)
        job.state = "running"
        job.heartbeat_at = utcnow() - timedelta(hours=1)
        db.session.execute(update(Dataset).where(Dataset.id == dataset.id).values(publishing_job_id=job.id))
        db.session.commit()
        assert remove_abandoned_jobs() == 1
        assert not inspect(db.session.connection()).has_table(table.name)
        assert db.session.scalar(select(Dataset.publishing_job_id).where(Dataset.id == dataset.id)) is None


def test_datapackage_describes_the_release(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset()
    _job, release = run_publish(dataset, write_csv(tmp_path / "a.csv", HEADER, sample_rows(5)))
    descriptor = json.loads((files_of(app, release) / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == dataset.slug
    assert descriptor["version"] == "1"
    assert descriptor["resources"][0]["path"] == f"{dataset.slug}.csv"
    assert descriptor["resources"][0]["schema"]["primaryKey"] == ["code"]
    assert descriptor["licenses"][0]["name"] == "OGDL-Taiwan-1.0"


def test_xlsx_source(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "資料"
    sheet.append(HEADER)
    for row in sample_rows(6):
        sheet.append(row)
    path = tmp_path / "source.xlsx"
    workbook.save(path)
    dataset = make_dataset()
    job, release = run_publish(dataset, path, sheet="資料")
    assert release is not None, job.report
    assert release.row_count == 6


@pytest.mark.parametrize("slug", ["cases-by-office-month", "outages", "water-quality"])
def test_demo_releases_pass_frictionless_validate(app: Flask, db_transaction, slug: str) -> None:
    import subprocess
    import sys

    with app.app_context():
        dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug))
        folder = release_folder(dataset.current_release.storage_key)
    frictionless = str(Path(sys.executable).parent / "frictionless")
    result = subprocess.run(
        [frictionless, "validate", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "VALID" in result.stdout


def test_an_indexed_filter_reads_rows_in_page_order_without_sorting(
    app: Flask, make_dataset, run_publish, tmp_path: Path
) -> None:
    # "district = X, first 50 rows by _row" must not sort every match (the data API's common page).
    _job, release = run_publish(make_dataset(), write_csv(tmp_path / "s.csv", HEADER, sample_rows(30)))
    assert release is not None
    with app.app_context():
        connection = db.session.connection()
        table = query_store.build_table(release.query_table, release.table_schema)
        district = table.c[query_store.column_key(1)]
        statement = select(table).where(district == "信義區").order_by(table.c["_row"]).limit(51)
        if connection.dialect.name == "sqlite":
            # The row number is the rowid, which the field's index ends with.
            first_column = inspect(connection).get_columns(release.query_table)[0]
            assert (first_column["name"], type(first_column["type"]).__name__) == ("_row", "INTEGER")
            compiled = statement.compile(connection, compile_kwargs={"literal_binds": True})
            plan = " ".join(
                str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
            )
            assert "INDEX" in plan
            assert "TEMP B-TREE" not in plan
        else:
            indexes = {
                index["name"]: index["column_names"]
                for index in inspect(connection).get_indexes(release.query_table)
            }
            assert indexes[f"ix_{release.query_table}_{query_store.column_key(1)}"] == [
                query_store.column_key(1),
                "_row",
            ]
