"""Results for publication: counts under a threshold suppressed, with what would reveal them (pure).

A count from 1 to `threshold` - 1 becomes None, and so does every figure computed from
it (a percentage, a scale's mean and share satisfied). Where the cells of a question add
up to a published total (a single-choice question's options, a scale's points, dates'
months, periods), hiding one cell alone would leave it as the total minus the others,
so the next smallest is hidden too (secondary suppression). A multiple-choice question's
cells do not add up to a total, so the rule does not apply there. Zero is published: it
singles out no one.
"""

from __future__ import annotations

from dataclasses import replace

from feedback.surveys.definition import QuestionKind
from feedback.surveys.tally import (
    ChoiceResult,
    Count,
    DateResult,
    NumberResult,
    QuestionResult,
    Results,
    ScaleResult,
)
from feedback.surveys.tally_periods import PeriodResult


def suppress(count: int, threshold: int) -> int | None:
    """`count`, or None when it is too small to publish (1 to threshold - 1).

    Zero is published: it singles out no one, and hiding it would only force hiding
    another cell (the secondary rule in `for_public`).
    """
    return None if 0 < count < threshold else count


def _suppressed(count: int | None, threshold: int) -> int | None:
    return None if count is None else suppress(count, threshold)


def _suppress_cells(cells: tuple[Count, ...], threshold: int, *, partition: bool) -> tuple[Count, ...]:
    """Cells with small counts hidden; in a partition of the total, never exactly one hidden.

    When the cells add up to a published total, one hidden cell would be the total minus
    the others: then the smallest other cell with a count is hidden too.
    """
    counts = [_suppressed(cell.count, threshold) for cell in cells]
    hidden = [index for index, count in enumerate(counts) if count is None]
    if partition and len(hidden) == 1:
        candidates = [index for index, count in enumerate(counts) if count]
        if candidates:
            counts[min(candidates, key=lambda index: counts[index] or 0)] = None
    return tuple(
        replace(cell, count=count, percent=cell.percent if count is not None else None)
        for cell, count in zip(cells, counts, strict=True)
    )


def _hidden_all(cells: tuple[Count, ...]) -> tuple[Count, ...]:
    return tuple(replace(cell, count=None, percent=None) for cell in cells)


def _public_result(result: QuestionResult, threshold: int) -> QuestionResult:
    answered = _suppressed(result.answered, threshold)
    if isinstance(result, ChoiceResult):
        # The cells of a SINGLE question add up to `answered`; a MULTIPLE question's do not.
        cells = (*result.options, result.unknown)
        cells = (
            _hidden_all(cells)
            if answered is None
            else _suppress_cells(cells, threshold, partition=result.kind == QuestionKind.SINGLE)
        )
        return replace(result, answered=answered, options=cells[:-1], unknown=cells[-1])
    if isinstance(result, ScaleResult):
        points = (
            _hidden_all(result.points)
            if answered is None
            else _suppress_cells(result.points, threshold, partition=True)
        )
        # With n and the other points known, the mean or the share satisfied would give a hidden point back.
        whole = answered is not None and all(point.count is not None for point in points)
        return replace(
            result,
            answered=answered,
            points=points,
            mean=result.mean if whole else None,
            satisfied=result.satisfied if whole else None,
            unreadable=_suppressed(result.unreadable, threshold),
        )
    if isinstance(result, NumberResult):
        if answered is None:
            return replace(result, answered=None, minimum=None, maximum=None, mean=None, median=None)
        return replace(result, unreadable=_suppressed(result.unreadable, threshold))
    if isinstance(result, DateResult):
        if answered is None:
            return replace(
                result, answered=None, earliest=None, latest=None, months=_hidden_all(result.months)
            )
        return replace(
            result,
            months=_suppress_cells(result.months, threshold, partition=True),
            unreadable=_suppressed(result.unreadable, threshold),
        )
    return replace(result, answered=answered)


def for_public(results: Results, threshold: int) -> Results:
    """`results` with counts under `threshold` (and what would reveal them) set to None.

    A question answered by fewer than `threshold` shows nothing. A NUMBER question's
    minimum and maximum, and a DATE question's earliest and latest, are single answers:
    they show once the question has enough answers. The secondary rule applies where the
    cells add up to the total (SINGLE options, scale points, date months), not to MULTIPLE.
    """
    return Results(
        responses=_suppressed(results.responses, threshold),
        questions={key: _public_result(result, threshold) for key, result in results.questions.items()},
    )


def public_periods(periods: list[PeriodResult], threshold: int) -> list[PeriodResult]:
    """`over_time` periods for publication: a period with too few answers shows nothing.

    The periods' n add up to the question's `answered`, so the secondary rule applies to them.
    """
    sizes = _suppress_cells(
        tuple(Count(key=str(index), count=item.n, percent=None) for index, item in enumerate(periods)),
        threshold,
        partition=True,
    )
    public = []
    for item, size in zip(periods, sizes, strict=True):
        if size.count is None:
            counts = None if item.counts is None else _hidden_all(item.counts)
            public.append(replace(item, n=None, mean=None, counts=counts))
        else:
            counts = None if item.counts is None else _suppress_cells(item.counts, threshold, partition=True)
            public.append(replace(item, counts=counts))
    return public
