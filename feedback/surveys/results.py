"""A questionnaire's results as people read them: one figure a question, a chart beside its table.

`figures` turns `tally.Results` into `QuestionFigure`s in one language: for choice and
scale questions a bar chart of the share choosing each option (per option, not per
combination: a multiple-choice question's shares may add up to more than 100 %) beside
the table of counts and shares; for numbers and dates a table of their figures; for
text questions only how many answered (the texts are for staff, `tally.texts`). Public
pages pass results through `tally.for_public` first, so small counts come suppressed
and show as "—". `over_time_figure` draws the responses per period as a line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from markupsafe import Markup

from feedback.surveys.definition import OTHER, Definition, Question, QuestionKind
from feedback.surveys.exports import label_in
from feedback.surveys.tally import (
    ChoiceResult,
    DateResult,
    NumberResult,
    QuestionResult,
    Results,
    ScaleResult,
)
from feedback.surveys.tally_periods import Period, PeriodResult, period_start
from portal.charts import Bar, Series, bar_chart, line_chart

Language = Literal["zh", "en"]
SUPPRESSED = "—"


@dataclass(frozen=True)
class Words:
    """The words the figures need, in the page's language (the view translates them)."""

    option: str
    count: str
    share: str
    other: str
    unknown: str
    answered: str
    mean: str
    satisfied: str
    minimum: str
    maximum: str
    median: str
    earliest: str
    latest: str
    no_data: str
    period: str
    responses: str
    points: Callable[[QuestionKind, int], str]


@dataclass(frozen=True)
class QuestionFigure:
    """One question's figure: its chart (None for tables alone), table headers and rows, summary."""

    key: str
    title: str
    chart: Markup | None
    headers: list[str]
    rows: list[list[str]]
    summary: str


def _number(value: int | Decimal | None) -> str:
    return SUPPRESSED if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def _percent(value: Decimal | None) -> str:
    return SUPPRESSED if value is None else f"{value}%"


def _labels(question: Question, language: Language, words: Words) -> dict[str, str]:
    labels = {option.key: label_in(option.label, language) for option in question.options}
    labels[OTHER] = words.other
    labels["_unknown"] = words.unknown
    for point in range(1, 6):
        labels[str(point)] = words.points(question.kind, point)
    return labels


def _bars_and_rows(
    question: Question, result: ChoiceResult | ScaleResult, language: Language, words: Words
) -> tuple[list[Bar], list[list[str]]]:
    labels = _labels(question, language, words)
    counts = list(result.options) if isinstance(result, ChoiceResult) else list(result.points)
    if isinstance(result, ChoiceResult) and result.unknown.count:
        counts.append(result.unknown)
    bars = [
        Bar(labels.get(item.key, item.key), float(item.percent or 0))
        for item in counts
        if item.percent is not None
    ]
    rows = [[labels.get(item.key, item.key), _number(item.count), _percent(item.percent)] for item in counts]
    return bars, rows


def _choice_figure(
    question: Question, result: ChoiceResult | ScaleResult, language: Language, words: Words, id_prefix: str
) -> QuestionFigure:
    title = label_in(question.label, language)
    bars, rows = _bars_and_rows(question, result, language, words)
    summary = f"{words.answered}: {_number(result.answered)}"
    if isinstance(result, ScaleResult):
        summary += f"; {words.mean}: {_number(result.mean)}; {words.satisfied}: {_percent(result.satisfied)}"
    chart = bar_chart(
        title, bars, unit="%", maximum=100, empty_text=words.no_data, id_prefix=id_prefix, show_title=False
    )
    return QuestionFigure(question.key, title, chart, [words.option, words.count, words.share], rows, summary)


def _table_figure(
    question: Question, result: QuestionResult, language: Language, words: Words
) -> QuestionFigure:
    title = label_in(question.label, language)
    rows: list[list[str]] = [[words.answered, _number(result.answered)]]
    if isinstance(result, NumberResult):
        rows += [[words.minimum, _number(result.minimum)], [words.maximum, _number(result.maximum)]]
        rows += [[words.mean, _number(result.mean)], [words.median, _number(result.median)]]
    elif isinstance(result, DateResult):
        rows += [[words.earliest, result.earliest.isoformat() if result.earliest else SUPPRESSED]]
        rows += [[words.latest, result.latest.isoformat() if result.latest else SUPPRESSED]]
        rows += [[month.key, _number(month.count)] for month in result.months]
    return QuestionFigure(
        question.key, title, None, ["", words.count], rows, f"{words.answered}: {_number(result.answered)}"
    )


def figures(
    definition: Definition, results: Results, language: Language, words: Words, id_prefix: str = "q"
) -> list[QuestionFigure]:
    """One figure a question, in the order asked."""
    made = []
    for question in definition.questions():
        result = results.questions.get(question.key)
        if result is None:
            continue
        if isinstance(result, ChoiceResult | ScaleResult):
            made.append(_choice_figure(question, result, language, words, f"{id_prefix}-{question.key}"))
        else:
            made.append(_table_figure(question, result, language, words))
    return made


def over_time_figure(
    periods: Sequence[PeriodResult], title: str, words: Words, id_prefix: str = "over-time"
) -> QuestionFigure:
    """Responses per period as a line (a period without any is a gap, not zero)."""
    labels = [period.start.isoformat() for period in periods]
    points = [float(period.n) if period.n else None for period in periods]
    chart = line_chart(
        title,
        labels,
        [Series(words.responses, points)],
        empty_text=words.no_data,
        id_prefix=id_prefix,
        show_title=False,
    )
    rows = [[label, _number(period.n)] for label, period in zip(labels, periods, strict=True)]
    return QuestionFigure("_over_time", title, chart, [words.period, words.responses], rows, "")


def responses_per_period(days: Sequence[date], period: Period) -> list[PeriodResult]:
    """How many responses each period got, every period from the first to the last (0 where none)."""
    if not days:
        return []
    counts: dict[date, int] = {}
    for day in days:
        start = period_start(day, period)
        counts[start] = counts.get(start, 0) + 1
    periods, current, last = [], min(counts), max(counts)
    while current <= last:
        periods.append(PeriodResult(start=current, n=counts.get(current, 0), mean=None, counts=None))
        current = period_start(current + timedelta(days=32 if period == "month" else 7), period)
    return periods
