"""Reading the catalogue: code tables, datasets for the public, overdue datasets."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from datasets.catalogue import SCHEMES
from datasets.models import ClassificationCode, Dataset
from portal.db import db

TAIPEI = ZoneInfo("Asia/Taipei")


def today() -> date:
    """Today in Taipei, where the schedule is kept."""
    return datetime.now(TAIPEI).date()


def seed_codes() -> int:
    """Add the built-in classification codes that are missing; returns how many were added."""
    existing = {(code.scheme, code.code) for code in db.session.scalars(select(ClassificationCode))}
    added = 0
    for scheme, codes in SCHEMES.items():
        for code, name_zh, name_en in codes:
            if (scheme, code) not in existing:
                db.session.add(ClassificationCode(scheme=scheme, code=code, name_zh=name_zh, name_en=name_en))
                added += 1
    return added


def codes(scheme: str) -> list[ClassificationCode]:
    """The codes of one scheme, in code order."""
    return list(
        db.session.scalars(
            select(ClassificationCode)
            .where(ClassificationCode.scheme == scheme)
            .order_by(ClassificationCode.code)
        )
    )


def code_names(scheme: str) -> dict[str, ClassificationCode]:
    """Codes of one scheme by code."""
    return {code.code: code for code in codes(scheme)}


def overdue_datasets() -> list[Dataset]:
    """Published datasets whose next release is late, most overdue first."""
    return list(
        db.session.scalars(
            select(Dataset)
            .where(Dataset.published.is_(True), Dataset.next_due.is_not(None), Dataset.next_due < today())
            .order_by(Dataset.next_due)
        )
    )
