"""Publishing a release, from a source file to files, rows and a release that serves them.

A newcomer reads the modules in this order:

- `jobs`: registering a job, its options, failing it, retrying a refused one, and the
  dataset's publish lock (a compare-and-set on `dataset.publishing_job_id`);
- `pipeline`: `publish()` takes the lock, runs the stages, switches the release in;
- `stages`: the named stages, in order (ingest, schema, validate, keys, index and
  compare, gate, write), each a function of the shared `PublishContext` (`context`);
- `children`: the scan and file writers that read `clean.csv` behind the validation pass;
- `outputs`: file names, the PDF, datapackage.json and the files' description;
- `notes`: the release notes, a pure function;
- `progress`: stage, percentage and timings on the job's row and for a listener.

Job states and refusal reasons are `datasets.job_states.JobState` and `RefusalReason`.
Until the switch the previous release keeps serving.
"""

from __future__ import annotations

from datasets.job_states import JobState, RefusalReason
from datasets.publishing.children import ONE_CHILD_MAX_COLUMNS
from datasets.publishing.jobs import (
    RETRYABLE,
    SOURCE_RETENTION_DAYS,
    PublishOptions,
    PublishRefusedError,
    create_job,
    purge_kept_sources,
    remove_abandoned_jobs,
    retry_job,
)
from datasets.publishing.notes import Changes, release_notes
from datasets.publishing.pipeline import publish, run_job
from datasets.publishing.progress import ProgressCallback, ProgressReport

__all__ = [
    "ONE_CHILD_MAX_COLUMNS",
    "RETRYABLE",
    "SOURCE_RETENTION_DAYS",
    "Changes",
    "JobState",
    "ProgressCallback",
    "ProgressReport",
    "PublishOptions",
    "PublishRefusedError",
    "RefusalReason",
    "create_job",
    "publish",
    "purge_kept_sources",
    "release_notes",
    "remove_abandoned_jobs",
    "retry_job",
    "run_job",
]
