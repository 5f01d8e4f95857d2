"""The documents of the 主動公開資訊 section and their files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow


class DisclosureDocument(Base):
    """A document published under one of the ten §7 categories (`disclosure.categories`)."""

    __tablename__ = "disclosure_document"
    __audit__ = "disclosure_document"
    __audit_ignore__ = ("updated_at",)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[int] = mapped_column(Integer, index=True)  # its number in §7, 1–10
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    summary_zh: Mapped[str] = mapped_column(String(1000), default="")
    summary_en: Mapped[str] = mapped_column(String(1500), default="")
    document_date: Mapped[date] = mapped_column(Date)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id", ondelete="SET NULL"), nullable=True)
    theme_code: Mapped[str] = mapped_column(String(10), default="")
    cake_code: Mapped[str] = mapped_column(String(10), default="")
    service_code: Mapped[str] = mapped_column(String(10), default="")
    source_name: Mapped[str] = mapped_column(String(200), default="")  # who issued it, when not the agency
    source_url: Mapped[str] = mapped_column(String(500), default="")
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    files: Mapped[list[DisclosureFile]] = relationship(
        back_populates="document", order_by="DisclosureFile.id", cascade="all, delete-orphan"
    )


class DisclosureFile(Base):
    """A file of a document: ODF (editable) or PDF (not editable), checked by its content.

    `text` is what could be read from it, for search; a PDF of scanned pages has none
    (`has_text` False), and is flagged: it cannot be searched or read aloud.
    """

    __tablename__ = "disclosure_file"
    __audit__ = "disclosure_file"
    __audit_redact__ = ("text",)  # the extracted text is long, and in the file itself

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("disclosure_document.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    has_text: Mapped[bool] = mapped_column(Boolean, default=True)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[DisclosureDocument] = relationship(back_populates="files")
