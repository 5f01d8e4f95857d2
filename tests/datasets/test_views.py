"""The catalogue pages, downloads, and the staff pages that publish."""

from __future__ import annotations

import io
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update

from datasets.models import Dataset, PublishJob, Release
from portal.auth.roles import Role
from portal.db import db
from portal.jobs import work
from tests.datasets.conftest import HEADER, sample_rows, write_csv
from tests.support.pages import PageClient, check_page


def test_catalogue_lists_the_demo_datasets(pages: PageClient) -> None:
    page = pages.get("/datasets")
    titles = [link.get_text(strip=True) for link in page.select(".dataset-card h2 a")]
    assert {"停水紀錄", "水質檢驗結果", "各服務所受理案件統計"} <= set(titles)
    english = pages.get("/en/datasets")
    assert "Water outages" in [link.get_text(strip=True) for link in english.select(".dataset-card h2 a")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=水質", {"水質檢驗結果"}),
        ("q=outage", {"停水紀錄"}),
        ("theme=760", {"水質檢驗結果"}),
        ("service=I00", {"各服務所受理案件統計", "陳情案件處理情形"}),
        ("office=XS", {"水質檢驗結果"}),
        ("keyword=停水", {"停水紀錄"}),
        ("format=xls", set()),
        ("q=%25%25%25", set()),
    ],
)
def test_catalogue_filters(pages: PageClient, query: str, expected: set[str]) -> None:
    page = pages.get(f"/datasets?{query}")
    titles = {link.get_text(strip=True) for link in page.select(".dataset-card h2 a")}
    assert titles == expected


def test_catalogue_pages(pages: PageClient, make_dataset) -> None:
    for _ in range(20):
        make_dataset()
    first = pages.get("/datasets")
    assert len(first.select(".dataset-card")) == 20
    second = pages.get("/datasets?page=2")
    assert len(second.select(".dataset-card")) >= 3
    pages.get("/datasets?page=banana")


def test_dataset_page(pages: PageClient) -> None:
    page = pages.get("/datasets/water-quality")
    assert page.h1.get_text(strip=True) == "水質檢驗結果"
    downloads = [link["href"] for link in page.select("#downloads-title ~ table a")]
    assert [href.rsplit(".", 1)[-1] for href in downloads] == ["csv", "ods", "json", "pdf", "json"]
    preview = page.select("table.preview tbody tr")
    assert len(preview) == 20
    assert preview[0].select("td")[2].get_text() == "0101", "codes keep their leading zero"
    history = page.select("#history-title ~ table tbody tr")
    assert len(history) == 2
    assert page.select_one('meta[name="Category.Theme"]')["content"] == "760"
    english = pages.get("/en/datasets/water-quality")
    assert "Free residual chlorine" in english.select_one("table.preview thead").get_text()


