"""Reading the catalogue: datasets for the public, overdue datasets."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

from sqlalchemy import Select, String, cast, or_, select

from datasets.models import Dataset
from portal.clock import taipei_today
from portal.db import contains_pattern, db
from portal.offices.models import Office


def today() -> date:
    """Today in Taipei, where the schedule is kept."""
    return taipei_today()


def overdue_datasets() -> list[Dataset]:
    """Published datasets whose next release is late, most overdue first."""
    return list(
        db.session.scalars(
            select(Dataset)
            .where(Dataset.published.is_(True), Dataset.next_due.is_not(None), Dataset.next_due < today())
            .order_by(Dataset.next_due)
        )
    )


FORMATS = ("csv", "ods", "json", "pdf")


def search_datasets(filters: Mapping[str, str]) -> Select[Dataset]:
    """Published datasets matching the catalogue's filters, newest first.

    `filters` may hold `q` (words in titles, descriptions or keywords), `theme`, `cake`,
    `service` (classification codes), `office` (office code), `format` and `keyword`.
    """
    query = select(Dataset).where(Dataset.published.is_(True)).order_by(Dataset.updated_at.desc(), Dataset.id)
    if filters.get("q"):
        pattern = contains_pattern(filters["q"])
        texts = (Dataset.title_zh, Dataset.title_en, Dataset.description_zh, Dataset.description_en)
        query = query.where(
            or_(
                *(column.ilike(pattern, escape="\\") for column in texts),
                cast(Dataset.keywords, String).ilike(pattern, escape="\\"),
            )
        )
    for key, column in (
        ("theme", Dataset.theme_code),
        ("cake", Dataset.cake_code),
        ("service", Dataset.service_code),
    ):
        if filters.get(key):
            query = query.where(column == filters[key])
    if filters.get("office"):
        query = query.join(Office, Office.id == Dataset.office_id).where(Office.code == filters["office"])
    if filters.get("keyword"):
        keyword = contains_pattern(json.dumps(filters["keyword"], ensure_ascii=False))
        query = query.where(cast(Dataset.keywords, String).like(keyword, escape="\\"))
    if filters.get("format"):
        # Every release carries every format, so a format filter keeps datasets with a release.
        if filters["format"] not in FORMATS:
            query = query.where(Dataset.id.is_(None))
        else:
            query = query.where(Dataset.current_release_id.is_not(None))
    return query
