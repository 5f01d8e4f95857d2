"""Publishing a release, from a source file to files, rows and a release that serves them.

The stages, in order:

1. **lock** the dataset (a compare-and-set on `dataset.publishing_job_id`), so two
   publishes of one dataset never interleave; a lock whose job stopped reporting for
   `PUBLISH_STALE_SECONDS` is taken over and the dead job's leftovers removed;
2. **ingest** the source into one normalised UTF-8 CSV (`datasets.ingest`); a spreadsheet
   is read in a process of its own, within `INGEST_MEMORY_MB` and `INGEST_SECONDS`;
3. **schema**: the dataset's, or inferred on its first release; the columns must match;
4. **validate and load**: each row is checked (`RowValidator.valid`), de-identified, and
   goes to the job's query-store table (its validated text, `query_store.load_texts`)
   and to `clean.csv` (row number + cells), in one pass; child processes read `clean.csv`
   behind it: the personal-data scan, and the CSV, ODS and JSON files (one child for
   both on a table of at most `ONE_CHILD_MAX_COLUMNS` columns, two otherwise);
5. **keys**: duplicate primary keys are found in the query store, and rows of groups
   smaller than k withheld;
6. **index** and **compare** with the previous release (rows added, removed, changed)
   while the children finish;
7. **gate** and **decide**: personal data the scan found refuses the release; problems
   block it unless the publisher chose to drop invalid rows, which the release notes then
   record; rows withheld after the pass have the files written again without them;
8. **write** the PDF and datapackage.json, and wait for the files;
9. **switch**: the work folder is renamed into place and, in one transaction, the
   release is created and becomes the dataset's current one.

Until the last step the previous release keeps serving; a crash at any point leaves
only a work folder and a table that no release points at, which the next publish of
the dataset removes.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import shutil
import subprocess
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select, update

from datasets import query_store
from datasets.catalogue import LICENCE_BY_KEY, next_due_date
from datasets.deid import DeidPlan, RuleError, describe_report, fingerprint_key, pseudonym_key
from datasets.ingest import IngestError, IngestLimits, Source
from datasets.ingest.isolated import ProcessLimits, open_isolated
from datasets.models import Dataset, PublishJob, Release
from datasets.schema import column_names, infer_schema
from datasets.storage import (
    file_digest,
    job_folder,
    job_folders,
    release_folder,
    release_key,
    remove_job_folder,
)
from datasets.validation import Problem, Report, RowValidator
from datasets.writers.child import clean_rows, fewer_collections, spawn
from datasets.writers.datapackage import write_datapackage
from datasets.writers.pdf import PDF_TABLE_MAX_ROWS, PdfContent, write_pdf
from portal import audit
from portal.db import db, utcnow
from portal.offices.services import current_agency

logger = logging.getLogger(__name__)

TAIPEI = ZoneInfo("Asia/Taipei")
BATCH_ROWS = 20_000
# Up to this many published columns the scan and the files share one child process: the pass
# is the slower side then, and one reading of clean.csv costs less than a process each.
ONE_CHILD_MAX_COLUMNS = 8
# Rows held for the query store at once, by cells, so that a wide table's batch is no larger.
BATCH_CELLS = 240_000
# Refusals the publisher can resolve without a new file: by a rule or a justification.
RETRYABLE = frozenset({"pii", "rules"})
SOURCE_RETENTION_DAYS = 7


@dataclass(frozen=True)
class ProgressReport:
    """Where a publish job is: its stage, percentage, rows done of the source's estimate, time so far."""

    stage: str
    percent: int
    rows: int | None
    rows_expected: int | None
    seconds: float


ProgressCallback = Callable[[ProgressReport], None]


@dataclass
class PublishOptions:
    """What the publisher chose for this release."""

    drop_invalid: bool = False
    sheet: str | None = None
    notes_zh: str = ""
    notes_en: str = ""


