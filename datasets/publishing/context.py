"""What the stages of one publish share: the job, its folders, and what each stage found.

The first fields are known when the job starts; the others are set by the stage that
finds them (`datasets.publishing.stages` says which) and read by the later ones, so a
stage's inputs and outputs are named here, not passed along in long argument lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from datasets.deid import DeidPlan
from datasets.ingest import Source
from datasets.models import Dataset, PublishJob, Release
from datasets.publishing.children import Children
from datasets.publishing.jobs import PublishOptions
from datasets.publishing.notes import Changes
from datasets.publishing.progress import Progress
from datasets.validation import Report


@dataclass
class PublishContext:
    """One publish, from its job to its release."""

    dataset: Dataset
    job: PublishJob
    options: PublishOptions
    progress: Progress
    table_name: str
    work: Path  # the job's work folder: upload, clean.csv, the children's files
    out: Path  # work/release: the files that become the release's folder
    names: dict[str, str]  # file name by kind

    report: Report = field(default_factory=Report)  # validation problems, rows checked
    children: Children = field(default_factory=dict)
    skip: set[int] = field(default_factory=set)  # rows withheld after the pass
    k_report: dict[str, Any] | None = None
    previous: Release | None = None
    changes: Changes = field(default_factory=lambda: Changes(has_previous=False))

    # set by "ingest"
    source: Source = field(init=False)
    # set by "schema"
    plan: DeidPlan = field(init=False)
    schema: dict[str, Any] = field(init=False)  # as published, after the de-identification rules
    quasi_identifiers: dict[str, int] = field(init=False)  # name -> published position
    # set by "validate"
    table: Any = field(init=False)
    gate_settings: dict[str, Any] = field(init=False)
    scan_path: Path = field(init=False)
    # set by "gate"
    gate: dict[str, Any] = field(init=False)
    row_count: int = field(init=False)
    deid_report: dict[str, Any] = field(init=False)
    # set by "write"
    number: int = field(init=False)
    published_at: datetime = field(init=False)
    notes_zh: list[str] = field(init=False)
    notes_en: list[str] = field(init=False)

    @property
    def clean_csv(self) -> Path:
        """The validated, de-identified rows, numbered, that the children read."""
        return self.work / "clean.csv"

    @property
    def follow(self) -> Path:
        """The marker that tells the children clean.csv is complete."""
        return self.work / "clean.done"

    @property
    def stem(self) -> Path:
        """The CSV, ODS and JSON files' path without the extension."""
        return self.out / self.names["csv"].rsplit(".", 1)[0]
