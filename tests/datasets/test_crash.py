"""A publish killed with SIGKILL midway leaves no partial release, and the next one recovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, inspect, text

from portal.config import PROJECT_ROOT
from tests.datasets.conftest import HEADER, SCHEMA, sample_rows, write_csv
from tests.support.databases import drop_schema, isolated_database_url

pytestmark = pytest.mark.server


@pytest.fixture
def site(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for `flask` commands on a database and storage of their own."""
    url, schema = isolated_database_url(tmp_path, "crash")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "PUBLISH_STALE_SECONDS": "1",
    }
    env.pop("REDIS_URL", None)
    yield env
    if schema:
        drop_schema(url.split("?")[0], schema)


def flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "portal", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def query(env: dict[str, str], sql: str) -> list[tuple]:
    from portal.config import normalise_database_url

    engine = create_engine(normalise_database_url(env["DATABASE_URL"]))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def table_names(env: dict[str, str]) -> set[str]:
    from portal.config import normalise_database_url

    engine = create_engine(normalise_database_url(env["DATABASE_URL"]))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_kill_nine_midway(site: dict[str, str], tmp_path: Path) -> None:
    assert flask(site, "db", "upgrade").returncode == 0
    definition = tmp_path / "crash.yaml"
    definition.write_text(
        yaml.safe_dump(
            {"name": "crash-test", "title": "當機測試", "title_en": "Crash test", "schema": SCHEMA},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    assert flask(site, "datasets", "define", str(definition)).returncode == 0
    small = write_csv(tmp_path / "small.csv", HEADER, sample_rows(50))
    first = flask(site, "datasets", "publish", "crash-test", str(small))
    assert first.returncode == 0, first.stderr
    big = write_csv(tmp_path / "big.csv", HEADER, sample_rows(150_000))

    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "flask"),
            "--app",
            "portal",
            "datasets",
            "publish",
            "crash-test",
            str(big),
        ],
        cwd=PROJECT_ROOT,
        env=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        progress = query(site, "SELECT progress FROM publish_job WHERE state = 'running'")
        if progress and progress[0][0] >= 20:
            break
        assert process.poll() is None, "the publish ended before it could be killed"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its writer processes, without warning
    process.wait()

    # Still serving release 1; nothing of the killed job is visible.
    assert query(site, "SELECT number FROM dataset_release") == [(1,)]
    current = query(
        site,
        "SELECT d.current_release_id, r.id, r.query_table, r.storage_key FROM dataset d JOIN dataset_release r ON r.dataset_id = d.id",
    )
    assert current[0][0] == current[0][1]
    assert query(site, f"SELECT count(*) FROM {current[0][2]}") == [(50,)]
    storage = Path(site["INSTANCE_PATH"]) / "storage"
    assert (storage / current[0][3] / "crash-test.csv").exists()
    killed = query(site, "SELECT id FROM publish_job WHERE state = 'running'")
    assert len(killed) == 1
    leftover = f"ds_rows_{killed[0][0]}"
    assert leftover in table_names(site), "the killed job's table is there, but no release points at it"

    time.sleep(1.5)  # PUBLISH_STALE_SECONDS=1: the killed job is now taken as dead
    second = flask(site, "datasets", "publish", "crash-test", str(small))
    assert second.returncode == 0, second.stderr
    assert query(site, "SELECT number FROM dataset_release ORDER BY number") == [(1,), (2,)]
    assert leftover not in table_names(site)
    assert not (storage / "work" / f"publish-{killed[0][0]}").exists()
    assert query(site, f"SELECT state, reason FROM publish_job WHERE id = {killed[0][0]}") == [
        ("failed", "interrupted")
    ]
