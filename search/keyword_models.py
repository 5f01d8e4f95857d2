"""The tables of popular keywords: each term searched, and how often on each day.

No visitor is recorded: no address, session, time of day or anything else that could tell
who searched; only the term, the day and a count. Days older than `keywords.KEEP_DAYS`
are forgotten by the daily run.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class SearchTerm(Base):
    """One term as normalised for search, and whether staff hid it from the popular list."""

    __tablename__ = "search_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(40), unique=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_at: Mapped[datetime | None] = mapped_column(default=None)


class SearchTermDay(Base):
    """How many searches found something with a term on one day."""

    __tablename__ = "search_term_day"
    __table_args__ = (UniqueConstraint("term_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("search_term.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
