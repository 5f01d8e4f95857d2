"""De-identification in the pipeline: rules applied, k-anonymity, and the personal-data gate."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from datasets.deid import public_report
from datasets.deid.allowances import JustificationError, justify
from datasets.models import Dataset, PublishJob
from datasets.publishing import purge_kept_sources, retry_job
from datasets.storage import job_folder, release_folder
from portal.audit import AuditRecord
from portal.auth.roles import Role
from portal.db import db, utcnow
from portal.jobs import work
from tests.browser.conftest import _require
from tests.datasets.conftest import write_csv
from tests.support.pages import PageClient, check_page

PEOPLE = {
    "fields": [
        {"name": "case_no", "type": "string", "deid": {"rule": "pseudonymise"}},
        {"name": "applicant", "type": "string", "deid": {"rule": "mask", "kind": "name"}},
        {"name": "national_id", "type": "string", "deid": {"rule": "drop"}},
        {"name": "phone", "type": "string", "deid": {"rule": "mask", "kind": "phone"}},
        {"name": "address", "type": "string", "deid": {"rule": "generalise", "level": "district"}},
        {"name": "note", "type": "string", "deid": {"rule": "redact"}},
        {"name": "days", "type": "integer", "deid": {"rule": "top_code", "limit": 10}},
    ]
}
HEADER = [field["name"] for field in PEOPLE["fields"]]


def people(count: int, start: int = 1) -> list[list[Any]]:
    districts = ("基隆市中正區中正路", "基隆市信義區信二路", "新北市汐止區大同路")
    return [
        [
            f"P{number:05d}",
            "王小明",
            "A123456789",
            f"0912-{number:03d}-678",
            f"{districts[number % 3]}{number}號",
            f"用戶反映漏水，請回電 0912-{number:03d}-678",
            number % 15,
        ]
        for number in range(start, start + count)
    ]


def published_rows(app: Flask, release: Any, slug: str) -> list[dict[str, str]]:
    with app.app_context():
        folder = release_folder(release.storage_key)
    with (folder / f"{slug}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_rules_are_applied_to_every_format(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset(schema=PEOPLE)
    job, release = run_publish(dataset, write_csv(tmp_path / "p.csv", HEADER, people(12)))
    assert release is not None, job.report
    rows = published_rows(app, release, dataset.slug)
    assert list(rows[0]) == ["case_no", "applicant", "phone", "address", "note", "days"]
    first = rows[0]
    assert len(first["case_no"]) == 16
    assert first["applicant"] == "王○明"
    assert first["phone"] == "0912-***-678"
    assert first["address"] == "基隆市信義區"
    assert first["note"] == "用戶反映漏水，請回電 [電話]"
    assert max(int(row["days"]) for row in rows) == 10
    with app.app_context():
        folder = release_folder(release.storage_key)
    everything = "".join(
        path.read_text(encoding="utf-8", errors="ignore") for path in folder.glob("*.json")
    ) + (folder / f"{dataset.slug}.csv").read_text(encoding="utf-8-sig")
    assert "A123456789" not in everything
    assert "王小明" not in everything
    assert "0912-001-678" not in everything
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "national_id" not in [field["name"] for field in package["resources"][0]["schema"]["fields"]]
    report = release.deid_report
    assert {rule["field"]: rule["rule"] for rule in report["rules"]}["national_id"] == "drop"
    assert report["scan"]["findings"] == 0
    assert report["scan"]["cells_scanned"] > 0


def test_pseudonyms_link_rows_across_releases(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    dataset = make_dataset(schema=PEOPLE)
    _job, first = run_publish(dataset, write_csv(tmp_path / "a.csv", HEADER, people(5)))
    _job, second = run_publish(dataset, write_csv(tmp_path / "b.csv", HEADER, people(5, start=3)))
    # `days` is the row's number here, so it tells which source row each published row came from.
    before = {row["days"]: row["case_no"] for row in published_rows(app, first, dataset.slug)}
    after = {row["days"]: row["case_no"] for row in published_rows(app, second, dataset.slug)}
    shared = set(before) & set(after)
    assert shared == {"3", "4", "5"}
    assert all(before[day] == after[day] for day in shared)
    assert len(set(before.values()) | set(after.values())) == 7


def test_the_gate_refuses_personal_data_and_keeps_the_source(
    app: Flask, make_dataset, run_publish, tmp_path: Path
) -> None:
    schema = {"fields": [dict(field) for field in PEOPLE["fields"]]}
    schema["fields"][5] = {"name": "note", "type": "string"}  # free text without a rule
    dataset = make_dataset(schema=schema)
    _job, first = run_publish(
        dataset,
        write_csv(
            tmp_path / "ok.csv",
            ["case_no", "applicant", "national_id", "phone", "address", "note", "days"],
            [[*row[:5], "無", row[6]] for row in people(3)],
        ),
    )
    assert first is not None
    job, release = run_publish(dataset, write_csv(tmp_path / "p.csv", HEADER, people(6)))
    assert release is None
    assert job.reason == "pii"
    scan = job.report["pii"]
    assert scan["by_column"] == {"note": {"phone": 6}}
    assert len(scan["examples"]) == 6
    assert all("0912" not in example["masked"] or "＊" in example["masked"] for example in scan["examples"])
    assert Path(job.source_path).exists(), "kept for a retry"
    with app.app_context():
        assert db.session.get(Dataset, dataset.id).current_release_id == first.id


def test_justification_then_retry_publishes_with_the_reason_in_the_notes(
    app: Flask, make_dataset, run_publish, tmp_path: Path, db_transaction
) -> None:
    schema = {"fields": [dict(field) for field in PEOPLE["fields"]]}
    schema["fields"][5] = {"name": "note", "type": "string"}
    dataset = make_dataset(schema=schema)
    rows = [[*row[:5], "洽詢請撥本處總機 (02)2458-2233", row[6]] for row in people(4)]
    job, release = run_publish(dataset, write_csv(tmp_path / "p.csv", HEADER, rows))
    assert release is None
    example = job.report["pii"]["examples"][0]
    with app.app_context():
        target = db.session.get(Dataset, dataset.id)
        with pytest.raises(JustificationError):
            justify(target, example["fingerprint"], "短", "tester", role="publisher")
        with pytest.raises(JustificationError):
            justify(target, "0" * 32, "這是機關的總機電話", "tester", role="publisher")
        justify(
            target,
            example["fingerprint"],
            "這是機關的總機電話，不是個人資料",
            "tester.name",
            role="publisher",
            office="KL",
        )
        db.session.commit()
        retry = retry_job(db.session.get(PublishJob, job.id), "tester")
        db.session.commit()
        from datasets.publishing import publish

        released = publish(retry)
        assert released is not None
        assert "這是機關的總機電話" in released.notes_zh
        justified = released.deid_report["scan"]["justified"][0]
        assert justified["count"] == 4
        assert (justified["role"], justified["office"]) == ("publisher", "KL")
        assert "by" not in justified
        assert "tester.name" not in json.dumps(released.deid_report)
        assert db.session.get(Dataset, dataset.id).pii_allowances[0]["by"] == "tester.name", "kept for staff"
        slug, number = dataset.slug, released.number
    document = app.test_client().get(f"/api/v1/datasets/{slug}/releases/{number}").get_json()
    assert document["deidentification"]["scan"]["justified"][0]["role"] == "publisher"
    assert "tester.name" not in json.dumps(document)
    with app.app_context():
        assert db.session.scalar(
            select(AuditRecord).where(
                AuditRecord.action == "pii_justified", AuditRecord.entity_id == str(dataset.id)
            )
        )


def test_a_report_stored_with_a_user_name_is_published_without_it() -> None:
    stored = {
        "rules": [],
        "scan": {
            "findings": 0,
            "justified": [
                {
                    "column": "note",
                    "kind": "phone",
                    "masked": "(02)＊",
                    "reason": "總機",
                    "by": "someone",
                    "count": 2,
                }
            ],
        },
    }
    shown = public_report(stored)
    assert shown is not None
    assert shown["scan"]["justified"][0]["reason"] == "總機"
    assert "someone" not in json.dumps(shown)
    assert stored["scan"]["justified"][0]["by"] == "someone", "the stored report is not changed"


def test_k_anonymity_withholds_rows_in_small_groups(
    app: Flask, make_dataset, run_publish, tmp_path: Path
) -> None:
    dataset = make_dataset(schema=PEOPLE, quasi_identifiers=["address"], k_anonymity=5)
    _job, release = run_publish(dataset, write_csv(tmp_path / "p.csv", HEADER, people(15)))
    # 15 rows over three districts: 5 each. With 14 rows one district has only 4.
    assert release.deid_report["k_anonymity"] == {
        "quasi_identifiers": ["address"],
        "k": 5,
        "achieved": 5,
        "rows_suppressed": 0,
    }
    _job, release = run_publish(dataset, write_csv(tmp_path / "q.csv", HEADER, people(14)))
    k_report = release.deid_report["k_anonymity"]
    assert k_report["rows_suppressed"] == 4
    assert k_report["achieved"] == 5
    assert release.row_count == 10
    assert len(published_rows(app, release, dataset.slug)) == 10
    assert "隱藏了 4 列" in release.notes_zh


def test_small_counts_are_suppressed(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    schema = {
        "fields": [
            {"name": "district", "type": "string"},
            {"name": "cases", "type": "integer", "deid": {"rule": "suppress_small", "threshold": 3}},
        ]
    }
    dataset = make_dataset(schema=schema)
    _job, release = run_publish(
        dataset,
        write_csv(tmp_path / "c.csv", ["district", "cases"], [["中正區", 2], ["信義區", 0], ["仁愛區", 7]]),
    )
    assert [row["cases"] for row in published_rows(app, release, dataset.slug)] == ["<3", "0", "7"]
    assert release.table_schema["fields"][1]["type"] == "string"


def test_rules_that_do_not_fit_refuse_the_release(
    app: Flask, make_dataset, run_publish, tmp_path: Path
) -> None:
    schema = {
        "fields": [{"name": "district", "type": "string", "deid": {"rule": "generalise", "level": "month"}}]
    }
    dataset = make_dataset(schema=schema)
    job, release = run_publish(dataset, write_csv(tmp_path / "c.csv", ["district"], [["中正區"]]))
    assert release is None
    assert job.reason == "rules"
    assert "cannot be generalised" in job.report["rules"]


def test_the_pdf_carries_the_report(app: Flask, make_dataset, run_publish, tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    _require(pdftotext is not None, "pdftotext is not installed")
    dataset = make_dataset(schema=PEOPLE)
    _job, release = run_publish(dataset, write_csv(tmp_path / "p.csv", HEADER, people(3)))
    with app.app_context():
        pdf = release_folder(release.storage_key) / f"{dataset.slug}.pdf"
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "去識別化報告" in text
    assert "national_id：不公開" in text
    assert "A123456789" not in text


def test_kept_sources_are_purged_after_a_week(
    app: Flask, make_dataset, run_publish, tmp_path: Path, db_transaction
) -> None:
    schema = {"fields": [{"name": "note", "type": "string"}]}
    dataset = make_dataset(schema=schema)
    job, _release = run_publish(dataset, write_csv(tmp_path / "p.csv", ["note"], [["請撥 0912-345-678"]]))
    source = Path(job.source_path)
    assert source.exists()
    with app.app_context():
        purge_kept_sources()  # other tests' leftovers may go; this week-old-at-most job's source must stay
        assert source.exists()
        db.session.execute(
            update(PublishJob).where(PublishJob.id == job.id).values(finished_at=utcnow() - timedelta(days=8))
        )
        db.session.commit()
        assert purge_kept_sources() >= 1
    assert not source.exists()


def test_orphan_work_folders_go_only_once_stale(app: Flask) -> None:
    """A folder whose job row does not exist may belong to a job still being created: purge it only when old."""
    with app.app_context():
        young = job_folder(987_654_321, fresh=True)
        old = job_folder(987_654_322, fresh=True)
        week_ago = time.time() - 8 * 24 * 3600
        os.utime(old, (week_ago, week_ago))
        purge_kept_sources()
    assert young.exists()
    assert not old.exists()
    shutil.rmtree(young)


def test_web_justification_flow(pages: PageClient, sign_in, make_dataset, app: Flask, tmp_path: Path) -> None:
    from tests.datasets.test_views import upload

    sign_in(Role.PUBLISHER)
    dataset = make_dataset(schema={"fields": [{"name": "note", "type": "string"}]})
    content = write_csv(
        tmp_path / "p.csv", ["note"], [["本處總機 (02)2458-2233"], ["本處總機 (02)2458-2233"]]
    ).read_bytes()
    response = upload(pages, dataset.id, content, "notes.csv")
    work(app, burst=True)
    status_url = response.headers["Location"]
    page = pages.get(status_url)
    assert "個人資料" in page.select_one(".error-summary").get_text()
    inputs = page.select('#justify-form input[name^="reason-"]')
    assert len(inputs) == 1
    masked = page.select_one("#justify-form tbody td:nth-of-type(3)").get_text()
    assert "2458-2233" not in masked
    form = page.select_one("#justify-form")
    token = form.select_one('input[name="csrf_token"]')["value"]
    empty = pages.client.post(form["action"], data={"csrf_token": token})
    assert empty.status_code == 400
    assert check_page(empty, status_url).select_one(".error-summary li")
    response = pages.client.post(
        form["action"], data={"csrf_token": token, inputs[0]["name"]: "機關總機號碼，公開資訊"}
    )
    assert response.status_code == 302
    work(app, burst=True)
    done = pages.get(response.headers["Location"])
    assert "第 1 版已上線" in done.select_one("main").get_text()
    dataset_page = pages.get(f"/datasets/{dataset.slug}")
    assert "機關總機號碼" in dataset_page.select_one(".deid-report").get_text()


def test_cli_prints_findings_and_takes_a_justification(
    app: Flask, make_dataset, tmp_path: Path, db_transaction
) -> None:
    dataset = make_dataset(schema={"fields": [{"name": "note", "type": "string"}]})
    runner = app.test_cli_runner()
    source = write_csv(tmp_path / "p.csv", ["note"], [["請寄至 service@example.gov.tw"]])
    refused = runner.invoke(args=["datasets", "publish", dataset.slug, str(source)])
    assert refused.exit_code == 1
    assert "note: email x1" in refused.output
    fingerprint = refused.output.split("email\t")[1].split("\t")[1].split()[0]
    assert len(fingerprint) == 32
    assert "service@example.gov.tw" not in refused.output
    justified = runner.invoke(args=["datasets", "justify", dataset.slug, fingerprint, "機關的服務信箱"])
    assert justified.exit_code == 0, justified.output
    published = runner.invoke(args=["datasets", "publish", dataset.slug, str(source)])
    assert published.exit_code == 0, published.output
    bad = runner.invoke(args=["datasets", "justify", dataset.slug, "f" * 32, "沒有這一項的理由"])
    assert bad.exit_code == 1
