"""Survey results published as open data, through the release pipeline an uploaded file goes through.

- `publish_rows(definition, rows)`: any rows for a dataset defined in YAML (created from the
  definition when missing) are written as a CSV and published by `datasets.publishing`,
  exactly as a staff upload would be: the dataset's de-identification rules apply, and
  the personal-data gate scans every published cell, free text included, refusing the
  release when it finds anything. It suits questionnaire responses as well as figures.
- `publish_satisfaction(session, month, now)`: the figures of every month up to `month`
  (a month that has ended), per office (`open_data_rows`), as the dataset
  `satisfaction-by-office-month`.
- `publish_monthly(app, now)`: the scheduled job (`flask surveys monthly`), which claims
  the last closed month in `scheduled_run` (`portal.once`) so that it publishes once
  however many timers start it. A refused or failed run gives its claim back, so that
  the next start tries again.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from flask import Flask
from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from datasets.definition import apply_definition, load_definition
from datasets.models import Dataset, PublishJob, Release
from datasets.publishing import PublishOptions, create_job, publish
from datasets.schema import column_names
from feedback.surveys.open_data_facts import counter_facts, office_labels, survey_facts
from feedback.surveys.open_data_rows import build_rows, last_closed_month, month_start, next_month
from portal import audit
from portal.db import db
from portal.once import ScheduledRun, claim
from portal.storage import storage_root

logger = logging.getLogger("feedback.surveys.open_data")

DEFINITIONS_FOLDER = Path(__file__).resolve().parent / "definitions"
SATISFACTION_DEFINITION = DEFINITIONS_FOLDER / "satisfaction-by-office-month.yaml"
MONTHLY_JOB = "surveys-open-data"
MONTHLY_ACTOR = "scheduled:surveys-open-data"
# A claim still "running" after this long belongs to a run that died (a publish of these
# few rows takes seconds); the next start takes it over.
RUNNING = "running"
STALE_CLAIM = timedelta(hours=1)


@dataclass(frozen=True)
class PublishOutcome:
    """What a publish came to, as plain values that outlive the session.

    A release's id, number, storage key and row count when one went live; otherwise the
    refused job's id with its reason and report (`PublishJob.reason`, `.report`). With no
    rows to publish there is no job either, and the reason is "no_rows".
    """

    job_id: int | None
    release_id: int | None = None
    release_number: int | None = None
    storage_key: str | None = None
    row_count: int = 0
    reason: str = ""
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        """Whether a release went live."""
        return self.release_id is not None

    @classmethod
    def of(cls, job: PublishJob, release: Release | None) -> PublishOutcome:
        """The outcome of a job that ran, read while its session is open."""
        if release is not None:
            return cls(
                job_id=job.id,
                release_id=release.id,
                release_number=release.number,
                storage_key=release.storage_key,
                row_count=release.row_count,
            )
        return cls(job_id=job.id, reason=job.reason or "", report=dict(job.report or {}))


def dataset_for(values: dict[str, Any]) -> Dataset:
    """The dataset a checked definition (`load_definition`) names, created from it when missing (committed)."""
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == values["slug"]))
    if dataset is None:
        dataset, _created = apply_definition(values)
        db.session.commit()
    return dataset


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def write_source(header: list[str], rows: Iterable[Mapping[str, object]]) -> tuple[Path, int]:
    """The rows as a UTF-8 CSV in the uploads folder, in `header`'s order; returns it and the row count.

    A row with a key not in `header` is a mistake of the caller's, refused rather than dropped.
    """
    uploads = storage_root() / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    known = set(header)
    count = 0
    with tempfile.NamedTemporaryFile(
        "w", dir=uploads, suffix=".csv", delete=False, encoding="utf-8", newline=""
    ) as handle:
        path = Path(handle.name)
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            unknown = set(row) - known
            if unknown:
                handle.close()
                path.unlink()
                raise ValueError(f"no such column in the dataset: {', '.join(sorted(unknown))}")
            writer.writerow([_cell(row.get(name)) for name in header])
            count += 1
    return path, count


def publish_rows(
    definition_path: Path,
    rows: Iterable[Mapping[str, object]],
    *,
    requested_by: str,
    notes: tuple[str, str] = ("", ""),
    source_name: str | None = None,
) -> PublishOutcome:
    """Publish `rows` (mappings of column name to value) as a new release of the defined dataset.

    The columns are the definition's fields, in order; a missing key is an empty cell.
    The CSV goes through `create_job` and `publish` like an upload: the de-identification
    rules, validation and the personal-data gate decide (a free-text column with no rule
    is scanned as written; with `deid: {rule: redact}` what the scanner finds is replaced
    first). `notes` are the release notes in Chinese and English. Nothing is published,
    and no dataset created, when there are no rows.

    Raises `DefinitionError` for a definition that cannot be used and ValueError for a
    definition without a schema or a row with a key that is not a column.
    """
    values = load_definition(definition_path)
    if "table_schema" not in values:
        raise ValueError(f"{definition_path.name}: a definition published from code needs its schema")
    source, count = write_source(column_names(values["table_schema"]), rows)
    if count == 0:
        source.unlink()
        return PublishOutcome(job_id=None, reason="no_rows")
    dataset = dataset_for(values)
    options = PublishOptions(notes_zh=notes[0], notes_en=notes[1])
    job = create_job(dataset, source, source_name or f"{dataset.slug}.csv", options, requested_by)
    release = publish(job)
    # A refusal rolled the session back: read the job as it was stored.
    stored = db.session.get(PublishJob, job.id, populate_existing=True)
    return PublishOutcome.of(stored or job, release)


def publish_satisfaction(
    session: Session, month: str, now: datetime, *, requested_by: str = MONTHLY_ACTOR
) -> PublishOutcome:
    """Publish the survey figures of every month up to `month` ("YYYY-MM", ended at `now`).

    Answers count when given before `month` ended, so that the same data always give the
    same release. `session` is the application's session (`db.session`), which the
    pipeline writes through.
    """
    if month > last_closed_month(now):
        raise ValueError(f"{month} has not ended yet")
    before = month_start(next_month(month))
    rows = build_rows(
        survey_facts(session, before), counter_facts(session, before), office_labels(session), month
    )
    notes = (f"滿意度調查統計，資料至 {month}。", f"Survey figures up to {month}.")
    return publish_rows(
        SATISFACTION_DEFINITION,
        rows,
        requested_by=requested_by,
        notes=notes,
        source_name=f"satisfaction-by-office-month-{month}.csv",
    )


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _take_over(session: Session, month: str, now: datetime) -> ScheduledRun | None:
    """The month's claim when the run holding it died (still running after `STALE_CLAIM`), else None."""
    existing = session.scalar(
        select(ScheduledRun).where(ScheduledRun.job == MONTHLY_JOB, ScheduledRun.period == month)
    )
    if existing is None or not existing.summary.startswith(RUNNING):
        return None
    if _as_utc(existing.started_at) > now - STALE_CLAIM:
        return None
    # A compare-and-set on the summary: of the processes that find the dead claim, one takes it.
    taken = session.execute(
        update(ScheduledRun)
        .where(ScheduledRun.id == existing.id, ScheduledRun.summary == existing.summary)
        .values(summary=f"{RUNNING} (taken over at {now:%Y-%m-%d %H:%M:%S} UTC)", started_at=now)
        .execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", taken).rowcount != 1:
        return None
    session.refresh(existing)
    return existing


def _claim_month(session: Session, month: str, now: datetime) -> ScheduledRun | None:
    """The month's claim, committed as running (a dead run's taken over); None when another run has it."""
    run = claim(session, MONTHLY_JOB, month)
    if run is not None:
        run.summary = RUNNING
    else:
        run = _take_over(session, month, now)
    if run is None:
        session.rollback()
        return None
    session.commit()
    return run


def _give_back(session: Session, run_id: int) -> None:
    """Remove the month's claim, so that the next start tries again."""
    session.rollback()
    session.execute(delete(ScheduledRun).where(ScheduledRun.id == run_id))
    session.commit()


def publish_monthly(app: Flask, now: datetime, *, force: bool = False) -> PublishOutcome | None:
    """Publish the figures up to the last closed month, once per month; None when it already ran.

    `force` publishes again a month that was already published (a new release).
    """
    month = last_closed_month(now)
    with app.app_context():
        session = db.use_writer_session()
        run = _claim_month(session, month, now)
        if run is None and not force:
            return None
        run_id = run.id if run is not None else None
        try:
            with audit.acting_as(MONTHLY_ACTOR):
                outcome = publish_satisfaction(db.session, month, now)
        except Exception:
            if run_id is not None:
                _give_back(db.session, run_id)
            raise
        if run_id is None:
            return outcome
        if not outcome.published:
            logger.warning("survey figures for %s not published: %s", month, outcome.reason)
            _give_back(db.session, run_id)
            return outcome
        db.session.execute(
            update(ScheduledRun)
            .where(ScheduledRun.id == run_id)
            .values(summary=f"release {outcome.release_number}, {outcome.row_count} rows")
        )
        db.session.commit()
        return outcome
