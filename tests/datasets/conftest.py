"""Fixtures for the open-data tests: datasets, source files and publishing them."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from datasets.models import Dataset, PublishJob, Release
from datasets.publishing import PublishOptions, create_job, publish
from portal.db import db

_numbers = itertools.count(1)


def write_csv(
    path: Path, header: list[str], rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    """A CSV file as a person might upload it."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


SCHEMA = {
    "fields": [
        {
            "name": "code",
            "type": "string",
            "title": "代碼",
            "title_en": "Code",
            "constraints": {"required": True},
            "index": True,
        },
        {"name": "district", "type": "string", "title": "行政區", "title_en": "District", "index": True},
        {"name": "day", "type": "date", "title": "日期", "title_en": "Day", "index": True},
        {
            "name": "count",
            "type": "integer",
            "title": "件數",
            "title_en": "Count",
            "unit": "件",
            "constraints": {"minimum": 0},
        },
        {"name": "rate", "type": "number", "title": "比率", "title_en": "Rate"},
        {
            "name": "phone",
            "type": "string",
            "title": "電話",
            "title_en": "Phone",
            "deid": {"rule": "mask", "kind": "phone"},
        },
    ],
    "primaryKey": ["code"],
}
HEADER = [field["name"] for field in SCHEMA["fields"]]


def sample_rows(count: int, start: int = 1) -> list[list[Any]]:
    """Valid rows for SCHEMA."""
    districts = ("中正區", "信義區", "汐止區")
    return [
        [
            f"A{number:05d}",
            districts[number % 3],
            f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}",
            number % 50,
            f"{number / 7:.3f}",
            f"0912{number:06d}",
        ]
        for number in range(start, start + count)
    ]


@pytest.fixture
def make_dataset(app: Flask, db_transaction: Any) -> Callable[..., Dataset]:
    """A dataset row, committed inside the test's transaction."""

    def factory(schema: dict[str, Any] | None = None, **values: Any) -> Dataset:
        number = next(_numbers)
        with app.app_context():
            dataset = Dataset(
                slug=values.pop("slug", f"test-data-{number}"),
                title_zh=values.pop("title_zh", f"測試資料集 {number}"),
                title_en=values.pop("title_en", f"Test dataset {number}"),
                description_zh=values.pop("description_zh", "測試用資料集。"),
                keywords=values.pop("keywords", ["測試"]),
                table_schema=schema if schema is not None else SCHEMA,
                **values,
            )
            db.session.add(dataset)
            db.session.commit()
            return dataset

    return factory


@pytest.fixture
def run_publish(
    app: Flask, db_transaction: Any, tmp_path: Path
) -> Callable[..., tuple[PublishJob, Release | None]]:
    """Publish a file for a dataset synchronously, as the CLI does; returns the job and the release."""

    def runner(
        dataset: Dataset, source: Path, *, name: str | None = None, **options: Any
    ) -> tuple[PublishJob, Release | None]:
        with app.app_context():
            copy = tmp_path / f"upload-{next(_numbers)}{source.suffix}"
            copy.write_bytes(source.read_bytes())
            target = db.session.get(Dataset, dataset.id)
            job = create_job(target, copy, name or source.name, PublishOptions(**options), "tester")
            release = publish(job)
            job = db.session.get(PublishJob, job.id)
            db.session.expunge_all()
            return job, release

    return runner
