"""One real server for the whole run: `scripts/serve` (what `make run` runs) on a free port.

It gets a database of its own (a SQLite file, or a PostgreSQL schema when `DATABASE_URL`
names PostgreSQL), runs `flask setup` (migrations and the demo) and serves with granian,
exactly as `make run` does. Only the port, the database, the instance folder and limits
high enough for a test run to ask every route are set. `site_app` is an application in
this process on the same database, for the URL map and for real values from the demo.
`serving` starts another one with settings of its own (a module that needs a server
configured differently starts it on this one's database, so it skips the demo's load).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask

from portal import create_app
from portal.config import PROJECT_ROOT
from tests.conftest import app_overrides
from tests.support.databases import drop_schema, isolated_database_url

START_SECONDS = 180


@dataclass(frozen=True)
class Server:
    """A running `scripts/serve`."""

    url: str
    database_url: str
    instance: Path
    log: Path

    def log_text(self) -> str:
        """What the server has printed so far."""
        return self.log.read_text(errors="replace")


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server stopped while starting: {log.read_text()[-3000:]}")
        try:
            if requests.get(url + "/", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)  # `flask setup` is still loading the demo
    pytest.fail(f"server did not answer within {START_SECONDS}s: {log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def serving(database_url: str, instance: Path, log: Path, **settings: str) -> Iterator[Server]:
    """`scripts/serve` on `database_url` with the suite's server settings and `settings` on top, until the block ends."""
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "VENV": sys.prefix,
        "WEB_CONCURRENCY": "2",
        # The suite asks every route from one address; Redis may be shared with other runs.
        "RATELIMIT_DEFAULT": "100000 per minute",
        "RATELIMIT_LOGIN": "1000 per minute",
        "JOBS_QUEUE": f"server-test-{uuid.uuid4().hex}",
        "RATELIMIT_KEY_PREFIX": f"server-test-{uuid.uuid4().hex}",
        **settings,
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(PROJECT_ROOT / "scripts" / "serve")],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(process, url, log)
        yield Server(url, database_url, instance, log)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The site served by `scripts/serve` on its own database, for the whole run."""
    tmp = tmp_path_factory.mktemp("server")
    database_url, schema = isolated_database_url(tmp, "server")
    try:
        with serving(database_url, tmp / "instance", tmp / "server.log") as running:
            yield running
    finally:
        if schema:
            drop_schema(database_url.split("?")[0], schema)


@pytest.fixture(scope="session")
def site_app(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An application in this process on the server's database: its URL map and demo values."""
    application = create_app(
        app_overrides(server.database_url, tmp_path_factory.mktemp("site-app"), TESTING=False)
    )
    yield application
    application.extensions["portal.db"].engine.dispose()
