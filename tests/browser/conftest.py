"""Browser harness: the site served from a thread, driven by Playwright in Debian's Chromium.

Outside CI a machine without Chromium skips these tests with the reason; under
`CI=true` a missing browser, Chinese font or Playwright fails them.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from portal import create_app, migrate
from portal.demo import load_demo
from tests.conftest import app_overrides
from tests.support.databases import drop_schema, isolated_database_url

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: a missing tool fails the run)")
    pytest.skip(reason)


def playwright_module() -> Any:
    """`playwright.sync_api`; missing, it skips the browser tests, or under `CI=true` fails them."""
    try:
        return importlib.import_module("playwright.sync_api")
    except ImportError:
        _require(False, "Playwright for Python is not installed (pip install -r requirements-dev.txt)")
        raise


def has_cjk_font() -> bool:
    """Whether a font that renders Traditional Chinese is installed."""
    if not shutil.which("fc-list"):
        return False
    listing = subprocess.run(["fc-list", ":lang=zh-tw"], capture_output=True, text=True, check=False).stdout
    return bool(listing.strip())


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site with demo content on its own database, served on a free port."""
    tmp = tmp_path_factory.mktemp("browser")
    url, schema = isolated_database_url(tmp, "browser")
    migrate.upgrade(url)
    application: Flask = create_app(app_overrides(url, tmp / "instance", TESTING=False))
    with application.app_context():
        load_demo()
        _refuse_a_release(tmp)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    address = f"http://127.0.0.1:{server.server_port}"
    LIVE_APPLICATIONS[address] = application
    yield address
    server.shutdown()
    application.extensions["portal.db"].engine.dispose()
    if schema:
        drop_schema(url.split("?")[0], schema)


REFUSED_DATASET = "pii-check"
# The application behind each live server, for tests that must prepare what no page can (an expired link).
LIVE_APPLICATIONS: dict[str, Flask] = {}


def _refuse_a_release(tmp: Path) -> None:
    """A dataset whose last publish the personal-data gate refused, for its job page."""
    from datasets.models import Dataset
    from datasets.publishing import PublishOptions, create_job, publish
    from portal.db import db

    dataset = Dataset(
        slug=REFUSED_DATASET,
        title_zh="個資檢查",
        title_en="Personal data check",
        keywords=[],
        table_schema={"fields": [{"name": "note", "type": "string", "title": "備註"}]},
    )
    db.session.add(dataset)
    db.session.commit()
    source = tmp / "notes.csv"
    source.write_text("note\n請回電 0912-345-678\n寄到 someone@example.com\n", encoding="utf-8")
    publish(create_job(dataset, source, "notes.csv", PublishOptions(), "tester"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require(CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    _require(has_cjk_font(), "no Traditional Chinese font (apt-get install fonts-noto-cjk)")
    playwright_api = playwright_module()
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def save_screenshot(tab, name: str) -> Path:
    """Keep a full-page screenshot for people to look at (not compared by tests)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