def test_release_page_and_downloads(pages: PageClient) -> None:
    page = pages.get("/datasets/outages/releases/2")
    assert "新增" in page.select_one(".details").get_text()
    response = pages.get_response("/datasets/outages/releases/2/outages.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["Content-Disposition"]
    etag = response.headers["ETag"]
    again = pages.get_response("/datasets/outages/releases/2/outages.csv", headers={"If-None-Match": etag})
    assert again.status_code == 304
    part = pages.get_response("/datasets/outages/releases/2/outages.csv", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206
    assert len(part.data) == 10
    assert pages.get_response("/datasets/outages/releases/2/outages.pdf").mimetype == "application/pdf"


@pytest.mark.parametrize(
    "path",
    [
        "/datasets/nope",
        "/datasets/outages/releases/9",
        "/datasets/outages/releases/2/../../secret",
        "/datasets/outages/releases/2/other.csv",
        "/datasets/outages/releases/x/outages.csv",
    ],
)
def test_missing_things_are_not_found(pages: PageClient, path: str) -> None:
    assert pages.get_response(path).status_code == 404


def test_unpublished_dataset_is_hidden(pages: PageClient, make_dataset) -> None:
    dataset = make_dataset(published=False)
    assert pages.get_response(f"/datasets/{dataset.slug}").status_code == 404
    assert dataset.title_zh not in pages.get("/datasets").get_text()


def test_overdue_dataset_is_marked(pages: PageClient, app: Flask, db_transaction) -> None:
    with app.app_context():
        db.session.execute(
            update(Dataset).where(Dataset.slug == "outages").values(next_due=date.today() - timedelta(days=3))
        )
        db.session.commit()
    page = pages.get("/datasets/outages")
    assert page.select_one(".notice-warning")
    listing = pages.get("/datasets?q=停水")
    assert listing.select_one(".dataset-card .tag-warning")


def test_dashboard_lists_overdue_datasets(pages: PageClient, sign_in, app: Flask) -> None:
    sign_in(Role.PUBLISHER)
    with app.app_context():
        db.session.execute(
            update(Dataset).where(Dataset.slug == "outages").values(next_due=date.today() - timedelta(days=3))
        )
        db.session.commit()
    page = pages.get("/staff/")
    assert "停水紀錄" in page.select_one(".card-grid").get_text()


DATASET_FORM = {
    "slug": "pipe-repairs",
    "title_zh": "管線修繕紀錄",
    "title_en": "Pipe repairs",
    "description_zh": "修繕案件。",
    "description_en": "",
    "keywords": "管線、修繕, 漏水",
    "theme_code": "760",
    "cake_code": "",
    "service_code": "E00",
    "office_id": "",
    "contact_name": "王小明",
    "contact_phone": "(02) 2425-2103",
    "contact_email": "",
    "provision_type": "原始資料",
    "update_frequency": "monthly",
    "licence": "OGDL-Taiwan-1.0",
    "cost": "免費",
    "temporal_start": "2025-01-01",
    "temporal_end": "",
    "identifier": "",
    "related_url": "",
    "notes": "",
    "published": "y",
}


def test_publisher_creates_a_dataset(pages: PageClient, sign_in, app: Flask) -> None:
    sign_in(Role.PUBLISHER)
    response = pages.post_form("/staff/datasets/new", DATASET_FORM)
    assert response.status_code == 302
    with app.app_context():
        dataset = db.session.scalar(select(Dataset).where(Dataset.slug == "pipe-repairs"))
        assert dataset.keywords == ["管線", "修繕", "漏水"]
        assert dataset.temporal_start == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "outages"}, "slug"),
        ({"slug": "Not OK"}, "slug"),
        ({"title_zh": ""}, "title_zh"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"related_url": "javascript:alert(1)"}, "related_url"),
        ({"temporal_start": "2026-02-30"}, "temporal_start"),
        ({"temporal_end": "2024-01-01"}, "temporal_end"),
        ({"update_frequency": "hourly"}, "update_frequency"),
        ({"theme_code": "999"}, "theme_code"),
    ],
)
def test_dataset_form_refusals(pages: PageClient, sign_in, app: Flask, changes: dict, field: str) -> None:
    sign_in(Role.PUBLISHER)
    page = pages.post_form_page("/staff/datasets/new", {**DATASET_FORM, **changes}, status=400)
    assert f"#{field}" in [link["href"] for link in page.select(".error-summary a")]
    with app.app_context():
        assert db.session.scalar(select(Dataset).where(Dataset.title_en == "Pipe repairs")) is None


def test_schema_editor(pages: PageClient, sign_in, app: Flask) -> None:
    sign_in(Role.PUBLISHER)
    with app.app_context():
        dataset = db.session.scalar(select(Dataset).where(Dataset.slug == "outages"))
        schema = dataset.table_schema
    form = pages.get(f"/staff/datasets/{dataset.id}/schema")
    assert len(form.select("fieldset.schema-field")) == len(schema["fields"])
    data = {}
    for input_ in form.select("fieldset.schema-field input, fieldset.schema-field select"):
        name = input_["name"]
        if input_.name == "select":
            selected = input_.select_one("option[selected]")
            data[name] = selected["value"] if selected else input_.select_one("option")["value"]
        elif input_.get("type") == "checkbox":
            if input_.has_attr("checked"):
                data[name] = "y"
        else:
            data[name] = input_.get("value", "")
    data["fields-6-title_en"] = "Why"
    data["fields-5-minimum"] = "10"
    data["primary_key"] = ["outage_id"]
    assert pages.post_form(f"/staff/datasets/{dataset.id}/schema", data).status_code == 302
    with app.app_context():
        saved = db.session.get(Dataset, dataset.id).table_schema
        assert saved["fields"][6]["title_en"] == "Why"
        assert saved["fields"][5]["constraints"]["minimum"] == 10
    data["fields-5-minimum"] = "ten"
    page = pages.post_form_page(f"/staff/datasets/{dataset.id}/schema", data, status=400)
    assert page.select_one(".error-summary")


def upload(
    pages: PageClient, dataset_id: int, content: bytes, filename: str, prefix: str = "", **fields: str
):
    from tests.support.pages import csrf_token_of

    url = f"{prefix}/staff/datasets/{dataset_id}/publish"
    token = csrf_token_of(pages.client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "source": (io.BytesIO(content), filename), **fields}
    return pages.client.post(url, data=data, content_type="multipart/form-data")


def finish_jobs(app: Flask) -> None:
    work(app, burst=True)


