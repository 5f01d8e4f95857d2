"""Staff pages of the catalogue: datasets, their fields, uploading a release and following its job."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from datasets.catalogue import FREQUENCY_BY_KEY, is_overdue
from datasets.deid.allowances import JustificationError, justify
from datasets.forms import DatasetForm, SchemaForm, UploadForm, field_form_data
from datasets.job_states import JobState, RefusalReason
from datasets.labels import JOB_STAGES, JOB_STATES
from datasets.models import Dataset, PublishJob
from datasets.publishing import PublishOptions, create_job, retry_job
from datasets.refusals import failure_message
from datasets.schema import schema_from_form
from datasets.services import today
from datasets.validation import Report
from portal.auth import Permission, permission_required
from portal.auth.forms import ConfirmForm
from portal.auth.roles import Role
from portal.classification.codes import code_choices
from portal.db import db
from portal.forms import select_choices
from portal.i18n import _
from portal.jobs import enqueue
from portal.offices.services import office_choices
from portal.pagination import paginate, requested_page_number
from portal.request_checks import checks_its_own_fields
from portal.security import csrf
from portal.storage import storage_root

bp = Blueprint("datasets_admin", __name__, url_prefix="/staff/datasets", template_folder="../templates")


def _dataset_or_404(dataset_id: int) -> Dataset:
    dataset = db.session.get(Dataset, dataset_id)
    if dataset is None:
        abort(404)
    return dataset


@bp.route("/")
@permission_required(Permission.PUBLISH_DATASETS)
def dataset_list() -> Any:
    """Every dataset, with its schedule and last release."""
    page = paginate(
        db.session,
        select(Dataset).order_by(Dataset.next_due.is_(None), Dataset.next_due, Dataset.slug),
        requested_page_number(),
    )
    return render_template(
        "datasets/staff/list.html",
        page=page,
        today=today(),
        is_overdue=is_overdue,
        frequencies=FREQUENCY_BY_KEY,
    )


def _prepare(form: DatasetForm) -> None:
    form.theme_code.choices = code_choices("theme")
    form.cake_code.choices = code_choices("cake")
    form.service_code.choices = code_choices("service")
    form.office_id.choices = office_choices(_("（未指定）"))


def _slug_taken(slug: str, dataset_id: int | None) -> bool:
    query = select(Dataset.id).where(Dataset.slug == slug)
    if dataset_id is not None:
        query = query.where(Dataset.id != dataset_id)
    return db.session.scalar(query) is not None


def _unknown_quasi_identifiers(dataset: Dataset | None, names: list[str]) -> list[str]:
    """Names that are not published fields of the dataset (any name passes before it has fields)."""
    if dataset is None or not (dataset.table_schema or {}).get("fields"):
        return []
    published = {
        field["name"]
        for field in dataset.table_schema["fields"]
        if (field.get("deid") or {}).get("rule") != "drop"
    }
    return [name for name in names if name not in published]


def _edit(dataset: Dataset | None) -> Any:
    form = DatasetForm(obj=dataset) if request.method == "GET" else DatasetForm()
    _prepare(form)
    if request.method == "GET" and dataset is not None:
        form.keywords.data = "、".join(dataset.keywords or [])
        form.office_id.data = str(dataset.office_id or "")
        form.quasi_identifiers.data = ", ".join(dataset.quasi_identifiers or [])
    if form.validate_on_submit():
        unknown = _unknown_quasi_identifiers(dataset, form.quasi_identifier_list())
        if _slug_taken(form.slug.data or "", dataset.id if dataset else None):
            form.slug.errors = [_("這個網址代稱已有資料集使用。")]
        elif unknown:
            form.quasi_identifiers.errors = [_("沒有這些公開的欄位：%(names)s", names="、".join(unknown))]
        else:
            target = dataset or Dataset(table_schema={}, keywords=[])
            for name in (
                "slug",
                "title_zh",
                "title_en",
                "description_zh",
                "description_en",
                "theme_code",
                "cake_code",
                "service_code",
                "contact_name",
                "contact_phone",
                "contact_email",
                "provision_type",
                "update_frequency",
                "licence",
                "cost",
                "temporal_start",
                "temporal_end",
                "identifier",
                "related_url",
                "notes",
                "published",
            ):
                setattr(target, name, getattr(form, name).data)
            target.keywords = form.keyword_list()
            target.quasi_identifiers = form.quasi_identifier_list()
            target.k_anonymity = form.k_anonymity.data or 5
            target.office_id = int(form.office_id.data) if form.office_id.data else None
            db.session.add(target)
            db.session.commit()
            flash(_("已儲存資料集「%(title)s」。", title=target.title_zh), "success")
            return redirect(url_for("datasets_admin.dataset_detail", dataset_id=target.id))
    status = 400 if request.method == "POST" else 200
    return render_template("datasets/staff/edit.html", form=form, dataset=dataset), status


@bp.route("/new", methods=["GET", "POST"])
@checks_its_own_fields
@permission_required(Permission.PUBLISH_DATASETS)
def dataset_new() -> Any:
    """Add a dataset to the catalogue."""
    return _edit(None)


@bp.route("/<int:dataset_id>/edit", methods=["GET", "POST"])
@checks_its_own_fields
@permission_required(Permission.PUBLISH_DATASETS)
def dataset_edit(dataset_id: int) -> Any:
    """Change a dataset's catalogue entry."""
    return _edit(_dataset_or_404(dataset_id))


