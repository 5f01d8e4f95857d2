"""What the case domain stores: the office calendar, case types, cases, their numbers and timelines.

Everything a citizen tells us about themselves or their case (name, e-mail, phone,
address, subject, description, replies that may quote them) is a `SealedText` column:
encrypted at rest with `CASE_DATA_KEYS` (`feedback/cases/keys.py`). What the office's
figures need (type, office, channel, dates, states, in time or not) is plain, so the
figures survive when the personal data is purged. `email_key` is a keyed hash of the
e-mail address, for rate limits, duplicates and lookup links without opening anything.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.cases.keys import SealedText
from feedback.cases.states import CaseState
from portal.db import Base, UTCDateTime, utcnow


class OfficeDay(Base):
    """One day of the government office calendar: whether offices are closed, and why."""

    __tablename__ = "office_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    day_off: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(60), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    source_name: Mapped[str] = mapped_column(String(255), default="")


class CaseType(Base):
    """A kind of case citizens can bring, kept by administrators."""

    __tablename__ = "case_type"
    __audit__ = "case_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # a CaseKind
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(160))
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    working_days: Mapped[int] = mapped_column(Integer)
    pauses_when_waiting: Mapped[bool] = mapped_column(Boolean, default=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), nullable=True)
    web_intake: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CaseDayCounter(Base):
    """The last sequence issued on a day: the next case number is one more."""

    __tablename__ = "case_day_counter"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Case(Base):
    """One application or message from a citizen, from receipt to closure."""

    __tablename__ = "citizen_case"
    __table_args__ = (UniqueConstraint("received_on", "sequence", name="uq_citizen_case_day_sequence"),)
    # Staff changes (assignment, state, office, due date) are audited; what the citizen told
    # us is recorded only as changed, never by value, so the audit log holds no personal data.
    __audit__ = "case"
    __audit_redact__ = (
        "subject",
        "description",
        "contact_name",
        "contact_email",
        "contact_phone",
        "address",
        "password_hash",
        "email_key",
        "open311_token",
        "latitude",
        "longitude",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    password_hash: Mapped[str] = mapped_column(String(200))
    type_id: Mapped[int] = mapped_column(ForeignKey("case_type.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # a Channel
    state: Mapped[str] = mapped_column(String(12), default=CaseState.RECEIVED, index=True)
    language: Mapped[str] = mapped_column(String(5), default="zh")
    district: Mapped[str] = mapped_column(String(40), default="")
    subject: Mapped[str] = mapped_column(SealedText)
    description: Mapped[str] = mapped_column(SealedText)
    contact_name: Mapped[str] = mapped_column(SealedText)
    contact_email: Mapped[str | None] = mapped_column(SealedText, nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(SealedText, nullable=True)
    address: Mapped[str | None] = mapped_column(SealedText, nullable=True)
    email_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    working_days: Mapped[int] = mapped_column(Integer)
    queued_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # the clock's first day (day 0)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    completed_in_time: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    misdirected: Mapped[bool] = mapped_column(Boolean, default=False)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("citizen_case.id"), nullable=True)
    no_reply_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)  # 行政程序法 §173
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Who typed it in at the counter, on the phone or from a letter (None for the web and Open311).
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    # Open311: the client's key, and the token its POST was answered with.
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"), nullable=True)
    open311_token: Mapped[str | None] = mapped_column(String(40), nullable=True, unique=True)
    # Where the citizen placed it (Open311 or the map), rounded when published.
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)

    case_type: Mapped[CaseType] = relationship(lazy="joined", foreign_keys=[type_id])
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )


class CaseEvent(Base):
    """One entry of a case's timeline: a state change, a reply, a note, a transfer, a new due date."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("citizen_case.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    state_from: Mapped[str | None] = mapped_column(String(12), nullable=True)
    state_to: Mapped[str | None] = mapped_column(String(12), nullable=True)
    public: Mapped[bool] = mapped_column(Boolean, default=False)  # shown to the citizen
    body: Mapped[str | None] = mapped_column(SealedText, nullable=True)
    days: Mapped[int | None] = mapped_column(Integer, nullable=True)  # an extension's working days
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), nullable=True)  # transferred to
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # the due date from this entry on
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)

    case: Mapped[Case] = relationship(back_populates="events")


class CaseMail(Base):
    """A message to a citizen about their case, kept until it has left (and its text erased then).

    Queued in the transaction that changed the case, so a change and its mail are stored
    together; `feedback/cases/outbox.py` sends it in the background and retries.
    """

    __tablename__ = "case_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("citizen_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    to_address: Mapped[str] = mapped_column(SealedText)
    subject: Mapped[str] = mapped_column(SealedText)
    body: Mapped[str] = mapped_column(SealedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    gave_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(200), default="")


class CaseAttachment(Base):
    """A file a citizen or an officer attached to a case, kept sealed in private storage.

    Images are re-encoded without their metadata before they are stored; PDFs must open.
    The bytes live under the storage root's private folder, sealed with the case-data
    keys; `name` is the citizen's own file name, sealed too (it can hold a name).
    """

    __tablename__ = "case_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("citizen_case.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_event.id", ondelete="SET NULL"), nullable=True
    )
    name: Mapped[str] = mapped_column(SealedText)
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    from_citizen: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseLinkToken(Base):
    """A one-time, expiring lookup link sent to a case's e-mail address (only its hash is kept)."""

    __tablename__ = "case_link_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("citizen_case.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class StaffMail(Base):
    """A message to a member of staff about cases (an assignment, the daily digest), kept until it has left.

    It names cases by number, type, office and due date only, never a citizen's details,
    so it is not sealed. `feedback/cases/outbox.py` sends it as it sends case mail: claimed
    by one sender, retried with back-off, its text erased once sent.
    """

    __tablename__ = "staff_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizen_case.id", ondelete="SET NULL"), nullable=True
    )  # the case an assignment notice is about; none for a digest
    kind: Mapped[str] = mapped_column(String(20))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    gave_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(200), default="")
