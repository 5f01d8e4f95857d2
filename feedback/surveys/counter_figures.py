"""The counter survey's figures per office and counter over local days, for the dashboard and the appraisal.

Excluded answers count nowhere but in `excluded`; flagged answers not yet excluded
count as any other, and are also shown in `flagged` so that readers know how many of
the figures a burst may have made. Days are the office's (Taipei) calendar days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from feedback.cases.handling import OFFICE_ZONE
from feedback.surveys.models import Counter, CounterResponse
from portal.offices.models import Office

SATISFIED_FROM = 4  # 4 (satisfied) and 5 (very satisfied)


@dataclass(frozen=True)
class CounterFigures:
    """One counter's figures (or, with `counter_id` None, its office's) over a range of days."""

    office_id: int
    office_code: str
    office_name_zh: str
    office_name_en: str
    counter_id: int | None
    counter_code: str
    counter_name_zh: str
    counter_name_en: str
    count: int = 0  # answers counted: not excluded
    score_sum: int = 0
    satisfied: int = 0  # counted answers of 4 or 5
    flagged: int = 0  # counted answers flagged as part of a burst
    excluded: int = 0

    @property
    def average(self) -> float | None:
        """The mean score of the counted answers; None without any."""
        return self.score_sum / self.count if self.count else None

    @property
    def satisfied_share(self) -> float | None:
        """The share (0–1) of counted answers that are 4 or 5; None without any."""
        return self.satisfied / self.count if self.count else None


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of local day `start` to the start of the day after local day `end` (aware)."""
    first = datetime.combine(start, time.min, OFFICE_ZONE)
    after = datetime.combine(end + timedelta(days=1), time.min, OFFICE_ZONE)
    return first, after


def _sum(condition: Any, value: Any = 1) -> Any:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _tallies(session: Session, start: date, end: date) -> dict[int, tuple[int, int, int, int, int]]:
    first, after = day_bounds(start, end)
    counted = CounterResponse.excluded_at.is_(None)
    query = (
        select(
            CounterResponse.counter_id,
            _sum(counted),
            _sum(counted, CounterResponse.score),
            _sum(counted & (CounterResponse.score >= SATISFIED_FROM)),
            _sum(counted & CounterResponse.flagged.is_(True)),
            _sum(CounterResponse.excluded_at.is_not(None)),
        )
        .where(CounterResponse.at >= first, CounterResponse.at < after)
        .group_by(CounterResponse.counter_id)
    )
    return {row[0]: tuple(int(value) for value in row[1:]) for row in session.execute(query)}  # type: ignore[misc]


def counter_figures(session: Session, office_id: int | None, start: date, end: date) -> list[CounterFigures]:
    """Every counter's figures from local day `start` to `end` (both included), of one office or all.

    Counters without answers are listed with zeros; inactive counters too, since they may
    have answers from before. Ordered as the offices are, then by counter code.
    """
    tallies = _tallies(session, start, end)
    query = (
        select(Counter, Office)
        .join(Office, Office.id == Counter.office_id)
        .order_by(Office.sort_order, Office.code, Counter.code)
    )
    if office_id is not None:
        query = query.where(Counter.office_id == office_id)
    rows = []
    for counter, office in session.execute(query):
        count, score_sum, satisfied, flagged, excluded = tallies.get(counter.id, (0, 0, 0, 0, 0))
        rows.append(
            CounterFigures(
                office_id=office.id,
                office_code=office.code,
                office_name_zh=office.name_zh,
                office_name_en=office.name_en,
                counter_id=counter.id,
                counter_code=counter.code,
                counter_name_zh=counter.name_zh,
                counter_name_en=counter.name_en,
                count=count,
                score_sum=score_sum,
                satisfied=satisfied,
                flagged=flagged,
                excluded=excluded,
            )
        )
    return rows


def office_totals(rows: Iterable[CounterFigures]) -> list[CounterFigures]:
    """Each office's figures summed from its counters' (pure), in the order the offices first appear."""
    totals: dict[int, CounterFigures] = {}
    for row in rows:
        total = totals.get(row.office_id)
        if total is None:
            totals[row.office_id] = replace(
                row, counter_id=None, counter_code="", counter_name_zh="", counter_name_en=""
            )
            continue
        totals[row.office_id] = replace(
            total,
            count=total.count + row.count,
            score_sum=total.score_sum + row.score_sum,
            satisfied=total.satisfied + row.satisfied,
            flagged=total.flagged + row.flagged,
            excluded=total.excluded + row.excluded,
        )
    return list(totals.values())
