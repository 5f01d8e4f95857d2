"""Page views per page and day, with nothing about the visitor, and the home page's most-used services.

Each web worker counts the public pages it answers (a GET answered 200 with HTML, the
staff pages left out) in memory, under the Taipei day, the page's endpoint and its path
without the language prefix (both languages count for one page). Every
`PAGE_VIEW_FLUSH_SECONDS` the request that finds the count due adds it to `page_view`
with one upsert per page, in a session of its own, so that no request's own work is
committed with it. Counts add up, so any number of workers can write them; a worker
that stops loses at most its last interval's views.

`ranked_links(links)` orders the home page's services by their endpoints' views over
the last `RANKING_DAYS` days, ties (and services nobody has used yet) in their registered
order; the ranking is kept per worker for `RANKING_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from flask import Flask, Response, current_app, request
from sqlalchemy import Date, Integer, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.clock import taipei_today
from portal.db import Base, db, upsert
from portal.web.registry import Link

RANKING_DAYS = 30
RANKING_SECONDS = 300
PATH_MAX = 300
_KEY = "portal.page_views"


class PageView(Base):
    """How many times one page was shown on one day."""

    __tablename__ = "page_view"
    __table_args__ = (UniqueConstraint("day", "path", name="uq_page_view_day_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    endpoint: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(String(PATH_MAX))
    views: Mapped[int] = mapped_column(Integer, default=0)


class _Tally:
    """One worker's views not yet written, and its cached ranking."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[tuple[date, str, str]] = Counter()
        self.flushed_at = time.monotonic()
        self.ranking: tuple[float, dict[str, int]] | None = None


def _tally(app: Flask) -> _Tally:
    return app.extensions.setdefault(_KEY, _Tally())


def _counted(response: Response) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and response.mimetype == "text/html"
        and request.endpoint is not None
        and not request.path.startswith("/staff")
    )


def add_views(session: Session, counts: Counter[tuple[date, str, str]]) -> None:
    """Add `counts` to the table in `session`'s transaction (one upsert per day and page)."""
    for (day, endpoint, path), views in counts.items():
        statement = upsert(session, PageView).values(day=day, endpoint=endpoint, path=path, views=views)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[PageView.day, PageView.path], set_={"views": PageView.views + views}
            )
        )


def flush(app: Flask) -> None:
    """Write this worker's counted views now."""
    tally = _tally(app)
    with tally.lock:
        counts, tally.counts = tally.counts, Counter()
        tally.flushed_at = time.monotonic()
    if not counts:
        return
    session = db.separate_session()
    try:
        add_views(session, counts)
        session.commit()
    except Exception:  # a lost count must never break the page it was counted on
        session.rollback()
        current_app.logger.exception("page views could not be written")
    finally:
        session.close()


def _count(response: Response) -> Response:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["PAGE_VIEWS"] or not _counted(response):
        return response
    tally = _tally(app)
    key = (taipei_today(), str(request.endpoint), request.path[:PATH_MAX])
    with tally.lock:
        tally.counts[key] += 1
        due = time.monotonic() - tally.flushed_at >= float(app.config["PAGE_VIEW_FLUSH_SECONDS"])
    if due:
        flush(app)
    return response


def views_by_endpoint(since: date) -> dict[str, int]:
    """Each endpoint's views from `since` on."""
    rows = db.session.execute(
        select(PageView.endpoint, func.sum(PageView.views))
        .where(PageView.day >= since)
        .group_by(PageView.endpoint)
    )
    return {endpoint: int(total or 0) for endpoint, total in rows}


def ranked_links(links: Sequence[Link]) -> list[Link]:
    """`links` most viewed first over the last `RANKING_DAYS` days; ties in their own order."""
    tally = _tally(current_app)
    cached = tally.ranking
    if cached is None or time.monotonic() - cached[0] > RANKING_SECONDS:
        cached = (time.monotonic(), views_by_endpoint(taipei_today() - timedelta(days=RANKING_DAYS)))
        tally.ranking = cached
    views = cached[1]
    return sorted(links, key=lambda link: -views.get(link.endpoint, 0))


def forget_ranking(app: Flask) -> None:
    """Drop this worker's kept ranking, so the next home page ranks afresh."""
    _tally(app).ranking = None


def init_app(app: Flask) -> None:
    """Count the public pages each worker answers."""
    app.after_request(_count)
