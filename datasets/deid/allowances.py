"""Justified findings: a publisher explains why something the scanner found may be published.

A justification is kept on the dataset by the finding's fingerprint (a keyed hash of
column, kind and text, `FINGERPRINT_SCHEME`), with the masked text, the reason, who gave it and when; the finding
itself is never stored. Every justification is written to the audit log and, when a
release publishes the finding, into its notes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from datasets.deid import FINGERPRINT_SCHEME
from datasets.job_states import JobState
from datasets.models import Dataset, PublishJob
from portal import audit
from portal.db import db, utcnow
from portal.i18n import _

MIN_REASON_LENGTH = 4


class JustificationError(ValueError):
    """A justification that cannot be recorded; the message is for the publisher."""


def recent_finding(dataset: Dataset, fingerprint: str) -> dict[str, Any] | None:
    """The example of a finding with this fingerprint in the dataset's recent refused jobs."""
    jobs = db.session.scalars(
        select(PublishJob)
        .where(PublishJob.dataset_id == dataset.id, PublishJob.state == JobState.FAILED)
        .order_by(PublishJob.id.desc())
        .limit(20)
    )
    for job in jobs:
        scan = job.report.get("pii") or {}
        if scan.get("fingerprints") != FINGERPRINT_SCHEME:
            continue  # fingerprints of an older kind, which the gate no longer matches
        for example in scan.get("examples", []):
            if example["fingerprint"] == fingerprint:
                return example
    return None


def justify(
    dataset: Dataset, fingerprint: str, reason: str, by: str, *, role: str, office: str | None = None
) -> dict[str, Any]:
    """Record a justification for a recent finding; raises JustificationError when it cannot.

    `by` (who justified it: a user name, or the command line's actor) stays in the
    dataset's allowances and the audit log; what a release's public report shows of them
    is only `role` (a role code such as "publisher") and `office` (an office code).
    """
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise JustificationError(_("請寫下可以公開的理由（至少 %(count)d 個字）。", count=MIN_REASON_LENGTH))
    example = recent_finding(dataset, fingerprint)
    if example is None:
        raise JustificationError(_("找不到這項掃描結果；請重新發布一次，再從結果中說明。"))
    allowance = {
        "fingerprint": fingerprint,
        "scheme": FINGERPRINT_SCHEME,
        "column": example["column"],
        "kind": example["kind"],
        "masked": example["masked"],
        "reason": reason[:500],
        "by": by,
        "role": role,
        "office": office,
        "at": utcnow().isoformat(timespec="seconds"),
    }
    kept = [item for item in dataset.pii_allowances or [] if item.get("fingerprint") != fingerprint]
    dataset.pii_allowances = [*kept, allowance]
    audit.record(db.session, "pii_justified", "dataset", dataset.id, after=allowance)
    return allowance
