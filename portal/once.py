"""Scheduled work that runs once per period, however many machines or timers start it.

A job claims its period (a day, a month) by inserting one row into `scheduled_run`,
whose (job, period) pair is unique: the first process to commit the claim does the work,
every other one finds the row and skips. The claim and the work's own writes commit
together when the work runs in the same session, so a run that fails leaves no claim and
the next timer tries again. docs/operations.md says how the timers are set up.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, utcnow


class ScheduledRun(Base):
    """One period of one scheduled job, claimed by the process that ran it."""

    __tablename__ = "scheduled_run"
    __table_args__ = (UniqueConstraint("job", "period", name="uq_scheduled_run_job_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    summary: Mapped[str] = mapped_column(String(500), default="")


def claim(session: Session, job: str, period: str) -> ScheduledRun | None:
    """Claim `job` for `period` in the session's transaction; None when it was claimed already.

    Within a savepoint, so that a lost race leaves the caller's transaction usable.
    """
    if session.scalar(select(ScheduledRun.id).where(ScheduledRun.job == job, ScheduledRun.period == period)):
        return None
    run = ScheduledRun(job=job, period=period)
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:
        return None
    return run


def last_runs(session: Session, job: str, limit: int = 10) -> list[ScheduledRun]:
    """The latest claimed periods of `job`, newest first."""
    statement = (
        select(ScheduledRun).where(ScheduledRun.job == job).order_by(ScheduledRun.id.desc()).limit(limit)
    )
    return list(session.scalars(statement))
