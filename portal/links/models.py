"""What the link checker last found for each link the site's content holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class LinkReport(Base):
    """One link (an address, or a path on this site), where it appears, and how it answered."""

    __tablename__ = "link_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    url_key: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the link: links are long
    url: Mapped[str] = mapped_column(Text)
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str] = mapped_column(String(200), default="")
    places: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [label, staff page] pairs
    first_broken_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
