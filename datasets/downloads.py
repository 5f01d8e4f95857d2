"""Download counts per dataset and file kind, a total per day and nothing about who downloaded.

A download counts when a file is sent whole or from its first byte (a resumed download's
later ranges do not count again). The counts feed the dataset pages, the API and the
offices' appraisal figures.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from datasets.models import DownloadCount
from datasets.services import today
from portal.db import db, upsert


def record_download(dataset_id: int, kind: str, day: date | None = None) -> None:
    """Add one download of `kind` to the dataset's count for the day (in its own short transaction)."""
    # End the request's reading transaction first: on SQLite a transaction that has read
    # cannot start writing once another worker has committed (it fails at once, "database is
    # locked"), while one whose first statement writes waits its turn for the lock.
    db.session.commit()
    day = day or today()
    statement = upsert(db.session, DownloadCount).values(dataset_id=dataset_id, kind=kind, day=day, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=["dataset_id", "kind", "day"], set_={"count": DownloadCount.count + 1}
    )
    db.session.execute(statement)
    db.session.commit()


def download_counts(dataset_id: int, since: date | None = None) -> dict[str, int]:
    """Downloads of each kind of the dataset's files (since a day, or ever)."""
    statement = (
        select(DownloadCount.kind, func.sum(DownloadCount.count))
        .where(DownloadCount.dataset_id == dataset_id)
        .group_by(DownloadCount.kind)
    )
    if since is not None:
        statement = statement.where(DownloadCount.day >= since)
    return {kind: int(total or 0) for kind, total in db.session.execute(statement)}
