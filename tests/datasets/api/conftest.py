"""Fixtures for the data API: a published release whose rows cover every field type, nulls included."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from datasets.models import Dataset, Release
from tests.datasets.conftest import write_csv

API_SCHEMA = {
    "fields": [
        {"name": "code", "type": "string", "title": "代碼", "index": True},
        {"name": "district", "type": "string", "title": "行政區", "index": True},
        {"name": "day", "type": "date", "title": "日期", "index": True},
        {"name": "at", "type": "datetime", "title": "時間"},
        {"name": "count", "type": "integer", "title": "件數"},
        {"name": "rate", "type": "number", "title": "比率"},
        {"name": "year", "type": "year", "title": "年度"},
        {"name": "planned", "type": "boolean", "title": "計畫性"},
        {"name": "note", "type": "string", "title": "說明"},
    ],
    "primaryKey": ["code"],
}
DISTRICTS = ("中正區", "信義區", "汐止區", "七堵區")
ROW_COUNT = 230


def source_rows() -> list[dict[str, Any]]:
    """The release's rows as Python values (None for an empty cell)."""
    rows = []
    for number in range(1, ROW_COUNT + 1):
        rows.append(
            {
                "code": f"C{number:04d}",
                "district": None if number % 17 == 0 else DISTRICTS[number % 4],
                "day": None if number % 19 == 0 else date(2025, 1 + number % 12, 1 + number % 28),
                "at": datetime(2025, 3, 1 + number % 28, number % 24, number % 60),
                "count": None if number % 23 == 0 else (number * 7) % 50,
                "rate": round(number / 9, 3),
                "year": 2020 + number % 6,
                "planned": number % 3 == 0,
                "note": "=SUM(A1)"
                if number == 5
                else f"第{number}號測試，管線{'漏水' if number % 5 == 0 else '檢修'}",
            }
        )
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class PublishedDataset:
    """A dataset published for a test, and the rows its release holds."""

    slug: str
    dataset_id: int
    release_number: int
    rows: list[dict[str, Any]]


@pytest.fixture
def api_dataset(
    make_dataset: Callable[..., Dataset], run_publish: Callable[..., Any], tmp_path: Path
) -> PublishedDataset:
    """A release of ROW_COUNT rows with every field type and some empty cells."""
    rows = source_rows()
    header = [field["name"] for field in API_SCHEMA["fields"]]
    source = write_csv(tmp_path / "api.csv", header, [[_cell(row[name]) for name in header] for row in rows])
    dataset = make_dataset(schema=API_SCHEMA, title_zh="測試停水資料", keywords=["測試", "停水"])
    job, release = run_publish(dataset, source)
    assert isinstance(release, Release), job.report
    return PublishedDataset(dataset.slug, dataset.id, release.number, rows)