class PublishRefusedError(Exception):
    """The release cannot be published; `report` says why (stored on the job)."""

    def __init__(self, reason: str, report: dict[str, Any]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.report = report


# ----------------------------------------------------------------------------- jobs


def create_job(
    dataset: Dataset, source: Path, source_name: str, options: PublishOptions, requested_by: str
) -> PublishJob:
    """Register a publish job and move its source file into the job's work folder."""
    job = PublishJob(
        dataset_id=dataset.id,
        state="queued",
        source_name=source_name[:255],
        requested_by=requested_by[:120],
        options={
            "drop_invalid": options.drop_invalid,
            "sheet": options.sheet,
            "notes_zh": options.notes_zh,
            "notes_en": options.notes_en,
        },
    )
    db.session.add(job)
    db.session.flush()
    folder = job_folder(job.id, fresh=True)
    target = folder / ("upload" + (Path(source_name).suffix.lower() or ".csv"))
    try:
        os.replace(source, target)
    except OSError:  # another file system: copy, then remove the original
        shutil.copyfile(source, target)
        source.unlink()
    job.source_path = str(target)
    db.session.commit()
    return job


def run_job(job_id: int) -> None:
    """Publish the job's release (the background job's entry point)."""
    job = db.session.get(PublishJob, job_id)
    if job is None or job.state not in {"queued"}:
        return
    publish(job)


def _options(job: PublishJob) -> PublishOptions:
    return PublishOptions(
        **{key: job.options.get(key) for key in ("drop_invalid", "sheet", "notes_zh", "notes_en")}
    )


# ----------------------------------------------------------------------------- lock


def _stale_before() -> Any:
    return utcnow() - timedelta(seconds=current_app.config["PUBLISH_STALE_SECONDS"])


def _acquire_lock(dataset_id: int, job: PublishJob) -> bool:
    """Take the dataset's publish lock for `job`; take it over from a dead job."""
    session = db.session
    taken = session.execute(
        update(Dataset)
        .where(Dataset.id == dataset_id, Dataset.publishing_job_id.is_(None))
        .values(publishing_job_id=job.id)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount == 1:
        session.commit()
        return True
    holder_id = session.scalar(select(Dataset.publishing_job_id).where(Dataset.id == dataset_id))
    holder = session.get(PublishJob, holder_id) if holder_id else None
    alive = (
        holder is not None
        and holder.state == "running"
        and (holder.heartbeat_at or holder.created_at) > _stale_before()
    )
    if alive:
        return False
    if holder is not None and holder.state == "running":
        holder.state = "failed"
        holder.message = "interrupted"
        holder.finished_at = utcnow()
        _remove_leftovers(holder.id)
    taken = session.execute(
        update(Dataset)
        .where(Dataset.id == dataset_id, Dataset.publishing_job_id == holder_id)
        .values(publishing_job_id=job.id)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return taken.rowcount == 1


def _release_lock(dataset_id: int, job_id: int) -> None:
    db.session.execute(
        update(Dataset)
        .where(Dataset.id == dataset_id, Dataset.publishing_job_id == job_id)
        .values(publishing_job_id=None)
        .execution_options(synchronize_session=False)
    )


def _remove_leftovers(job_id: int, keep: Path | None = None) -> None:
    """Drop the query-store table and work folder (but `keep`) of a job that did not publish."""
    query_store.drop(db.session.connection(), query_store.table_name_for_job(job_id))
    remove_job_folder(job_id, keep=keep)


def remove_abandoned_jobs() -> int:
    """Mark jobs that stopped reporting as failed and remove their leftovers; returns how many."""
    stale = db.session.scalars(
        select(PublishJob).where(PublishJob.state == "running", PublishJob.heartbeat_at < _stale_before())
    ).all()
    for job in stale:
        job.state = "failed"
        job.message = "interrupted"
        job.finished_at = utcnow()
        _remove_leftovers(job.id)
        _release_lock(job.dataset_id, job.id)
    db.session.commit()
    return len(stale)


# ----------------------------------------------------------------------------- progress


class _Progress:
    """Records a job's stage and percentage on its row, times each stage, and tells an optional listener."""

    def __init__(self, job: PublishJob, listener: ProgressCallback | None) -> None:
        self.job = job
        self.listener = listener
        # Held here rather than looked up, so that the loader thread can report too.
        self.session = db.session
        self.rows_expected: int | None = None
        self.started = time.monotonic()
        self._stage: str | None = None
        self._stage_started = self.started
        self._stage_rows: int | None = None
        self.timings: list[dict[str, Any]] = []

    def __call__(self, stage: str, percent: int, *, commit: bool = True, rows: int | None = None) -> None:
        now = time.monotonic()
        if stage != self._stage:
            self._close_stage(now)
            self._stage, self._stage_started, self._stage_rows = stage, now, None
        if rows is not None:
            self._stage_rows = rows
        self.job.stage = stage
        self.job.progress = max(0, min(100, percent))
        self.job.heartbeat_at = utcnow()
        if commit:
            self.session.commit()
        if self.listener:
            self.listener(
                ProgressReport(stage, self.job.progress, rows, self.rows_expected, now - self.started)
            )

    def _close_stage(self, now: float) -> None:
        if self._stage is None:
            return
        seconds = now - self._stage_started
        timing: dict[str, Any] = {"stage": self._stage, "seconds": round(seconds, 3)}
        if self._stage_rows is not None:
            timing["rows"] = self._stage_rows
            timing["rows_per_second"] = round(self._stage_rows / seconds) if seconds > 0 else None
        self.timings.append(timing)

    def finish(self) -> list[dict[str, Any]]:
        """Every stage's time (and rows, where counted), the last one closed now; written to the log."""
        self._close_stage(time.monotonic())
        self._stage = None
        logger.info(
            "publish job %s: %s",
            self.job.id,
            "; ".join(
                f"{timing['stage']} {timing['seconds']:.2f} s"
                + (
                    f" ({timing['rows']:,} rows, {timing['rows_per_second'] or 0:,} rows/s)"
                    if "rows" in timing
                    else ""
                )
                for timing in self.timings
            ),
        )
        return self.timings


# ----------------------------------------------------------------------------- the pipeline


def publish(job: PublishJob, on_progress: ProgressCallback | None = None) -> Release | None:
    """Run every stage for `job`; returns the release, or None when refused (see `job.report`)."""
    job_id = job.id  # for the log, when the session can no longer load it
    dataset = db.session.get(Dataset, job.dataset_id)
    assert dataset is not None
    if not _acquire_lock(dataset.id, job):
        job.state = "failed"
        job.message = "busy"
        job.finished_at = utcnow()
        db.session.commit()
        return None
    db.session.refresh(dataset)  # another process may have published since it was loaded
    job.state = "running"
    job.started_at = utcnow()
    progress = _Progress(job, on_progress)
    progress("ingest", 1)
    table_name = query_store.table_name_for_job(job.id)
    try:
        release = _run_stages(dataset, job, progress, table_name)
    except IngestError as error:
        _fail(job, "ingest", {"ingest": error.to_dict(), "stages": progress.finish()})
        return None
    except PublishRefusedError as refusal:
        _fail(job, refusal.reason, {**refusal.report, "stages": progress.finish()})
        return None
    except Exception:
        logger.exception("publish job %s failed", job_id)
        _fail(job, "error", {})
        raise
    return release


def _fail(job: PublishJob, reason: str, report: dict[str, Any]) -> None:
    db.session.rollback()
    job = db.session.merge(job)
    job.state = "failed"
    job.message = reason
    job.report = report
    job.finished_at = utcnow()
    # A source refused for personal data or for its rules is kept so that it can be published
    # again once a rule is added or a finding justified; `cleanup` deletes it after a week.
    keep = Path(job.source_path) if reason in RETRYABLE else None
    _remove_leftovers(job.id, keep=keep)
    _release_lock(job.dataset_id, job.id)
    db.session.commit()


def retry_job(job: PublishJob, requested_by: str) -> PublishJob:
    """A new job publishing the source a refused job kept; raises FileNotFoundError when it is gone."""
    source = Path(job.source_path)
    if job.message not in RETRYABLE or not source.exists():
        raise FileNotFoundError(job.source_path)
    dataset = db.session.get(Dataset, job.dataset_id)
    assert dataset is not None
    retry = create_job(dataset, source, job.source_name, _options(job), requested_by)
    remove_job_folder(job.id)
    return retry


def _modified_at(folder: Path) -> datetime:
    try:
        return datetime.fromtimestamp(folder.stat().st_mtime, tz=UTC)
    except OSError:
        return utcnow()


def purge_kept_sources(days: int = SOURCE_RETENTION_DAYS) -> int:
    """Delete work folders of jobs that ended over `days` days ago (their sources hold personal data)."""
    cutoff = utcnow() - timedelta(days=days)
    removed = 0
    for job_id, folder in job_folders():
        job = db.session.get(PublishJob, job_id)
        if job is None:
            # An orphan (its job was rolled back); a young one may belong to a job not yet committed.
            stale = _modified_at(folder) < cutoff
        else:
            stale = job.state in {"done", "failed"} and (job.finished_at or job.created_at) < cutoff
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _run_stages(dataset: Dataset, job: PublishJob, progress: _Progress, table_name: str) -> Release:
    options = _options(job)
    work = job_folder(job.id)
    out = work / "release"
    out.mkdir(exist_ok=True)
    config = current_app.config
    limits = IngestLimits(max_bytes=config["DATASET_UPLOAD_MAX_MB"] * 1024 * 1024)
    # A spreadsheet is read in a process of its own, so that one built to exhaust memory or
    # time takes only that process down, never the worker running this job.
    source = open_isolated(
        Path(job.source_path),
        job.source_name,
        work=work,
        sheet=options.sheet,
        limits=limits,
        process=ProcessLimits(memory_mb=config["INGEST_MEMORY_MB"], seconds=config["INGEST_SECONDS"]),
        heartbeat=lambda: progress("ingest", 2),
    )
    progress.rows_expected = source.estimated_rows
    progress("schema", 5)
    source_schema = _schema_for(dataset, source, work)
    plan = _deid_plan(dataset, source_schema)
    schema = plan.schema  # what is published, after the de-identification rules
    quasi_identifiers = _quasi_identifiers(dataset, schema)
    names = {kind: f"{dataset.slug}.{kind}" for kind in ("csv", "json", "ods", "pdf")}
    progress("validate", 10)

    table = query_store.build_table(table_name, schema)
    query_store.create(db.session.connection(), table)
    report = Report()
    clean_csv = work / "clean.csv"
    clean_csv.touch()
    gate_settings = _gate_settings(dataset)
    _write_job_files(work, schema, dataset.title_zh, set(), gate_settings)
    # The personal-data scan runs in one process and the CSV, ODS and JSON files in another
    # (or both in one, for a narrow table), reading clean.csv as the validation pass writes it,
    # so that the second core works meanwhile. With quasi-identifiers, rows may still be
    # withheld after the pass: only the scan follows, and the files are written afterwards.
    follow = work / "clean.done"
    stem = out / names["csv"].rsplit(".", 1)[0]
    if not quasi_identifiers and len(schema["fields"]) <= ONE_CHILD_MAX_COLUMNS:
        scan_path = stem.with_name(stem.name + ".scan.json")
        children = {"scan": _start_child("files+scan", clean_csv, stem, work, follow)}
    else:
        scan_path = work / "scan.json"
        children = {"scan": _start_child("scan", clean_csv, scan_path, work, follow)}
        if not quasi_identifiers:
            children |= _start_writers(clean_csv, out, names, follow)
    try:
        _validate_and_load(source, clean_csv, plan, table, report, progress)
        progress("validate", 52, rows=report.rows_checked, commit=False)
        follow.touch()
        skip, k_report = _withheld_rows(dataset, table, schema, report, quasi_identifiers, progress)
        if not report.valid and not options.drop_invalid:
            _refuse_invalid(children, scan_path, report)
        # While the children finish reading, the query store's work is done (a release the gate
        # refuses merely drops the table).
        progress("index", 56)
        query_store.create_indexes(db.session.connection(), table, schema)
        progress("compare", 58)
        previous = db.session.get(Release, dataset.current_release_id) if dataset.current_release_id else None
        added, removed, changed = _compare(table, schema, previous)
        progress("gate", 60, rows=report.rows_checked)
        gate = _gate_report(children.pop("scan"), scan_path)
        if gate["findings"]:
            raise PublishRefusedError("pii", {"pii": gate, "validation": report.to_dict()})
        if skip or quasi_identifiers:
            # Rows were withheld after the pass, or the writers waited for the k check.
            _stop_writers(children)
            _write_job_files(work, schema, dataset.title_zh, skip, gate_settings)
            children = _start_writers(clean_csv, out, names, follow=None)
        row_count = query_store.row_count(db.session.connection(), table)
        if row_count == 0:
            raise PublishRefusedError("no_rows", {"validation": report.to_dict()})
        deid_report = {"rules": plan.report(), "k_anonymity": k_report, "scan": _scan_summary(gate)}
        number = (
            db.session.scalar(select(func.max(Release.number)).where(Release.dataset_id == dataset.id)) or 0
        ) + 1
        published_at = utcnow()
        notes_zh, notes_en = release_notes(
            number, row_count, previous is not None, added, removed, changed, report, options, deid_report
        )
        progress("write", 75, rows=row_count)
        _write_pdf(
            dataset,
            schema,
            clean_csv,
            out / names["pdf"],
            skip,
            row_count,
            number,
            published_at,
            notes_zh,
            notes_en,
            deid_report,
        )
        _write_package(dataset, schema, out, names, number, published_at)
        _wait_for_writers(children, progress)
    finally:
        _stop_writers(children)
    files = _describe_files(out, names)
    progress("switch", 97)

    key = release_key(dataset.slug, number, job.id)
    final = release_folder(key)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        shutil.rmtree(final)  # left by a job that crashed after moving its files, before committing
    os.replace(out, final)
    release = Release(
        dataset_id=dataset.id,
        number=number,
        storage_key=key,
        query_table=table_name,
        table_schema=schema,
        files=files,
        row_count=row_count,
        rows_added=added,
        rows_removed=removed,
        rows_changed=changed,
        rows_dropped=report.invalid_rows if options.drop_invalid else 0,
        validation=report.to_dict(),
        deid_report=deid_report,
        notes_zh="\n".join(notes_zh),
        notes_en="\n".join(notes_en),
        source_name=job.source_name,
        source_sha256=file_digest(Path(job.source_path)),
        created_by=job.requested_by,
        published_at=published_at,
    )
    db.session.add(release)
    db.session.flush()
    dataset.current_release_id = release.id
    dataset.next_due = next_due_date(published_at.astimezone(TAIPEI).date(), dataset.update_frequency)
    job.release_id = release.id
    job.state = "done"
    job.progress = 100
    job.stage = "done"
    job.finished_at = utcnow()
    job.report = {"validation": report.to_dict(), "stages": progress.finish()}
    _release_lock(dataset.id, job.id)
    audit.record(
        db.session,
        "publish",
        "dataset",
        dataset.id,
        after={"release": number, "rows": row_count, "dropped": release.rows_dropped},
        actor=audit.Actor(job.requested_by or "system"),
    )
    db.session.commit()
    remove_job_folder(job.id)
    return release


def _withheld_rows(
    dataset: Dataset,
    table: Any,
    schema: dict[str, Any],
    report: Report,
    quasi_identifiers: dict[str, int],
    progress: _Progress,
) -> tuple[set[int], dict[str, Any] | None]:
    """Rows withheld after the pass (repeated keys; groups smaller than k), deleted from the
    table, and the k-anonymity report (None without quasi-identifiers)."""
    progress("keys", 53)
    skip = set(_check_keys(table, schema, report))
    k_report = None
    if quasi_identifiers:
        withheld, achieved = query_store.small_groups(
            db.session.connection(),
            table,
            [table.c[query_store.column_key(position)] for position in quasi_identifiers.values()],
            dataset.k_anonymity,
        )
        skip |= set(withheld)
        k_report = {
            "quasi_identifiers": list(quasi_identifiers),
            "k": dataset.k_anonymity,
            "achieved": achieved,
            "rows_suppressed": len(withheld),
        }
    if skip:
        query_store.delete_rows(db.session.connection(), table, sorted(skip))
    return skip, k_report


def _schema_for(dataset: Dataset, source: Source, work: Path) -> dict[str, Any]:
    """The dataset's schema, or one inferred from the source on a first release; columns must match."""
    if dataset.table_schema.get("fields"):
        schema = dataset.table_schema
    else:
        source.write_sample(work / "sample.csv")
        schema = infer_schema(work / "sample.csv")
        dataset.table_schema = schema
    expected = column_names(schema)
    if source.info.columns != expected:
        missing = [name for name in expected if name not in source.info.columns]
        extra = [name for name in source.info.columns if name not in expected]
        raise IngestError("columns_changed", missing="、".join(missing) or "—", extra="、".join(extra) or "—")
    return schema


def _deid_plan(dataset: Dataset, schema: dict[str, Any]) -> DeidPlan:
    key = pseudonym_key(current_app.config["PSEUDONYM_KEY"].encode("utf-8"), dataset.slug)
    try:
        return DeidPlan(schema, key)
    except RuleError as error:
        raise PublishRefusedError("rules", {"rules": str(error)}) from error


def _quasi_identifiers(dataset: Dataset, schema: dict[str, Any]) -> dict[str, int]:
    """The dataset's quasi-identifiers by published position; refuses names that are not published."""
    positions = {spec["name"]: position for position, spec in enumerate(schema["fields"])}
    wanted = list(dataset.quasi_identifiers or [])
    unknown = [name for name in wanted if name not in positions]
    if unknown:
        raise PublishRefusedError(
            "rules", {"rules": f"quasi-identifiers not published: {', '.join(unknown)}"}
        )
    return {name: positions[name] for name in wanted}


def _scan_summary(gate: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in gate.items() if key != "examples"}


def _compare(
    table: Any, schema: dict[str, Any], previous: Release | None
) -> tuple[int | None, int | None, int | None]:
    if previous is None or not previous.query_table:
        return None, None, None
    old_table = query_store.build_table(previous.query_table, previous.table_schema)
    same_key = bool(schema.get("primaryKey")) and previous.table_schema.get("primaryKey") == schema.get(
        "primaryKey"
    )
    new_key = query_store.primary_key_columns(table, schema) if same_key else []
    old_key = query_store.primary_key_columns(old_table, previous.table_schema) if same_key else []
    return query_store.compare(db.session.connection(), table, old_table, new_key, old_key)


def _row_hash(cells: list[str]) -> int:
    """A 64-bit fingerprint of a row, the same in every process (two checksums side by side)."""
    data = "\x1f".join(cells).encode("utf-8")
    value = (zlib.crc32(data) << 32) | zlib.adler32(data)
    return value - (1 << 64) if value >= 1 << 63 else value


def _validate_and_load(
    source: Source,
    clean_csv: Path,
    plan: DeidPlan,
    table: Any,
    report: Report,
    progress: _Progress,
) -> None:
    """One pass over the source: validate each row, de-identify it, write it to clean.csv
    (which the scanning and writing processes read behind), and load it."""
    valid = RowValidator(plan.source_schema).valid
    apply = plan.apply
    # The store takes each cell's validated text, converted only where its database would not
    # read the text exactly (`query_store.text_conversions`).
    conversions = query_store.text_conversions(
        plan.schema, db.session.connection().dialect.name, plan.converted_positions()
    )
    total = max(source.estimated_rows, 1)
    batch_rows = max(1000, min(BATCH_ROWS, BATCH_CELLS // max(len(plan.schema["fields"]), 1)))
    with clean_csv.open("w", encoding="utf-8", newline="") as clean, fewer_collections():
        writer = csv.writer(clean, lineterminator="\n")
        writer.writerow(["_row", *column_names(plan.schema)])
        writerow = writer.writerow
        batch: list[list[Any]] = []
        append = batch.append
        for row_number, cells in enumerate(source.rows, start=2):
            if not valid(row_number, cells, report):
                continue
            out = apply(cells)
            writerow([row_number, *out])
            append([row_number, _row_hash(out), *out])
            if len(batch) >= batch_rows:
                clean.flush()  # the child processes are reading behind us
                query_store.load_texts(db.session.connection(), table, batch, conversions)
                batch.clear()
                progress(
                    "validate",
                    10 + min(42, int(43 * report.rows_checked / total)),
                    rows=report.rows_checked,
                )
        if batch:
            query_store.load_texts(db.session.connection(), table, batch, conversions)


def _check_keys(table: Any, schema: dict[str, Any], report: Report) -> list[int]:
    """Add a problem for each row whose primary key repeats; returns those rows."""
    key_columns = query_store.primary_key_columns(table, schema)
    if not key_columns:
        return []
    connection = db.session.connection()
    duplicates = query_store.duplicate_rows(connection, table, key_columns, limit=10_000_000)
    key_names = schema["primaryKey"]
    for row, values in duplicates:
        report.add(
            Problem(row, "primary-key", "、".join(key_names), "、".join(str(value) for value in values))
        )
    if duplicates:
        report.invalid_rows += len(duplicates)
    return [row for row, _values in duplicates]


def _gate_settings(dataset: Dataset) -> dict[str, Any]:
    """What the scanning process needs of the dataset: its fingerprint key and justified findings."""
    key = fingerprint_key(current_app.config["PSEUDONYM_KEY"].encode("utf-8"), dataset.slug)
    return {"fingerprint_key": key.hex(), "allowances": list(dataset.pii_allowances or [])}


def _write_job_files(
    work: Path,
    schema: dict[str, Any],
    title: str,
    skip: set[int],
    gate_settings: dict[str, Any],
) -> None:
    """What the child processes need besides the clean CSV: the schema, the gate's settings, rows to skip.

    The work folder is the site's own and holds the unpublished rows already; the key is
    in it only while the job runs."""
    (work / "schema.json").write_text(
        json.dumps({"schema": schema, "title": title, **gate_settings}, ensure_ascii=False),
        encoding="utf-8",
    )
    (work / "skip.txt").write_text("\n".join(map(str, sorted(skip))))


def _start_child(
    kind: str, clean_csv: Path, target: Path, work: Path, follow: Path | None
) -> subprocess.Popen[bytes]:
    return spawn(kind, [clean_csv, target, work / "schema.json", work / "skip.txt"], follow=follow)


def _start_writers(
    clean_csv: Path, out: Path, names: dict[str, str], follow: Path | None
) -> dict[str, subprocess.Popen[bytes]]:
    stem = out / names["csv"].rsplit(".", 1)[0]
    return {"files": _start_child("files", clean_csv, stem, out.parent, follow)}


def _gate_report(scanner: subprocess.Popen[bytes], path: Path) -> dict[str, Any]:
    """Wait for the scanning process and take what it found (the file is not kept)."""
    _stdout, stderr = scanner.communicate()
    if scanner.returncode != 0:
        raise RuntimeError(f"personal-data scan failed: {stderr.decode('utf-8', 'replace')[-2000:]}")
    report = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()
    return report


def _refuse_invalid(children: dict[str, subprocess.Popen[bytes]], scan_path: Path, report: Report) -> None:
    """Refuse a release with problems the publisher did not choose to drop, once the scan has
    finished: personal data found is reported first, as it must be dealt with in any case."""
    _stop_writers({kind: child for kind, child in children.items() if kind != "scan"})
    gate = _gate_report(children.pop("scan"), scan_path)
    if gate["findings"]:
        raise PublishRefusedError("pii", {"pii": gate, "validation": report.to_dict()})
    raise PublishRefusedError("invalid", {"validation": report.to_dict()})


def _wait_for_writers(children: dict[str, subprocess.Popen[bytes]], progress: _Progress) -> None:
    for kind, child in children.items():
        _stdout, stderr = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"{kind} writer failed: {stderr.decode('utf-8', 'replace')[-2000:]}")
        progress("write", 92)


def _stop_writers(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.kill()
            child.wait()


MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
    "datapackage": "application/json",
}


def _describe_files(out: Path, names: dict[str, str]) -> dict[str, Any]:
    files = {kind: out / name for kind, name in names.items()}
    files["datapackage"] = out / "datapackage.json"
    return {
        kind: {
            "name": path.name,
            "size": path.stat().st_size,
            "sha256": file_digest(path),
            "media_type": MEDIA_TYPES[kind],
        }
        for kind, path in files.items()
    }


def _write_pdf(
    dataset: Dataset,
    schema: dict[str, Any],
    clean_csv: Path,
    path: Path,
    skip: set[int],
    row_count: int,
    number: int,
    published_at: Any,
    notes_zh: list[str],
    notes_en: list[str],
    deid_report: dict[str, Any],
) -> None:
    config = current_app.config
    report_zh, report_en = describe_report(deid_report)
    licence = LICENCE_BY_KEY.get(dataset.licence)
    write_pdf(
        path,
        PdfContent(
            agency=current_agency().name_zh,
            title_zh=dataset.title_zh,
            title_en=dataset.title_en,
            release_number=number,
            release_date=published_at.astimezone(TAIPEI).date().isoformat(),
            licence=f"{licence.name_zh} {licence.url}" if licence else dataset.licence,
            notes_zh=notes_zh,
            notes_en=notes_en,
            schema=schema,
            row_count=row_count,
            rows=clean_rows(clean_csv, skip) if row_count <= PDF_TABLE_MAX_ROWS else None,
            extra_sections=[("去識別化報告 De-identification report", report_zh + report_en)],
        ),
        font_path=config["PDF_FONT"],
        font_index=config["PDF_FONT_INDEX"],
    )


def _write_package(
    dataset: Dataset, schema: dict[str, Any], out: Path, names: dict[str, str], number: int, published_at: Any
) -> None:
    licence = LICENCE_BY_KEY.get(dataset.licence)
    write_datapackage(
        out / "datapackage.json",
        name=dataset.slug,
        title=dataset.title_zh,
        description=dataset.description_zh,
        version=number,
        created=published_at.isoformat(timespec="seconds"),
        licence={
            "name": dataset.licence,
            "path": licence.url if licence else "",
            "title": licence.name_zh if licence else dataset.licence,
        },
        keywords=list(dataset.keywords or []),
        csv_name=names["csv"],
        schema=schema,
        other_files={
            kind: {"path": name, "mediatype": MEDIA_TYPES[kind]}
            for kind, name in names.items()
            if kind != "csv"
        },
    )


def release_notes(
    number: int,
    row_count: int,
    has_previous: bool,
    added: int | None,
    removed: int | None,
    changed: int | None,
    report: Report,
    options: PublishOptions,
    deid_report: dict[str, Any] | None = None,
) -> tuple[list[str], list[str]]:
    """The release notes in Chinese and English, as lists of lines."""
    zh = [f"第 {number} 版，共 {row_count:,} 列。"]
    en = [f"Release {number}, {row_count:,} rows."]
    if not has_previous:
        zh.append("首次發布。")
        en.append("First release.")
    else:
        changed_zh = f"、修改 {changed:,} 列" if changed is not None else ""
        changed_en = f", {changed:,} changed" if changed is not None else ""
        zh.append(f"與前一版相比：新增 {added or 0:,} 列、刪除 {removed or 0:,} 列{changed_zh}。")
        en.append(
            f"Compared with the previous release: {added or 0:,} added, {removed or 0:,} removed{changed_en}."
        )
    if report.valid:
        zh.append(f"驗證結果：{report.rows_checked:,} 列全部通過。")
        en.append(f"Validation: all {report.rows_checked:,} rows passed.")
    else:
        dropped = sorted({problem.row for problem in report.problems})
        listed = "、".join(map(str, dropped[:50])) + ("…" if len(dropped) > 50 else "")
        zh.append(
            f"驗證結果：{report.invalid_rows:,} 列有問題（{sum(report.counts.values()):,} 項），"
            f"依發布者選擇刪除這些列後發布（原檔第 {listed} 列）。"
        )
        en.append(
            f"Validation: {report.invalid_rows:,} rows had problems ({sum(report.counts.values()):,} in all); "
            f"the publisher chose to drop them (source rows {listed.replace('、', ', ')})."
        )
    k_report = (deid_report or {}).get("k_anonymity")
    if k_report and k_report["rows_suppressed"]:
        zh.append(
            f"為避免識別個人，隱藏了 {k_report['rows_suppressed']:,} 列準識別組合少於 {k_report['k']} 列的資料。"
        )
        en.append(
            f"To keep people from being identified, {k_report['rows_suppressed']:,} rows whose quasi-identifiers "
            f"were shared by fewer than {k_report['k']} rows were withheld."
        )
    for item in ((deid_report or {}).get("scan") or {}).get("justified", []):
        zh.append(
            f"掃描發現 {item['column']} 欄含 {item['kind']}（{item['masked']}），經發布者說明後公開：{item['reason']}"
        )
        en.append(
            f"The scan found {item['kind']} in {item['column']} ({item['masked']}); published with the publisher's justification: {item['reason']}"
        )
    if options.notes_zh:
        zh.append("發布說明：" + options.notes_zh)
    if options.notes_en:
        en.append("Publisher's note: " + options.notes_en)
    return zh, en