@bp.route("/<int:dataset_id>")
@permission_required(Permission.PUBLISH_DATASETS)
def dataset_detail(dataset_id: int) -> Any:
    """A dataset's releases and recent publish jobs."""
    dataset = _dataset_or_404(dataset_id)
    jobs = list(
        db.session.scalars(
            select(PublishJob)
            .where(PublishJob.dataset_id == dataset.id)
            .order_by(PublishJob.id.desc())
            .limit(10)
        )
    )
    return render_template(
        "datasets/staff/detail.html",
        dataset=dataset,
        jobs=jobs,
        overdue=is_overdue(dataset.next_due, today()),
    )


@bp.route("/<int:dataset_id>/schema", methods=["GET", "POST"])
@checks_its_own_fields
@permission_required(Permission.PUBLISH_DATASETS)
def schema_edit(dataset_id: int) -> Any:
    """Edit the dataset's fields: types, names in both languages, units, constraints."""
    dataset = _dataset_or_404(dataset_id)
    current = dataset.table_schema or {}
    if not current.get("fields"):
        flash(_("這個資料集還沒有欄位定義：第一次上傳資料時會自動推斷，之後即可在此修改。"), "notice")
        return redirect(url_for("datasets_admin.dataset_detail", dataset_id=dataset.id))
    if request.method == "GET":
        form = SchemaForm(
            data={
                "fields": [field_form_data(field) for field in current["fields"]],
                "primary_key": current.get("primaryKey", []),
            }
        )
    else:
        form = SchemaForm()
    names = [field["name"] for field in current["fields"]]
    form.primary_key.choices = select_choices((name, name) for name in names)
    if form.validate_on_submit():
        submitted = [entry.data for entry in form.fields]
        if [entry["name"] for entry in submitted] != names:
            abort(400)
        schema, problems = schema_from_form(submitted, form.primary_key.data or [])
        if problems:
            for position, message in problems.items():
                form.fields[position].minimum.errors = [message]
        else:
            dataset.table_schema = schema
            db.session.commit()
            flash(_("已儲存欄位定義；下一次發布時生效。"), "success")
            return redirect(url_for("datasets_admin.dataset_detail", dataset_id=dataset.id))
    status = 400 if request.method == "POST" else 200
    return render_template("datasets/staff/schema.html", form=form, dataset=dataset), status


