"""The real server, started the way `make run` starts it, serves both languages."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal.config import PROJECT_ROOT
from tests.support.databases import drop_schema, isolated_database_url

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`scripts/serve` (what `make run` runs) on a free port, with its own database."""
    tmp = tmp_path_factory.mktemp("server")
    url, schema = isolated_database_url(tmp, "server")
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(tmp / "instance"),
        "VENV": sys.prefix,
        "WEB_CONCURRENCY": "2",
    }
    log = (tmp / "server.log").open("w")
    process = subprocess.Popen(
        [str(PROJECT_ROOT / "scripts" / "serve")],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if fetch(base + "/")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
    try:
        if process.poll() is not None:
            pytest.fail(f"server did not start: {Path(log.name).read_text()[-3000:]}")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        if schema:
            drop_schema(url.split("?")[0], schema)


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/", "zh-Hant-TW", "台灣自來水公司第一區管理處"),
        ("/en/", "en", "Taiwan Water Corporation, 1st Branch"),
        ("/offices", "zh-Hant-TW", "服務據點"),
        ("/en/offices", "en", "Service offices"),
        ("/en/pages/privacy", "en", "Privacy Policy"),
        ("/staff/login", "zh-Hant-TW", "員工登入"),
    ],
)
def test_pages_in_both_languages(served: str, path: str, lang: str, heading: str) -> None:
    status, body, headers = fetch(served + path)
    assert status == 200
    page = BeautifulSoup(body, "html.parser")
    assert page.html["lang"] == lang
    assert page.h1.get_text(strip=True) == heading
    assert "Content-Security-Policy" in headers


def test_static_files_and_missing_pages(served: str) -> None:
    status, body, headers = fetch(served + "/static/css/site.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    status, body, _ = fetch(served + "/en/nowhere")
    assert status == 404
    assert "Page not found" in body
