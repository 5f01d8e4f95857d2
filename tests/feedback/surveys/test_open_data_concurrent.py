"""The monthly job started by several processes at once publishes one release, on a database of its own."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from datasets.models import Release
from feedback.surveys.models import Counter, CounterResponse
from feedback.surveys.open_data import MONTHLY_JOB, PublishOutcome, publish_monthly
from portal import migrate
from portal.db import db
from portal.offices.models import Office
from portal.once import ScheduledRun
from tests.support.databases import configured_url, drop_schema, isolated_database_url

NOW = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
CONTENDERS = 4


@pytest.fixture
def own_app(make_app: Callable[..., Flask], suite_tmp: Path) -> Iterator[Flask]:
    """An application on an empty database of its own, where commits are real, with one office's answers."""
    url, schema = isolated_database_url(suite_tmp, f"surveys_monthly_{uuid.uuid4().hex[:8]}")
    migrate.upgrade(url)
    application = make_app(DATABASE_URL=url)
    with application.app_context():
        office = Office(code="KL", name_zh="基隆服務所", name_en="Keelung Service Office")
        db.session.add(office)
        db.session.flush()
        counter = Counter(office_id=office.id, code="1", name_zh="一號櫃台")
        db.session.add(counter)
        db.session.flush()
        start = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
        for minute, score in enumerate([5, 4, 4, 5, 3, 5, 4]):
            db.session.add(
                CounterResponse(
                    office_id=office.id,
                    counter_id=counter.id,
                    channel="kiosk",
                    at=start + timedelta(minutes=minute),
                    score=score,
                )
            )
        db.session.commit()
    yield application
    if schema:
        drop_schema(configured_url() or url, schema)


def test_contending_starts_publish_one_release(own_app: Flask) -> None:
    outcomes: list[PublishOutcome | None] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(CONTENDERS)

    def contender() -> None:
        try:
            barrier.wait()
            outcomes.append(publish_monthly(own_app, NOW))
        except BaseException as error:  # reported by the assertions below
            errors.append(error)

    threads = [threading.Thread(target=contender) for _ in range(CONTENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    published = [outcome for outcome in outcomes if outcome is not None]
    assert len(outcomes) == CONTENDERS
    assert len(published) == 1
    assert published[0].published
    assert published[0].row_count == 1
    with own_app.app_context():
        assert db.session.scalar(select(func.count(Release.id))) == 1
        runs = db.session.scalars(select(ScheduledRun).where(ScheduledRun.job == MONTHLY_JOB)).all()
        assert [(run.period, run.summary) for run in runs] == [
            ("2026-10", f"release {published[0].release_number}, 1 rows")
        ]