@bp.route("/<int:dataset_id>/publish", methods=["GET", "POST"])
@checks_its_own_fields
@csrf.exempt  # the form checks its own token, after the larger upload limit applies
@permission_required(Permission.PUBLISH_DATASETS)
def publish_upload(dataset_id: int) -> Any:
    """Upload a source file and publish it as the next release, in the background."""
    dataset = _dataset_or_404(dataset_id)
    request.max_content_length = current_app.config["DATASET_UPLOAD_MAX_MB"] * 1024 * 1024
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.source.data
        uploads = storage_root() / "uploads"
        uploads.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=uploads, delete=False) as handle:
            path = Path(handle.name)
        upload.save(path)  # copied in chunks from the spooled upload; never whole in memory
        options = PublishOptions(
            drop_invalid=bool(form.drop_invalid.data),
            sheet=(form.sheet.data or "").strip() or None,
            notes_zh=(form.notes_zh.data or "").strip(),
            notes_en=(form.notes_en.data or "").strip(),
        )
        job = create_job(dataset, path, upload.filename or "upload.csv", options, g.staff.username)
        enqueue("datasets.publishing.run_job", job.id)
        return redirect(url_for("datasets_admin.job_status", dataset_id=dataset.id, job_id=job.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "datasets/staff/publish.html",
        form=form,
        dataset=dataset,
        limit_mb=current_app.config["DATASET_UPLOAD_MAX_MB"],
    ), status


def _job_or_404(dataset: Dataset, job_id: int) -> PublishJob:
    job = db.session.get(PublishJob, job_id)
    if job is None or job.dataset_id != dataset.id:
        abort(404)
    return job


def _explanation(job: PublishJob) -> dict[str, Any]:
    if job.state != JobState.FAILED:
        return {}
    explanation: dict[str, Any] = {"message": failure_message(job)}
    if job.reason == RefusalReason.BUSY or "ingest" in job.report:
        return explanation
    if "rules" in job.report:
        return explanation | {"retry": True}
    if "pii" in job.report:
        return explanation | {"pii": job.report["pii"], "retry": True}
    if "validation" in job.report:
        return explanation | {"report": Report.from_dict(job.report["validation"])}
    return explanation


@bp.route("/<int:dataset_id>/jobs/<int:job_id>")
@permission_required(Permission.PUBLISH_DATASETS)
def job_status(dataset_id: int, job_id: int) -> Any:
    """Progress of a publish job, then its outcome."""
    dataset = _dataset_or_404(dataset_id)
    job = _job_or_404(dataset, job_id)
    return render_template(
        "datasets/staff/job.html", dataset=dataset, job=job, confirm=ConfirmForm(), **_explanation(job)
    )


def _start_retry(dataset: Dataset, job: PublishJob) -> Any:
    try:
        retry = retry_job(job, g.staff.username)
    except FileNotFoundError:
        flash(_("原始檔案已不在（保留一週後刪除），請重新上傳。"), "error")
        return redirect(url_for("datasets_admin.publish_upload", dataset_id=dataset.id))
    db.session.commit()
    enqueue("datasets.publishing.run_job", retry.id)
    return redirect(url_for("datasets_admin.job_status", dataset_id=dataset.id, job_id=retry.id))


@bp.route("/<int:dataset_id>/jobs/<int:job_id>/retry", methods=["POST"])
@permission_required(Permission.PUBLISH_DATASETS)
def job_retry(dataset_id: int, job_id: int) -> Any:
    """Publish the refused job's source again (after its rules were changed)."""
    dataset = _dataset_or_404(dataset_id)
    job = _job_or_404(dataset, job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _start_retry(dataset, job)


@bp.route("/<int:dataset_id>/jobs/<int:job_id>/justify", methods=["POST"])
@permission_required(Permission.PUBLISH_DATASETS)
def job_justify(dataset_id: int, job_id: int) -> Any:
    """Record a reason for each finding the publisher explains, then publish again."""
    dataset = _dataset_or_404(dataset_id)
    job = _job_or_404(dataset, job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    examples = (job.report.get("pii") or {}).get("examples", [])
    reasons = {
        example["fingerprint"]: (request.form.get(f"reason-{example['fingerprint']}") or "").strip()
        for example in examples
    }
    errors = []
    given = {fingerprint: reason for fingerprint, reason in reasons.items() if reason}
    if not given:
        errors.append(_("請至少為一項掃描結果寫下可以公開的理由。"))
    for fingerprint, reason in given.items():
        try:
            justify(
                dataset,
                fingerprint,
                reason,
                g.staff.username,
                role=Role.PUBLISHER.value,
                office=g.staff.office.code if g.staff.office else None,
            )
        except JustificationError as error:
            errors.append(str(error))
    if errors:
        db.session.rollback()
        return render_template(
            "datasets/staff/job.html",
            dataset=dataset,
            job=job,
            errors=errors,
            reasons=reasons,
            confirm=ConfirmForm(),
            **_explanation(job),
        ), 400
    db.session.commit()
    flash(_("已記錄 %(count)d 項說明。", count=len(given)), "success")
    return _start_retry(dataset, job)


@bp.route("/<int:dataset_id>/jobs/<int:job_id>.json")
@permission_required(Permission.PUBLISH_DATASETS)
def job_status_json(dataset_id: int, job_id: int) -> Any:
    """Progress of a publish job for the page's script."""
    dataset = _dataset_or_404(dataset_id)
    job = _job_or_404(dataset, job_id)
    return jsonify(
        state=job.state,
        state_label=str(JOB_STATES.get(JobState(job.state), job.state)),
        stage=job.stage,
        stage_label=str(JOB_STAGES.get(job.stage, job.stage)),
        progress=job.progress,
    )
