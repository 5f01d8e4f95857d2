"""Running a publish: take the lock, run the stages, switch the release in, or fail the job.

Until the switch the previous release keeps serving; a crash at any point leaves only a
work folder and a table that no release points at, which the next publish of the
dataset removes (`datasets.publishing.jobs`).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from datasets import query_store
from datasets.catalogue import next_due_date
from datasets.ingest import IngestError
from datasets.job_states import JobState, RefusalReason
from datasets.models import Dataset, PublishJob, Release
from datasets.publishing import children, jobs
from datasets.publishing.context import PublishContext
from datasets.publishing.jobs import PublishRefusedError
from datasets.publishing.outputs import TAIPEI, describe_files, file_names
from datasets.publishing.progress import Progress, ProgressCallback
from datasets.publishing.stages import STAGES
from datasets.storage import file_digest, job_folder, release_folder, release_key, remove_job_folder
from portal import audit
from portal.db import db, utcnow

logger = logging.getLogger("datasets.publishing")


def run_job(job_id: int) -> None:
    """Publish the job's release (the background job's entry point)."""
    job = db.session.get(PublishJob, job_id)
    if job is None or job.state != JobState.QUEUED:
        return
    publish(job)


def publish(job: PublishJob, on_progress: ProgressCallback | None = None) -> Release | None:
    """Run every stage for `job`; returns the release, or None when refused (see `job.report`)."""
    job_id = job.id  # for the log, when the session can no longer load it
    dataset = db.session.get(Dataset, job.dataset_id)
    assert dataset is not None
    if not jobs.acquire_lock(dataset.id, job):
        job.mark_failed(RefusalReason.BUSY)
        db.session.commit()
        return None
    db.session.refresh(dataset)  # another process may have published since it was loaded
    job.state = JobState.RUNNING.value
    job.started_at = utcnow()
    progress = Progress(job, on_progress)
    progress("ingest", 1)
    work = job_folder(job.id)
    ctx = PublishContext(
        dataset=dataset,
        job=job,
        options=jobs.options_of(job),
        progress=progress,
        table_name=query_store.table_name_for_job(job.id),
        work=work,
        out=work / "release",
        names=file_names(dataset),
    )
    ctx.out.mkdir(exist_ok=True)
    try:
        _run(ctx)
    except IngestError as error:
        jobs.fail(job, RefusalReason.INGEST, {"ingest": error.to_dict(), "stages": progress.finish()})
        return None
    except PublishRefusedError as refusal:
        jobs.fail(job, refusal.reason, {**refusal.report, "stages": progress.finish()})
        return None
    except Exception:
        logger.exception("publish job %s failed", job_id)
        jobs.fail(job, RefusalReason.ERROR, {})
        raise
    return switch(ctx)


def _run(ctx: PublishContext) -> None:
    try:
        for stage in STAGES:
            stage(ctx)
    finally:
        children.stop(ctx.children)


def switch(ctx: PublishContext) -> Release:
    """Move the files into place and, in one transaction, make the release the dataset's current one."""
    dataset, job = ctx.dataset, ctx.job
    files = describe_files(ctx.out, ctx.names)
    ctx.progress("switch", 97)
    key = release_key(dataset.slug, ctx.number, job.id)
    final = release_folder(key)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        shutil.rmtree(final)  # left by a job that crashed after moving its files, before committing
    os.replace(ctx.out, final)
    release = Release(
        dataset_id=dataset.id,
        number=ctx.number,
        storage_key=key,
        query_table=ctx.table_name,
        table_schema=ctx.schema,
        files=files,
        row_count=ctx.row_count,
        rows_added=ctx.changes.added,
        rows_removed=ctx.changes.removed,
        rows_changed=ctx.changes.changed,
        rows_dropped=ctx.report.invalid_rows if ctx.options.drop_invalid else 0,
        validation=ctx.report.to_dict(),
        deid_report=ctx.deid_report,
        notes_zh="\n".join(ctx.notes_zh),
        notes_en="\n".join(ctx.notes_en),
        source_name=job.source_name,
        source_sha256=file_digest(Path(job.source_path)),
        created_by=job.requested_by,
        published_at=ctx.published_at,
    )
    db.session.add(release)
    db.session.flush()
    dataset.current_release_id = release.id
    dataset.next_due = next_due_date(ctx.published_at.astimezone(TAIPEI).date(), dataset.update_frequency)
    job.release_id = release.id
    job.state = JobState.DONE.value
    job.progress = 100
    job.stage = "done"
    job.finished_at = utcnow()
    job.report = {"validation": ctx.report.to_dict(), "stages": ctx.progress.finish()}
    jobs.release_lock(dataset.id, job.id)
    audit.record(
        db.session,
        "publish",
        "dataset",
        dataset.id,
        after={"release": ctx.number, "rows": ctx.row_count, "dropped": release.rows_dropped},
        actor=audit.Actor(job.requested_by or "system"),
    )
    db.session.commit()
    remove_job_folder(job.id)
    return release
