"""API keys: tokens that let staff automation act as their owner, within chosen scopes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Staff
from portal.db import Base, utcnow


class ApiKey(Base):
    """A key's public prefix and the hash of its secret; the secret itself is shown once and never kept."""

    __tablename__ = "api_key"
    __audit__ = "api_key"
    __audit_redact__ = ("secret_hash",)
    __audit_ignore__ = ("last_used_at",)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # Set when the owner's password was reset or changed: the key does nothing until the
    # owner confirms it (or revokes it), since whoever had the account may have made it.
    suspended_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    staff: Mapped[Staff] = relationship(lazy="joined")

    def describe(self) -> dict[str, Any]:
        """What staff pages show of the key (never the secret)."""
        return {"prefix": self.prefix, "name": self.name, "scopes": list(self.scopes)}
