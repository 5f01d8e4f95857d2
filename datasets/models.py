"""The open-data catalogue: code tables, datasets, their immutable releases and publish jobs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from datasets.job_states import JobState, RefusalReason
from portal.db import Base, utcnow
from portal.offices.models import Office


class Dataset(Base):
    """A dataset in the catalogue, with everything data.gov.tw asks of one."""

    __tablename__ = "dataset"
    __audit__ = "dataset"
    # The publish lock and the current-release pointer move with every publish; the
    # release records say what happened.
    __audit_ignore__ = ("publishing_job_id", "current_release_id", "updated_at", "next_due")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    identifier: Mapped[str] = mapped_column(String(40), default="")  # 資料集識別碼 on data.gov.tw
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    theme_code: Mapped[str] = mapped_column(String(10), default="")
    cake_code: Mapped[str] = mapped_column(String(10), default="")
    service_code: Mapped[str] = mapped_column(String(10), default="")
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id", ondelete="RESTRICT"), index=True)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    provision_type: Mapped[str] = mapped_column(String(40), default="原始資料")  # 資料提供屬性
    update_frequency: Mapped[str] = mapped_column(String(20), default="monthly")
    next_due: Mapped[date | None] = mapped_column(Date)
    licence: Mapped[str] = mapped_column(String(40), default="OGDL-Taiwan-1.0")
    cost: Mapped[str] = mapped_column(String(100), default="免費")
    temporal_start: Mapped[date | None] = mapped_column(Date)
    temporal_end: Mapped[date | None] = mapped_column(Date)
    related_url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # 備註
    table_schema: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Re-identification risk: rows whose quasi-identifiers are shared by fewer than k rows
    # are withheld. Justifications of scanner findings are kept by fingerprint, never by text.
    quasi_identifiers: Mapped[list[str]] = mapped_column(JSON, default=list)
    k_anonymity: Mapped[int] = mapped_column(Integer, default=5)
    pii_allowances: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    current_release_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_release.id", ondelete="SET NULL", use_alter=True), index=True
    )
    publishing_job_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    office: Mapped[Office | None] = relationship(lazy="joined")
    current_release: Mapped[Release | None] = relationship(
        foreign_keys=[current_release_id], lazy="joined", post_update=True
    )


class Release(Base):
    """An immutable, numbered release of a dataset: its files, its rows and its notes."""

    __tablename__ = "dataset_release"
    __table_args__ = (UniqueConstraint("dataset_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(200), default="")
    query_table: Mapped[str] = mapped_column(String(63), default="")
    table_schema: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    files: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    rows_added: Mapped[int | None] = mapped_column(Integer)
    rows_removed: Mapped[int | None] = mapped_column(Integer)
    rows_changed: Mapped[int | None] = mapped_column(Integer)
    rows_dropped: Mapped[int] = mapped_column(Integer, default=0)
    validation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    deid_report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes_zh: Mapped[str] = mapped_column(Text, default="")
    notes_en: Mapped[str] = mapped_column(Text, default="")
    source_name: Mapped[str] = mapped_column(String(255), default="")
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    dataset: Mapped[Dataset] = relationship(foreign_keys=[dataset_id])


class PublishJob(Base):
    """One attempt to publish a release, with its progress for the staff page and the CLI."""

    __tablename__ = "publish_job"
    __table_args__ = (Index("ix_publish_job_dataset_state", "dataset_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"))
    release_id: Mapped[int | None] = mapped_column(ForeignKey("dataset_release.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default=JobState.QUEUED.value)  # a JobState
    stage: Mapped[str] = mapped_column(String(40), default="")
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0..100
    reason: Mapped[str] = mapped_column(Text, default="")  # a RefusalReason when failed, else empty
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_path: Mapped[str] = mapped_column(String(500), default="")
    source_name: Mapped[str] = mapped_column(String(255), default="")
    requested_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]

    def mark_failed(self, reason: RefusalReason, report: dict[str, Any] | None = None) -> None:
        """End the job without a release, for `reason` (with `report`, when given, saying more)."""
        self.state = JobState.FAILED.value
        self.reason = reason.value
        if report is not None:
            self.report = report
        self.finished_at = utcnow()


class DownloadCount(Base):
    """How many times a kind of file of a dataset was downloaded on a day (never by whom)."""

    __tablename__ = "dataset_download_count"
    __table_args__ = (UniqueConstraint("dataset_id", "kind", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # csv, ods, json, pdf, datapackage
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer, default=0)
