"""Scheduled work claims its period once: a second claim, from any process, finds it taken."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

from flask import Flask
from sqlalchemy import delete

from portal.db import db
from portal.once import ScheduledRun, claim, last_runs


def test_a_period_is_claimed_once_and_another_period_again(app_context: None) -> None:
    first = claim(db.session, "test-job", "2040-01-01")
    assert first is not None
    assert claim(db.session, "test-job", "2040-01-01") is None
    assert claim(db.session, "test-job", "2040-01-02") is not None
    assert claim(db.session, "other-job", "2040-01-01") is not None
    assert [run.period for run in last_runs(db.session, "test-job")] == ["2040-01-02", "2040-01-01"]


def test_racing_processes_claim_a_period_exactly_once(make_app: Callable[..., Flask]) -> None:
    application = make_app()
    job = f"race-{uuid.uuid4().hex[:8]}"
    won: list[bool] = []
    start = threading.Barrier(6)

    def contender() -> None:
        with application.app_context():
            session = db.use_writer_session()
            start.wait()
            run = claim(session, job, "2040-02-01")
            session.commit()
            won.append(run is not None)

    threads = [threading.Thread(target=contender) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert sorted(won) == [False] * 5 + [True]
    finally:
        with application.app_context():
            db.session.execute(delete(ScheduledRun).where(ScheduledRun.job == job))
            db.session.commit()
