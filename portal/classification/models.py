"""The classification codes every published thing carries: 主題 (theme), 施政 (cake) and 服務 (service)."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class ClassificationCode(Base):
    """One code of a classification the catalogue uses: 主題 (theme), 施政 (cake) or 服務 (service)."""

    __tablename__ = "classification_code"
    __audit__ = "classification_code"
    __table_args__ = (UniqueConstraint("scheme", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))  # theme, cake or service
    code: Mapped[str] = mapped_column(String(10))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200), default="")
