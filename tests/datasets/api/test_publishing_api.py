"""Publishing through the API with a key: the job, its outcome, and every way a request is refused."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from datasets.models import Dataset, PublishJob, Release
from portal.apikeys.models import ApiKey
from portal.apikeys.services import issue_key, revoke_key
from portal.audit import AuditRecord
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db, utcnow
from portal.jobs import work
from tests.conftest import StaffAccount
from tests.datasets.conftest import HEADER, write_csv
from tests.datasets.conftest import sample_rows as make_rows
from tests.support.pages import PageClient

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
PII_SCHEMA = {"fields": [{"name": "note", "type": "string"}]}


@dataclass(frozen=True)
class Key:
    """A key issued for a test, with its owner."""

    id: int
    prefix: str
    token: str
    staff_id: int
    username: str


@pytest.fixture
def make_key(app: Flask, make_staff: Callable[..., StaffAccount]) -> Callable[..., Key]:
    def factory(*roles: Role) -> Key:
        account = make_staff(*(roles or (Role.PUBLISHER,)))
        with app.app_context():
            issued = issue_key(db.session.get(Staff, account.id), "nightly upload", ["datasets:publish"])
            db.session.commit()
            return Key(issued.key.id, issued.key.prefix, issued.token, account.id, account.username)

    return factory


@pytest.fixture
def key(make_key: Callable[..., Key]) -> Key:
    return make_key()


def csv_bytes(tmp_path: Path, rows: int = 25) -> bytes:
    return write_csv(tmp_path / "source.csv", HEADER, make_rows(rows)).read_bytes()


def post_release(
    client: FlaskClient,
    slug: str,
    token: str | None,
    content: bytes | None = b"code\n",
    filename: str = "source.csv",
    headers: dict[str, str] | None = None,
    **fields: str,
) -> TestResponse:
    """POST a source file as a program would, without any CSRF token."""
    data: dict[str, Any] = dict(fields)
    if content is not None:
        data["file"] = (io.BytesIO(content), filename)
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return client.post(f"/api/v1/datasets/{slug}/releases", data=data, headers=sent)


def job_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PublishJob)) or 0


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["detail"]
    return body


def test_upload_publishes_and_the_job_tells_the_outcome(
    app: Flask, client: FlaskClient, key: Key, make_dataset: Callable[..., Dataset], tmp_path: Path
) -> None:
    dataset = make_dataset()
    response = post_release(
        client, dataset.slug, key.token, csv_bytes(tmp_path), drop_invalid="true", notes_en="Nightly run"
    )
    assert response.status_code == 202, response.get_data(as_text=True)
    body = response.get_json()
    assert body["state"] == "queued"
    assert body["release"] is None
    assert response.headers["Location"] == body["links"]["self"]
    assert response.headers["Location"].endswith(f"/api/v1/jobs/{body['id']}")

    work(app, burst=True)
    followed = client.get(response.headers["Location"], headers={"X-API-Key": key.token})
    assert followed.status_code == 200
    assert followed.headers["Cache-Control"] == "no-store"
    outcome = followed.get_json()
    assert (outcome["state"], outcome["release"], outcome["progress"]) == ("done", 1, 100)
    assert outcome["refused_for"] == []

    rows = client.get(f"/api/v1/datasets/{dataset.slug}/rows?limit=100").get_json()
    assert rows["release"] == 1
    assert rows["total"] == 25
    assert rows["rows"][0]["code"] == "A00001"

    with app.app_context():
        job = db.session.get(PublishJob, body["id"])
        assert key.username in job.requested_by
        assert key.prefix in job.requested_by
        assert job.options["drop_invalid"] is True
        release = db.session.scalar(select(Release).where(Release.dataset_id == dataset.id))
        assert release.notes_en.endswith("Nightly run")
        assert release.created_by == job.requested_by
        published = db.session.scalar(
            select(AuditRecord).where(
                AuditRecord.action == "publish",
                AuditRecord.entity == "dataset",
                AuditRecord.entity_id == str(dataset.id),
            )
        )
        assert published.actor_label == job.requested_by
        assert db.session.get(ApiKey, key.id).last_used_at is not None
        key_records = select(AuditRecord.action).where(
            AuditRecord.entity == "api_key", AuditRecord.entity_id == str(key.id)
        )
        assert db.session.scalars(key_records).all() == ["create"]  # last use is not audited


def test_job_needs_a_key(client: FlaskClient, key: Key) -> None:
    response = client.get("/api/v1/jobs/1")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(client.get("/api/v1/jobs/2000000000", headers={"X-API-Key": key.token}), 404)


def _expire(row: ApiKey) -> None:
    row.expires_at = utcnow() - timedelta(minutes=1)


def _deactivate(row: ApiKey) -> None:
    row.staff.active = False


def _demote(row: ApiKey) -> None:
    row.staff.set_roles({Role.ANALYST})


@pytest.mark.parametrize(
    ("token_of", "change", "status"),
    [
        pytest.param(lambda key: None, None, 401, id="no key"),
        pytest.param(lambda key: "not-a-key", None, 401, id="malformed"),
        pytest.param(lambda key: "pk_only", None, 401, id="malformed, no secret"),
        pytest.param(lambda key: f"pk_{key.prefix}_{'x' * 43}", None, 401, id="wrong secret"),
        pytest.param(lambda key: key.token, revoke_key, 401, id="revoked"),
        pytest.param(lambda key: key.token, _expire, 401, id="expired"),
        pytest.param(lambda key: key.token, _deactivate, 401, id="owner deactivated"),
        pytest.param(lambda key: key.token, _demote, 403, id="owner no longer a publisher"),
    ],
)
def test_refused_keys_start_no_job(
    app: Flask,
    client: FlaskClient,
    key: Key,
    make_dataset: Callable[..., Dataset],
    tmp_path: Path,
    token_of: Callable[[Key], str | None],
    change: Callable[[ApiKey], None] | None,
    status: int,
) -> None:
    dataset = make_dataset()
    if change is not None:
        with app.app_context():
            change(db.session.get(ApiKey, key.id))
            db.session.commit()
    before = job_count(app)
    response = post_release(client, dataset.slug, token_of(key), csv_bytes(tmp_path))
    assert_problem(response, status)
    if status == 401:
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    else:
        assert "WWW-Authenticate" not in response.headers
    assert job_count(app) == before
    with app.app_context():
        assert db.session.get(ApiKey, key.id).last_used_at is None


def test_analyst_key_is_forbidden(
    app: Flask, client: FlaskClient, make_key: Callable[..., Key], make_dataset: Callable[..., Dataset]
) -> None:
    analyst = make_key(Role.ANALYST)
    before = job_count(app)
    assert_problem(post_release(client, make_dataset().slug, analyst.token), 403)
    assert_problem(client.get("/api/v1/jobs/1", headers={"Authorization": f"bearer {analyst.token}"}), 403)
    assert job_count(app) == before


@pytest.mark.parametrize(
    ("arguments", "status", "parameter"),
    [
        pytest.param({"content": None}, 400, "file", id="no file part"),
        pytest.param({"content": b"", "filename": ""}, 400, "file", id="file part without a name"),
        pytest.param({"content": b"MZ\x90\x00", "filename": "tool.exe"}, 400, "file", id="exe"),
        pytest.param({"drop_invalid": "maybe"}, 400, "drop_invalid", id="drop_invalid=maybe"),
        pytest.param({"slug": "no-such-dataset"}, 404, None, id="unknown dataset"),
    ],
)
def test_bad_requests_start_no_job(
    app: Flask,
    client: FlaskClient,
    key: Key,
    make_dataset: Callable[..., Dataset],
    arguments: dict[str, Any],
    status: int,
    parameter: str | None,
) -> None:
    slug = arguments.pop("slug", None) or make_dataset().slug
    before = job_count(app)
    body = assert_problem(post_release(client, slug, key.token, **arguments), status)
    assert body.get("parameter") == parameter
    assert job_count(app) == before


def test_upload_over_the_limit_is_refused(
    app: Flask,
    client: FlaskClient,
    key: Key,
    make_dataset: Callable[..., Dataset],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "DATASET_UPLOAD_MAX_MB", 1)
    before = job_count(app)
    content = csv_bytes(tmp_path) + b"\n" * (1024 * 1024)
    assert_problem(post_release(client, make_dataset().slug, key.token, content), 413)
    assert job_count(app) == before


def test_messages_in_english(
    client: FlaskClient, make_key: Callable[..., Key], key: Key, make_dataset: Callable[..., Dataset]
) -> None:
    english = {"Accept-Language": "en"}
    slug = make_dataset().slug
    answers = [
        post_release(client, slug, None, headers=english),
        post_release(client, slug, make_key(Role.ANALYST).token, headers=english),
        post_release(client, slug, key.token, content=None, headers=english),
        post_release(client, slug, key.token, filename="tool.exe", headers=english),
        post_release(client, slug, key.token, headers=english, drop_invalid="maybe"),
        post_release(client, "no-such-dataset", key.token, headers=english),
    ]
    for response, status in zip(answers, (401, 403, 400, 400, 400, 404), strict=True):
        body = assert_problem(response, status)
        assert not CJK.search(body["detail"] + body["title"]), body
    assert "multipart/form-data" in answers[2].get_json()["detail"]
    assert CJK.search(post_release(client, slug, None).get_json()["detail"])


def test_personal_data_refuses_the_release_with_masked_findings(
    app: Flask, client: FlaskClient, key: Key, make_dataset: Callable[..., Dataset], tmp_path: Path
) -> None:
    dataset = make_dataset(schema=PII_SCHEMA)
    content = write_csv(tmp_path / "notes.csv", ["note"], [["請撥 0912-345-678"], ["管線檢修"]]).read_bytes()
    response = post_release(client, dataset.slug, key.token, content, "notes.csv")
    assert response.status_code == 202
    work(app, burst=True)
    followed = client.get(response.headers["Location"], headers={"X-API-Key": key.token})
    outcome = followed.get_json()
    assert outcome["state"] == "failed"
    assert outcome["release"] is None
    assert outcome["refused_for"] == ["pii"]
    assert outcome["findings"]["count"] == 1
    [example] = outcome["findings"]["examples"]
    assert (example["column"], example["kind"]) == ("note", "phone")
    assert "＊" in example["masked"]
    text = followed.get_data(as_text=True)
    assert "0912-345-678" not in text
    assert "345-678" not in text
    assert "0912345678" not in text
    with app.app_context():
        assert db.session.get(Dataset, dataset.id).current_release_id is None


def invalid_rows(tmp_path: Path) -> bytes:
    rows = make_rows(5)
    rows[2][3] = "abc"
    return write_csv(tmp_path / "invalid.csv", HEADER, rows).read_bytes()


@pytest.mark.parametrize(
    ("source", "reason"),
    [(invalid_rows, "validation"), (lambda tmp_path: b"", "ingest")],
    ids=["invalid rows", "empty file"],
)
def test_refusal_names_its_reason(
    app: Flask,
    client: FlaskClient,
    key: Key,
    make_dataset: Callable[..., Dataset],
    tmp_path: Path,
    source: Callable[[Path], bytes],
    reason: str,
) -> None:
    response = post_release(client, make_dataset().slug, key.token, source(tmp_path))
    assert response.status_code == 202
    work(app, burst=True)
    outcome = client.get(response.headers["Location"], headers={"X-API-Key": key.token}).get_json()
    assert (outcome["state"], outcome["refused_for"]) == ("failed", [reason])
    assert "findings" not in outcome


def test_staff_publish_form_still_needs_csrf(
    app: Flask, pages: PageClient, sign_in: Callable[..., StaffAccount], make_dataset: Callable[..., Dataset]
) -> None:
    sign_in(Role.PUBLISHER)
    dataset = make_dataset()
    before = job_count(app)
    response = pages.client.post(
        f"/staff/datasets/{dataset.id}/publish",
        data={"source": (io.BytesIO(b"code\nA1\n"), "s.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert job_count(app) == before
