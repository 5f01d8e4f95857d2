"""What questionnaires store: the questionnaire, its versions, invitations and responses.

- `Questionnaire`: the slug in its address, its title and description in both languages,
  whether it is anonymous and whether its results are published.
- `QuestionnaireVersion`: one definition (`definition.Definition.to_json`), numbered 1..n
  within its questionnaire, with its publication and opening dates. Once a version has a
  response it is never edited; `versions.needs_new_version` says which edits make a new one.
- `Invitation`: a one-use link for one person. Only the token's SHA-256 digest is kept,
  and the link is used at most once (`used_at`).
- `Response`: one set of answers. An anonymous response keeps the day only: no exact
  time, no invitation, no address, no token (anonymised surveys elsewhere have been
  re-identified through response times and tokens). `submitted_at` and `invitation_id`
  are set only when the questionnaire is not anonymous. The "other" texts are kept apart
  (`others`), for staff only.
- `SentDraft`: the digest of a filled-in questionnaire's key once it is sent, so that it
  is stored once; unlinked to its response, forgotten after a few days.

Answers between pages are never stored here: the page carries them, signed (see
`questionnaire_views.py`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class Questionnaire(Base):
    """A questionnaire the public answers, under /surveys/q/<slug>."""

    __tablename__ = "questionnaire"
    __audit__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    results_public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), nullable=True
    )


class QuestionnaireVersion(Base):
    """One version of a questionnaire's definition; the open one is what the public answers."""

    __tablename__ = "questionnaire_version"
    __table_args__ = (UniqueConstraint("questionnaire_id", "number", name="uq_questionnaire_version_number"),)
    __audit__ = "questionnaire_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    definition: Mapped[str] = mapped_column(Text)  # Definition.to_json()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Invitation(Base):
    """A one-use link to a questionnaire for one person; the token is kept as its digest only."""

    __tablename__ = "questionnaire_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    # For an anonymous questionnaire, the start of the day only: exact times would pair
    # invitations with responses.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Response(Base):
    """One submitted response: answers keyed by question key, "other" texts apart."""

    __tablename__ = "questionnaire_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)  # Taipei day, the only time an anonymous one keeps
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # not anonymous only
    answers: Mapped[str] = mapped_column(Text)  # JSON: question key → answer
    others: Mapped[str] = mapped_column(Text, default="{}")  # JSON: question key → "other" text (staff only)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_invitation.id", ondelete="SET NULL"), nullable=True, unique=True
    )


class SentDraft(Base):
    """A filled-in questionnaire already sent: its draft key's digest and the day, nothing else.

    It is not linked to the response it stored, so it says nothing about who answered
    what; it only stops the same draft from being stored twice.
    """

    __tablename__ = "questionnaire_sent_draft"

    key_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)
