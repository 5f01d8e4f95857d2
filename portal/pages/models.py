"""Content pages: the agency's own texts (about, privacy and security policies, ...)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow


class Page(Base):
    """A page of text in both languages, written in Markdown."""

    __tablename__ = "page"
    __audit__ = "page"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    summary_zh: Mapped[str] = mapped_column(String(500), default="")
    summary_en: Mapped[str] = mapped_column(String(800), default="")
    body_zh: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    in_footer: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    theme_code: Mapped[str] = mapped_column(String(10), default="")  # the three classifications
    cake_code: Mapped[str] = mapped_column(String(10), default="")
    service_code: Mapped[str] = mapped_column(String(10), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