def test_upload_publishes_in_the_background(
    pages: PageClient, sign_in, make_dataset, app: Flask, tmp_path: Path
) -> None:
    sign_in(Role.PUBLISHER)
    dataset = make_dataset()
    content = write_csv(tmp_path / "s.csv", HEADER, sample_rows(25)).read_bytes()
    response = upload(pages, dataset.id, content, "新資料.csv", notes_zh="網頁上傳")
    assert response.status_code == 302
    status_url = response.headers["Location"]
    finish_jobs(app)
    page = pages.get(status_url)
    assert "第 1 版已上線" in page.select_one("main").get_text()
    timings = next(table for table in page.select("table") if "各階段耗時" in table.caption.get_text())
    validate = next(row for row in timings.select("tbody tr") if "驗證與載入資料" in row.th.get_text())
    assert [cell.get_text() for cell in validate.select("td")][1] == "25", "rows of the validation stage"
    status = pages.get_response(status_url + ".json").get_json()
    assert status["state"] == "done"
    assert status["progress"] == 100
    with app.app_context():
        release = db.session.scalar(select(Release).where(Release.dataset_id == dataset.id))
        assert release.row_count == 25
        assert release.source_name == "新資料.csv"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_upload_with_invalid_rows_shows_the_report(
    pages: PageClient, sign_in, make_dataset, app: Flask, tmp_path: Path, prefix: str
) -> None:
    sign_in(Role.PUBLISHER)
    dataset = make_dataset()
    rows = sample_rows(5)
    rows[2][3] = "abc"
    response = upload(
        pages, dataset.id, write_csv(tmp_path / "s.csv", HEADER, rows).read_bytes(), "s.csv", prefix
    )
    finish_jobs(app)
    page = pages.get(response.headers["Location"])
    assert page.select_one(".error-summary")
    row = page.select_one("table tbody tr")
    assert row.th.get_text() == "4"
    assert row.select("td")[0].get_text() == "count"
    assert "abc" in row.select("td")[1].get_text()
    if prefix:
        assert (
            "not" in row.select("td")[1].get_text().lower()
            or "format" in row.select("td")[1].get_text().lower()
        )


@pytest.mark.parametrize(
    ("content", "filename", "code_text"),
    [(b"", "empty.csv", "空"), (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "photo.csv", "二進位")],
)
def test_bad_upload_explains_itself(
    pages: PageClient, sign_in, make_dataset, app: Flask, content: bytes, filename: str, code_text: str
) -> None:
    sign_in(Role.PUBLISHER)
    dataset = make_dataset()
    response = upload(pages, dataset.id, content, filename)
    if response.status_code == 400:  # an empty file is refused by the form itself
        assert check_page(response, "/staff/x").select_one(".error-summary")
        return
    finish_jobs(app)
    assert code_text in pages.get(response.headers["Location"]).select_one(".error-summary").get_text()


def test_wrong_file_type_is_refused_by_the_form(pages: PageClient, sign_in, make_dataset) -> None:
    sign_in(Role.PUBLISHER)
    dataset = make_dataset()
    response = upload(pages, dataset.id, b"%PDF-1.7", "report.pdf")
    assert response.status_code == 400
    page = check_page(response, "/staff/x")
    assert "#source" in [link["href"] for link in page.select(".error-summary a")]


def test_upload_over_the_limit(sign_in, make_dataset, make_app, db_transaction) -> None:
    from tests.conftest import log_in

    application = make_app(DATASET_UPLOAD_MAX_MB=1)
    db.bind_to(application, db_transaction)
    client = PageClient(application.test_client())
    account = sign_in.__wrapped__ if hasattr(sign_in, "__wrapped__") else None
    del account
    from portal.auth.services import StaffDetails, create_staff

    with application.app_context():
        create_staff(
            StaffDetails("big.uploader", "上傳者", None, None, frozenset({Role.PUBLISHER})),
            "a-long-upload-passphrase-1",
            must_change_password=False,
        )
        db.session.commit()
    log_in(client, "big.uploader", "a-long-upload-passphrase-1")
    dataset = make_dataset()
    response = upload(client, dataset.id, b"a,b\n" + b"1,2\n" * 400_000, "big.csv")
    assert response.status_code == 413
    assert "太大" in check_page(response, "/staff/x").h1.get_text()


def test_publishing_needs_the_permission(pages: PageClient, sign_in) -> None:
    sign_in(Role.ANALYST)
    pages.get("/staff/datasets/", status=403)


def test_job_of_another_dataset_is_not_found(pages: PageClient, sign_in, make_dataset, app: Flask) -> None:
    sign_in(Role.PUBLISHER)
    first, second = make_dataset(), make_dataset()
    with app.app_context():
        job = PublishJob(dataset_id=first.id)
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    pages.get(f"/staff/datasets/{second.id}/jobs/{job_id}", status=404)
    time.sleep(0)
