"""What the survey domain stores: satisfaction after a case, its follow-ups, and the counter survey.

- `CaseSurvey`: one per case, issued when the case is closed with a reply. The link's
  token is stored only as its SHA-256 digest. The answers are plain figures (1–5); the
  comment may name people, so it is sealed like a case's text (`SealedText`) and purged
  with the case's personal data.
- `FollowUp`: opened when the overall answer is 2 or less, for the office's supervisor,
  due in working days; what was done, and the improvement decided (which staff may
  choose to publish).
- `Counter` and `CounterResponse`: the counters of each office, and the answers given at
  them (kiosk or a visitor's phone) with office, counter, channel and time only. A
  device's cool-down is kept in the rate-limit counters, never here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from feedback.cases.keys import SealedText
from portal.db import Base, UTCDateTime, utcnow


class CaseSurvey(Base):
    """The satisfaction survey of one closed case."""

    __tablename__ = "case_survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("citizen_case.id", ondelete="CASCADE"), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="RESTRICT"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    source: Mapped[str] = mapped_column(String(10), default="")  # "email" (a face clicked) or "page"
    overall: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    timeliness: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    attitude: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    professionalism: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    clarity: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    comment: Mapped[str | None] = mapped_column(SealedText, nullable=True)


class FollowUp(Base):
    """A dissatisfied citizen's follow-up by the office's supervisor."""

    __tablename__ = "survey_follow_up"
    __audit__ = "survey_follow_up"
    __audit_redact__ = ("contact_made", "outcome")

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("case_survey.id", ondelete="CASCADE"), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="RESTRICT"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    due_on: Mapped[date | None] = mapped_column(
        Date, nullable=True
    )  # None: the office calendar lacks the days
    contact_made: Mapped[str | None] = mapped_column(SealedText, nullable=True)
    outcome: Mapped[str | None] = mapped_column(SealedText, nullable=True)
    improvement: Mapped[str] = mapped_column(Text, default="")  # what the office changes: no personal data
    improvement_public: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), nullable=True)


class Counter(Base):
    """A service counter of an office, where the counter survey is taken."""

    __tablename__ = "service_counter"
    __table_args__ = (UniqueConstraint("office_id", "code", name="uq_service_counter_office_code"),)
    __audit__ = "service_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name_zh: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CounterResponse(Base):
    """One answer to the counter survey: office, counter, channel, time, face and reason only."""

    __tablename__ = "counter_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="RESTRICT"), index=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counter.id", ondelete="RESTRICT"), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # "kiosk" or "qr"
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(String(20), default="")  # a fixed reason's code, never free text
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # part of an unusual burst
    excluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    excluded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), nullable=True
    )
    exclusion_reason: Mapped[str] = mapped_column(String(300), default="")
