"""The states a publish job goes through, and the reasons one ends without a release.

Stored as their values in `publish_job.state` and `publish_job.reason`; the API's job
document shows them as they are, so a value never changes once in use.
"""

from __future__ import annotations

from enum import StrEnum


class JobState(StrEnum):
    """Where a publish job is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def ended(self) -> bool:
        """Whether the job will change no more."""
        return self in (JobState.DONE, JobState.FAILED)


class RefusalReason(StrEnum):
    """Why a job ended without a release."""

    BUSY = "busy"  # another job of the dataset held the lock
    INTERRUPTED = "interrupted"  # the job stopped reporting (its process died)
    INGEST = "ingest"  # the source could not be read
    RULES = "rules"  # a de-identification rule could not be applied
    INVALID = "invalid"  # rows failed validation and the publisher did not drop them
    NO_ROWS = "no_rows"  # nothing was left to publish
    PII = "pii"  # the gate found personal data
    ERROR = "error"  # a fault of the site

    @property
    def retryable(self) -> bool:
        """Whether the publisher can publish the kept source again after a rule or a justification."""
        return self in (RefusalReason.PII, RefusalReason.RULES)
