"""The search index's table: one row per document and language, with its terms.

Each backend keeps its own structure beside it (an FTS5 table on SQLite, a tsvector
table on PostgreSQL, an OpenSearch index), created by the backend itself
(`search.backends`), since its shape depends on the database's extensions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow

KINDS = ("page", "news", "notice", "faq", "guide", "disclosure", "dataset")

# A document's `rank_key`: its day (since EPOCH) times 2**32 plus its id, so that ordering
# by it is "newest first" and every backend can hold it in an 8-byte integer (below 2**53,
# exact as a double, which RUM's ordering operator computes with).
EPOCH = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
RANK_KEY_CEILING = 2**53


def rank_key(day: date, document_id: int) -> int:
    """The ordering key of a document of `day` (clamped to 1900–2999)."""
    day = min(max(day, EPOCH), LATEST)
    return (day - EPOCH).days * 2**32 + document_id


class SearchDocument(Base):
    """A document as the search shows it, and its index terms (space-separated)."""

    __tablename__ = "search_document"
    __table_args__ = (
        UniqueConstraint("kind", "source_key", "language", name="uq_search_document_source"),
        Index("ix_search_document_kind_rank", "kind", "rank_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_key: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    day: Mapped[date] = mapped_column(Date)
    office_code: Mapped[str | None] = mapped_column(String(20), index=True)
    theme_code: Mapped[str | None] = mapped_column(String(20), index=True)
    administration_code: Mapped[str | None] = mapped_column(String(20), index=True)
    service_code: Mapped[str | None] = mapped_column(String(20), index=True)
    url: Mapped[str] = mapped_column(String(500))
    title_terms: Mapped[str] = mapped_column(Text, default="")
    body_terms: Mapped[str] = mapped_column(Text, default="")
    rank_key: Mapped[int] = mapped_column(BigInteger, unique=True)
    tokeniser_version: Mapped[int] = mapped_column(Integer, index=True)
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)


from search import keyword_models as _keyword_models  # noqa: E402, F401 - the popular keywords tables, on the same metadata
