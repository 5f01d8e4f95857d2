"""Lighthouse's SEO and accessibility scores are 100 on every public page, in both languages.

Lighthouse is pinned in `tools/lighthouse/` (installed by `make install-dev` with npm)
and drives Debian's Chromium. Each page is audited for the two categories only; a score
under 100 fails with the audits that cost it. The audits run three at a time (most of an
audit's time is waiting on the browser), once per session, and each test reads its page's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, _require
from tests.browser.test_accessibility import PUBLIC_PATHS

pytestmark = pytest.mark.browser

LIGHTHOUSE = (
    Path(__file__).resolve().parents[2] / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
)
# Every public page that answers 200 (the 404 page is meant to say it was not found).
AUDITED = [path for path in PUBLIC_PATHS if "no-such" not in path]
PREFIXES = ["", "/en"]
AT_ONCE = 3


def lighthouse(url: str, report: Path) -> dict:
    """Lighthouse's report on `url`, SEO and accessibility only."""
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=seo,accessibility",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
            "--form-factor=desktop",
            "--screenEmulation.disabled",
            "--max-wait-for-load=20000",
        ],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(report.read_text(encoding="utf-8"))


def failing_audits(report: dict, category: str) -> list[str]:
    """The audits of `category` that did not pass, with what Lighthouse says of them."""
    audits = report["audits"]
    failing = []
    for reference in report["categories"][category]["auditRefs"]:
        audit = audits[reference["id"]]
        if reference["weight"] and audit["score"] is not None and audit["score"] < 1:
            failing.append(f"{audit['id']}: {audit['title']}")
    return failing


@pytest.fixture(scope="session")
def reports(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[dict]]]:
    """Every audited page's report (as a future: a page whose audit failed fails alone)."""
    _require(shutil.which("node") is not None, "Node.js is not installed (apt-get install nodejs npm)")
    _require(LIGHTHOUSE.exists(), f"{LIGHTHOUSE} is missing (make install-dev installs it with npm)")
    _require(CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    work = tmp_path_factory.mktemp("lighthouse")
    pages = [prefix + path for prefix in PREFIXES for path in AUDITED]
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        yield {
            page: pool.submit(lighthouse, live_server + page, work / f"report-{number}.json")
            for number, page in enumerate(pages)
        }


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("path", AUDITED)
def test_seo_and_accessibility_score_100(reports: dict[str, Future[dict]], prefix: str, path: str) -> None:
    report = reports[prefix + path].result(timeout=600)
    scores = {category: report["categories"][category]["score"] for category in ("seo", "accessibility")}
    problems = {category: failing_audits(report, category) for category in scores}
    assert scores == {"seo": 1, "accessibility": 1}, problems
