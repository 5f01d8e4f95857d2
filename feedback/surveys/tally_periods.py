"""A question's results over time: per month or ISO week, every period present (pure).

`over_time` tallies one question's answers per period, from the first response (or a
given start) to the last (or a given end); a period without answers has n=0 and mean
None, so that a chart shows no data rather than a zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from feedback.surveys.definition import Definition
from feedback.surveys.tally import (
    ChoiceResult,
    Count,
    NumberResult,
    QuestionResult,
    QuestionTally,
    ResponseData,
    ScaleResult,
    is_answered,
    tally_for,
)

Period = Literal["month", "week"]


@dataclass(frozen=True)
class PeriodResult:
    """One period of `over_time`: its first day, n, and the mean (scales, numbers) or the counts (choices)."""

    start: datetime.date
    n: int | None
    mean: Decimal | None
    counts: tuple[Count, ...] | None


def period_start(day: datetime.date, period: Period) -> datetime.date:
    """The first day of the month, or the Monday of the ISO week, that holds `day`."""
    if period == "month":
        return day.replace(day=1)
    return day - datetime.timedelta(days=day.weekday())


def _next_period(start: datetime.date, period: Period) -> datetime.date:
    if period == "week":
        return start + datetime.timedelta(days=7)
    return datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)


def over_time(
    definition: Definition,
    responses: Iterable[ResponseData],
    key: str,
    period: Period,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[PeriodResult]:
    """One question's results per period, every period from the first response (or `start`)
    to the last (or `end`) present; a period without answers has n=0 and mean None."""
    question = definition.question(key)
    if question is None:
        raise ValueError(f"no question {key!r}")
    tallies: dict[datetime.date, QuestionTally] = {}
    first = period_start(start, period) if start else None
    last = period_start(end, period) if end else None
    for response in responses:
        here = period_start(response.day, period)
        first = here if first is None or here < first else first
        last = here if last is None or here > last else last
        value = response.answers.get(key)
        if is_answered(value):
            if here not in tallies:
                tallies[here] = tally_for(question)
            tallies[here].add(value)
    periods: list[PeriodResult] = []
    current = first
    while current is not None and last is not None and current <= last:
        result = (tallies.get(current) or tally_for(question)).result()
        periods.append(_period_result(current, result))
        current = _next_period(current, period)
    return periods


def _period_result(start: datetime.date, result: QuestionResult) -> PeriodResult:
    mean = result.mean if isinstance(result, ScaleResult | NumberResult) else None
    counts = (*result.options, result.unknown) if isinstance(result, ChoiceResult) else None
    return PeriodResult(start=start, n=result.answered, mean=mean, counts=counts)
