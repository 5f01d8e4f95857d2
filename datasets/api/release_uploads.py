"""Publishing through the API, for staff automation with an API key (scope `datasets:publish`).

`POST /api/v1/datasets/<slug>/releases` takes a source file as multipart form data and
answers 202 with the publish job; `GET /api/v1/jobs/<id>` follows it. The job is the
same one the staff page and `flask datasets publish` start, so the same checks apply:
validation, de-identification and the personal-data gate.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, jsonify, request, url_for
from sqlalchemy import select

from datasets.api.openapi_parts import ERRORS, KEY_ERRORS, SLUG
from datasets.api.rowquery import QueryError
from datasets.api.spec import json_response, operation
from datasets.ingest import SUPPORTED_EXTENSIONS
from datasets.job_states import JobState, RefusalReason
from datasets.models import Dataset, PublishJob, Release
from datasets.publishing import PublishOptions, create_job
from datasets.refusals import failure_message
from portal.apikeys import key_required
from portal.db import db
from portal.errors import problem_response
from portal.forms import text_problem
from portal.i18n import _
from portal.jobs import enqueue
from portal.request_checks import checks_its_own_fields
from portal.security import csrf
from portal.storage import storage_root

bp = Blueprint("publishing_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # authenticated by API key, never by cookie

SCOPE = "datasets:publish"
JOB_ID = {
    "name": "job_id",
    "in": "path",
    "required": True,
    "description": "The publish job's number.",
    "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
}
# Why a failed job's file was refused, by the job's message; other failures (busy, error,
# interrupted) refused nothing. The report of a refusal may hold more than its reason's part
# (a refusal for personal data carries the validation report too), so the message decides.
# A refusal reason, and the part of the job's report that explains it.
REFUSAL_REASONS = {
    RefusalReason.INGEST: "ingest",
    RefusalReason.INVALID: "validation",
    RefusalReason.NO_ROWS: "validation",
    RefusalReason.RULES: "rules",
    RefusalReason.PII: "pii",
}


@bp.errorhandler(QueryError)
def _bad_request(error: QueryError) -> Response:
    return problem_response(400, error.message, parameter=error.parameter)


def job_document(job: PublishJob) -> dict[str, Any]:
    """A publish job's state, for the program that started it."""
    release = db.session.get(Release, job.release_id) if job.release_id else None
    document: dict[str, Any] = {
        "id": job.id,
        "state": job.state,
        "stage": job.stage,
        "progress": job.progress,
        "reason": job.reason,
        "message": job.reason,  # its earlier name, kept for clients that read it
        "release": release.number if release else None,
        "refused_for": [REFUSAL_REASONS[RefusalReason(job.reason)]]
        if job.state == JobState.FAILED and job.reason in REFUSAL_REASONS
        else [],
        "links": {"self": url_for("publishing_api.job", job_id=job.id, _external=True)},
    }
    if "pii" in job.report:
        scan = job.report["pii"]
        document["findings"] = {"count": scan.get("findings", 0), "examples": scan.get("examples", [])}
    if job.state == JobState.FAILED:
        document["problem"] = failure_problem(job)
    return document


def failure_problem(job: PublishJob) -> dict[str, Any]:
    """Why a failed job published nothing, as an RFC 9457 problem in the requester's language.

    A file refused (for what it holds or how it is written) is 422; a job that could not
    run (busy, interrupted, a system error) is 503, since the same file may succeed later.
    """
    refused = job.reason in REFUSAL_REASONS
    return {
        "type": "about:blank",
        "title": _("檔案未能發布") if refused else _("發布作業未能完成"),
        "status": 422 if refused else 503,
        "detail": failure_message(job),
        "instance": url_for("publishing_api.job", job_id=job.id),
    }


def _flag(name: str) -> bool:
    value = (request.form.get(name) or "").strip().lower()
    if value in {"", "0", "false", "no"}:
        return False
    if value in {"1", "true", "yes"}:
        return True
    raise QueryError(name, _("「%(name)s」必須是 true 或 false。", name=name))


def _refuse_control_characters(filename: str) -> None:
    """The rule of every staff form (`portal.forms.text_problem`) for the file name and text fields."""
    for name, value, multiline in (
        ("file", filename, False),
        ("sheet", request.form.get("sheet"), False),
        ("notes_zh", request.form.get("notes_zh"), True),
        ("notes_en", request.form.get("notes_en"), True),
    ):
        problem = text_problem(value, multiline=multiline)
        if problem:
            raise QueryError(name, _("%(label)s：%(message)s", label=name, message=problem))


@bp.route("/datasets/<slug>/releases", methods=["POST"])
@checks_its_own_fields
@operation(
    "publishing",
    "上傳來源檔案，發布新版本",
    "Upload a source file and publish the next release",
    description="multipart/form-data with `file` (CSV, XLSX or ODS), and optionally `sheet`, "
    "`drop_invalid`, `notes_zh`, `notes_en`. Answers 202 with the publish job.",
    parameters=(SLUG,),
    responses={"202": json_response("The publish job, queued", "PublishJob"), **ERRORS, **KEY_ERRORS},
    security=("apiKey",),
    request_body={
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                        "sheet": {"type": "string", "maxLength": 100},
                        "drop_invalid": {"type": "boolean"},
                        "notes_zh": {"type": "string", "maxLength": 2000},
                        "notes_en": {"type": "string", "maxLength": 2000},
                    },
                }
            }
        },
    },
)
@key_required(SCOPE)
def publish_release(slug: str) -> Response:
    """Queue a publish of the uploaded file."""
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug))
    if dataset is None:
        abort(404)
    request.max_content_length = current_app.config["DATASET_UPLOAD_MAX_MB"] * 1024 * 1024
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise QueryError("file", _("請以 multipart/form-data 上傳名為 file 的來源檔案。"))
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        raise QueryError("file", _("只接受 CSV、TSV、TXT、XLSX 或 ODS 檔案。"))
    _refuse_control_characters(upload.filename)
    options = PublishOptions(
        drop_invalid=_flag("drop_invalid"),
        sheet=(request.form.get("sheet") or "").strip()[:100] or None,
        notes_zh=(request.form.get("notes_zh") or "").strip()[:2000],
        notes_en=(request.form.get("notes_en") or "").strip()[:2000],
    )
    uploads = storage_root() / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=uploads, delete=False, suffix=suffix) as handle:
        path = Path(handle.name)
    upload.save(path)
    job = create_job(dataset, path, upload.filename, options, g.audit_actor.label)
    enqueue("datasets.publishing.run_job", job.id)
    response = jsonify(job_document(job))
    response.status_code = 202
    response.headers["Location"] = url_for("publishing_api.job", job_id=job.id, _external=True)
    return response


@bp.route("/jobs/<int:job_id>")
@operation(
    "publishing",
    "查詢發布工作的進度與結果",
    "Follow a publish job",
    parameters=(JOB_ID,),
    responses={"200": json_response("The publish job", "PublishJob"), **ERRORS, **KEY_ERRORS},
    security=("apiKey",),
)
@key_required(SCOPE)
def job(job_id: int) -> Response:
    """A publish job's progress and outcome."""
    found = db.session.get(PublishJob, job_id)
    if found is None:
        abort(404)
    response = jsonify(job_document(found))
    response.headers["Cache-Control"] = "no-store"
    return response
