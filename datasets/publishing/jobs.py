"""Publish jobs and the dataset's publish lock.

A job is registered with its source moved into the job's work folder, then run in the
background (`run_job`) or at once (`flask datasets publish`). The lock is a
compare-and-set on `dataset.publishing_job_id`, so two publishes of one dataset never
interleave; a lock whose job stopped reporting for `PUBLISH_STALE_SECONDS` is taken over
and the dead job's leftovers removed. A job ends without a release through `fail`, which
keeps the source only when the publisher can resolve the refusal without a new file.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, select, update

from datasets import query_store
from datasets.job_states import JobState, RefusalReason
from datasets.models import Dataset, PublishJob
from datasets.storage import job_folder, job_folders, remove_job_folder
from portal.db import db, utcnow

# Refusals the publisher can resolve without a new file: by a rule or a justification.
RETRYABLE = frozenset(reason.value for reason in RefusalReason if reason.retryable)
SOURCE_RETENTION_DAYS = 7


@dataclass
class PublishOptions:
    """What the publisher chose for this release."""

    drop_invalid: bool = False
    sheet: str | None = None
    notes_zh: str = ""
    notes_en: str = ""


class PublishRefusedError(Exception):
    """The release cannot be published; `report` says why (stored on the job)."""

    def __init__(self, reason: RefusalReason, report: dict[str, Any]) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.report = report


def create_job(
    dataset: Dataset, source: Path, source_name: str, options: PublishOptions, requested_by: str
) -> PublishJob:
    """Register a publish job and move its source file into the job's work folder."""
    job = PublishJob(
        dataset_id=dataset.id,
        state=JobState.QUEUED.value,
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


def options_of(job: PublishJob) -> PublishOptions:
    """The options the job was created with."""
    options = job.options or {}
    return PublishOptions(
        drop_invalid=bool(options.get("drop_invalid")),
        sheet=options.get("sheet") or None,
        notes_zh=options.get("notes_zh") or "",
        notes_en=options.get("notes_en") or "",
    )


def fail(job: PublishJob, reason: RefusalReason, report: dict[str, Any]) -> None:
    """End a running job without a release: its table and work folder go, its lock is released.

    Whatever the job's transaction held is rolled back first. A source refused for
    personal data or for its rules is kept, so that it can be published again once a
    rule is added or a finding justified; `purge_kept_sources` deletes it after a week.
    """
    db.session.rollback()
    job = db.session.merge(job)
    job.mark_failed(reason, report)
    keep = Path(job.source_path) if reason.retryable else None
    remove_leftovers(job.id, keep=keep)
    release_lock(job.dataset_id, job.id)
    db.session.commit()


def retry_job(job: PublishJob, requested_by: str) -> PublishJob:
    """A new job publishing the source a refused job kept; raises FileNotFoundError when it is gone."""
    source = Path(job.source_path)
    if job.reason not in RETRYABLE or not source.exists():
        raise FileNotFoundError(job.source_path)
    dataset = db.session.get(Dataset, job.dataset_id)
    assert dataset is not None
    retry = create_job(dataset, source, job.source_name, options_of(job), requested_by)
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
            stale = JobState(job.state).ended and (job.finished_at or job.created_at) < cutoff
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


# ----------------------------------------------------------------------------- the lock


def _stale_before() -> datetime:
    return utcnow() - timedelta(seconds=current_app.config["PUBLISH_STALE_SECONDS"])


def _is_alive(job: PublishJob | None) -> bool:
    return (
        job is not None
        and job.state == JobState.RUNNING
        and (job.heartbeat_at or job.created_at) > _stale_before()
    )


def acquire_lock(dataset_id: int, job: PublishJob) -> bool:
    """Take the dataset's publish lock for `job`; take it over from a dead job."""
    session = db.session
    taken = session.execute(
        update(Dataset)
        .where(Dataset.id == dataset_id, Dataset.publishing_job_id.is_(None))
        .values(publishing_job_id=job.id)
        .execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", taken).rowcount == 1:
        session.commit()
        return True
    holder_id = session.scalar(select(Dataset.publishing_job_id).where(Dataset.id == dataset_id))
    holder = session.get(PublishJob, holder_id) if holder_id else None
    if _is_alive(holder):
        return False
    if holder is not None and holder.state == JobState.RUNNING:
        holder.mark_failed(RefusalReason.INTERRUPTED)
        remove_leftovers(holder.id)
    taken = session.execute(
        update(Dataset)
        .where(Dataset.id == dataset_id, Dataset.publishing_job_id == holder_id)
        .values(publishing_job_id=job.id)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return cast("CursorResult[Any]", taken).rowcount == 1


def release_lock(dataset_id: int, job_id: int) -> None:
    """Release the dataset's lock if `job_id` holds it (the caller commits)."""
    db.session.execute(
        update(Dataset)
        .where(Dataset.id == dataset_id, Dataset.publishing_job_id == job_id)
        .values(publishing_job_id=None)
        .execution_options(synchronize_session=False)
    )


def remove_leftovers(job_id: int, keep: Path | None = None) -> None:
    """Drop the query-store table and work folder (but `keep`) of a job that did not publish."""
    query_store.drop(db.session.connection(), query_store.table_name_for_job(job_id))
    remove_job_folder(job_id, keep=keep)


def remove_abandoned_jobs() -> int:
    """Mark jobs that stopped reporting as failed and remove their leftovers; returns how many."""
    stale = db.session.scalars(
        select(PublishJob).where(
            PublishJob.state == JobState.RUNNING, PublishJob.heartbeat_at < _stale_before()
        )
    ).all()
    for job in stale:
        job.mark_failed(RefusalReason.INTERRUPTED)
        remove_leftovers(job.id)
        release_lock(job.dataset_id, job.id)
    db.session.commit()
    return len(stale)
