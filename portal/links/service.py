"""Running the link checker: gather every place's links, check each link once, keep what was found.

External addresses are checked several at a time (threads: the work is waiting on the
network); paths on this site are asked of the application in this process. Each link's
`LinkReport` is brought up to date in the caller's session: when it broke first (kept
while it stays broken, so staff see for how long), and the places it appears in. Links
no place holds any more are forgotten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.links.checking import LinkResult, check_external, check_internal, new_session
from portal.links.models import LinkReport
from portal.links.sources import link_sources

WORKERS = 8


@dataclass
class CheckSummary:
    """What a run found."""

    checked: int = 0
    broken: list[LinkReport] = field(default_factory=list)


def url_key(url: str) -> str:
    """The key a link's report is found by."""
    return hashlib.sha256(url.encode()).hexdigest()


def gather_links() -> dict[str, list[list[str]]]:
    """Every link the registered sources hold, with its places as [kind, title, staff page]."""
    found: dict[str, list[list[str]]] = {}
    # The sources build their staff pages' paths with url_for, which a command has no request for.
    with current_app.test_request_context("/"):
        for source in link_sources():
            for place in source.places():
                for url in place.urls:
                    found.setdefault(url, []).append([source.kind, place.title, place.edit_url])
    return found


def _ask_application(path: str) -> int:
    client = current_app.test_client()
    response = client.get(path)
    response.close()
    return response.status_code


def check_links(urls: list[str], progress: Callable[[LinkResult], None] | None = None) -> list[LinkResult]:
    """Check each link: paths here through the application, addresses over the network, in `urls`' order."""
    config = current_app.config
    timeout = float(config["LINK_CHECK_TIMEOUT_SECONDS"])
    retries = int(config["LINK_CHECK_RETRIES"])
    results: dict[str, LinkResult] = {}
    external = [url for url in urls if not url.startswith("/")]
    for path in (url for url in urls if url.startswith("/")):
        results[path] = check_internal(_ask_application, path)
        if progress:
            progress(results[path])
    session = new_session()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [
            (url, pool.submit(check_external, session, url, timeout=timeout, retries=retries))
            for url in external
        ]
        for url, future in futures:
            results[url] = future.result()
            if progress:
                progress(results[url])
    return [results[url] for url in urls]


def record_results(
    session: Session, places: dict[str, list[list[str]]], results: list[LinkResult]
) -> CheckSummary:
    """Bring every link's report up to date in `session`, and forget links no place holds."""
    now = utcnow()
    existing = {report.url_key: report for report in session.scalars(select(LinkReport))}
    summary = CheckSummary(checked=len(results))
    keys = set()
    for result in results:
        key = url_key(result.url)
        keys.add(key)
        report = existing.get(key) or LinkReport(url_key=key, url=result.url)
        if not result.ok and (report.ok or report.first_broken_at is None):
            report.first_broken_at = now
        if result.ok:
            report.first_broken_at = None
        report.ok, report.status, report.error = result.ok, result.status, result.error[:200]
        report.places = places.get(result.url, [])
        report.checked_at = now
        session.add(report)
        if not result.ok:
            summary.broken.append(report)
    gone = [key for key in existing if key not in keys]
    if gone:
        session.execute(delete(LinkReport).where(LinkReport.url_key.in_(gone)))
    session.flush()
    return summary


def run_link_check(session: Session, progress: Callable[[LinkResult], None] | None = None) -> CheckSummary:
    """Gather, check and record every link of the site's content."""
    places = gather_links()
    results = check_links(list(places), progress)
    return record_results(session, places, results)


def broken_links(session: Session) -> list[LinkReport]:
    """The links broken at the last check, longest broken first."""
    statement = (
        select(LinkReport).where(LinkReport.ok.is_(False)).order_by(LinkReport.first_broken_at, LinkReport.id)
    )
    return list(session.scalars(statement))
