"""Results of a questionnaire: counts, percentages and summaries per question (pure).

`tally` reads the responses once and keeps per question only counters, except for
NUMBER questions, whose values are kept for the median. Results per month or week are
in `tally_periods.py`; `suppression.py` suppresses small counts before results are
published, so that no small group of people can be singled out.

Percentages are Decimals rounded half up to one decimal, of the question's `answered`.
A MULTIPLE question's percentages are per option and may add up to more than 100 %.
Values no longer among a question's options (answers to an older wording of the
options) are counted in an UNKNOWN bucket rather than lost. For LIKERT, RATING, NUMBER
and DATE questions `answered` counts the readable answers only; unreadable stored values
(never expected: answers are checked when given) are counted in `unreadable`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any, Protocol

from feedback.surveys.definition import (
    CHOICE_KINDS,
    LIKERT_POINTS,
    OTHER,
    RATING_POINTS,
    SCALE_KINDS,
    TEXT_KINDS,
    Definition,
    Question,
    QuestionKind,
)

UNKNOWN = "_unknown"  # the bucket key of stored values no longer among the options
SATISFIED_POINTS = frozenset({4, 5})
_ONE_DECIMAL = Decimal("0.1")
_TWO_DECIMALS = Decimal("0.01")


@dataclass(frozen=True)
class ResponseData:
    """One response: answers keyed by question key, "other" texts, and the day it was given."""

    answers: Mapping[str, Any]
    others: Mapping[str, str]
    day: datetime.date


@dataclass(frozen=True)
class Count:
    """One cell: an option key (or OTHER, UNKNOWN), a scale point "1".."5", or a month "YYYY-MM".

    `count` and `percent` are None once suppressed for publication.
    """

    key: str
    count: int | None
    percent: Decimal | None


@dataclass(frozen=True)
class Result:
    """What every question's result has: its key, kind, and how many answered (None once suppressed).

    For LIKERT, RATING, NUMBER and DATE questions only readable answers count.
    """

    key: str
    kind: QuestionKind
    answered: int | None

    @property
    def n(self) -> int | None:
        """The number of answers the figures are of (the same as `answered`)."""
        return self.answered


@dataclass(frozen=True)
class ChoiceResult(Result):
    """A SINGLE or MULTIPLE question: a count per option in the definition's order, OTHER last."""

    options: tuple[Count, ...]
    unknown: Count


@dataclass(frozen=True)
class ScaleResult(Result):
    """A LIKERT or RATING question: a count per point, the mean (2 decimals), % satisfied (4 or 5)."""

    points: tuple[Count, ...]
    mean: Decimal | None
    satisfied: Decimal | None
    unreadable: int | None = 0


@dataclass(frozen=True)
class NumberResult(Result):
    """A NUMBER question. The mean has the inputs' decimals (at least 2); the median is exact."""

    minimum: Decimal | None
    maximum: Decimal | None
    mean: Decimal | None
    median: Decimal | None
    unreadable: int | None = 0


@dataclass(frozen=True)
class DateResult(Result):
    """A DATE question: earliest, latest and the count per month ("YYYY-MM", months answered only)."""

    earliest: datetime.date | None
    latest: datetime.date | None
    months: tuple[Count, ...]
    unreadable: int | None = 0


@dataclass(frozen=True)
class TextResult(Result):
    """A SHORT_TEXT or LONG_TEXT question: how many answered (the texts come from `texts`)."""


QuestionResult = ChoiceResult | ScaleResult | NumberResult | DateResult | TextResult


@dataclass(frozen=True)
class Results:
    """The results of a questionnaire: the number of responses and a result per question, in order."""

    responses: int | None
    questions: Mapping[str, QuestionResult]


def percent(count: int | None, total: int | None) -> Decimal | None:
    """`count` as a percentage of `total`, one decimal rounded half up; None without a total."""
    if count is None or not total:
        return None
    return (Decimal(count) * 100 / Decimal(total)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def response_rate(responses: int, invitations: int) -> Decimal | None:
    """Responses as a percentage of invitations (one decimal); None when no one was invited."""
    if invitations <= 0:
        return None
    return percent(responses, invitations)


def is_answered(value: Any) -> bool:
    """Whether a stored value counts as an answer (an empty text or list does not)."""
    return value is not None and value != "" and value != []


class QuestionTally(Protocol):
    """One question's running tally: answers added one by one, then its result."""

    def add(self, value: Any) -> None: ...

    def result(self) -> QuestionResult: ...


class _ChoiceTally:
    def __init__(self, question: Question) -> None:
        self.question = question
        self.order = [option.key for option in question.options] + ([OTHER] if question.allow_other else [])
        self.known = frozenset(self.order)
        self.counts: Counter[str] = Counter()
        self.answered = 0
        self.unknown = 0

    def add(self, value: Any) -> None:
        keys = _choice_keys(value)
        self.answered += 1
        self.counts.update(keys & self.known)
        # A response counts once in the bucket, however many of its values are unknown.
        if keys - self.known:
            self.unknown += 1

    def result(self) -> ChoiceResult:
        return ChoiceResult(
            key=self.question.key,
            kind=self.question.kind,
            answered=self.answered,
            options=tuple(_cell(key, self.counts[key], self.answered) for key in self.order),
            unknown=_cell(UNKNOWN, self.unknown, self.answered),
        )


class _ScaleTally:
    def __init__(self, question: Question) -> None:
        self.question = question
        self.size = LIKERT_POINTS if question.kind == QuestionKind.LIKERT else RATING_POINTS
        self.counts = [0] * (self.size + 1)
        self.unreadable = 0

    def add(self, value: Any) -> None:
        point = _point(value, self.size)
        if point is None:
            self.unreadable += 1
        else:
            self.counts[point] += 1

    def result(self) -> ScaleResult:
        n = sum(self.counts)
        total = sum(point * count for point, count in enumerate(self.counts))
        satisfied = sum(self.counts[point] for point in SATISFIED_POINTS if point <= self.size)
        mean = (Decimal(total) / n).quantize(_TWO_DECIMALS, rounding=ROUND_HALF_UP) if n else None
        return ScaleResult(
            key=self.question.key,
            kind=self.question.kind,
            answered=n,
            points=tuple(_cell(str(point), self.counts[point], n) for point in range(1, self.size + 1)),
            mean=mean,
            satisfied=percent(satisfied, n),
            unreadable=self.unreadable,
        )


class _NumberTally:
    def __init__(self, question: Question) -> None:
        self.question = question
        self.values: list[Decimal] = []  # kept for the median
        self.places = 2
        self.unreadable = 0

    def add(self, value: Any) -> None:
        number = _decimal(value)
        if number is None:
            self.unreadable += 1
            return
        self.values.append(number)
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            self.places = -exponent

    def result(self) -> NumberResult:
        values = sorted(self.values)
        n = len(values)
        mean = median = None
        if n:
            with localcontext() as context:
                context.prec = 60  # exact sums and halves of any answer a form accepts
                mean = (sum(values, Decimal(0)) / n).quantize(
                    Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP
                )
                middle = n // 2
                median = values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2
        return NumberResult(
            key=self.question.key,
            kind=self.question.kind,
            answered=n,
            minimum=values[0] if n else None,
            maximum=values[-1] if n else None,
            mean=mean,
            median=median,
            unreadable=self.unreadable,
        )


class _DateTally:
    def __init__(self, question: Question) -> None:
        self.question = question
        self.months: Counter[str] = Counter()
        self.earliest: datetime.date | None = None
        self.latest: datetime.date | None = None
        self.unreadable = 0

    def add(self, value: Any) -> None:
        day = _date(value)
        if day is None:
            self.unreadable += 1
            return
        self.months[f"{day.year:04d}-{day.month:02d}"] += 1
        self.earliest = day if self.earliest is None else min(self.earliest, day)
        self.latest = day if self.latest is None else max(self.latest, day)

    def result(self) -> DateResult:
        n = sum(self.months.values())
        return DateResult(
            key=self.question.key,
            kind=self.question.kind,
            answered=n,
            earliest=self.earliest,
            latest=self.latest,
            months=tuple(_cell(month, self.months[month], n) for month in sorted(self.months)),
            unreadable=self.unreadable,
        )


class _TextTally:
    def __init__(self, question: Question) -> None:
        self.question = question
        self.answered = 0

    def add(self, value: Any) -> None:
        self.answered += 1

    def result(self) -> TextResult:
        return TextResult(key=self.question.key, kind=self.question.kind, answered=self.answered)


def tally_for(question: Question) -> QuestionTally:
    if question.kind in CHOICE_KINDS:
        return _ChoiceTally(question)
    if question.kind in SCALE_KINDS:
        return _ScaleTally(question)
    if question.kind == QuestionKind.NUMBER:
        return _NumberTally(question)
    if question.kind == QuestionKind.DATE:
        return _DateTally(question)
    return _TextTally(question)


def tally(definition: Definition, responses: Iterable[ResponseData]) -> Results:
    """Every question's results, in the order asked, reading `responses` once."""
    tallies = [(question.key, tally_for(question)) for question in definition.questions()]
    count = 0
    for response in responses:
        count += 1
        answers = response.answers
        for key, question_tally in tallies:
            value = answers.get(key)
            if is_answered(value):
                question_tally.add(value)
    return Results(responses=count, questions={key: item.result() for key, item in tallies})


def texts(
    definition: Definition, responses: Iterable[ResponseData], key: str
) -> Iterator[tuple[datetime.date, str]]:
    """(day, text) of each answer to a text question, or each "other" text of a choice question."""
    question = definition.question(key)
    if question is None:
        raise ValueError(f"no question {key!r}")
    for response in responses:
        if question.kind in TEXT_KINDS:
            value = response.answers.get(key)
            if isinstance(value, str) and value:
                yield response.day, value
        elif question.kind in CHOICE_KINDS:
            other = response.others.get(key)
            if other:
                yield response.day, other


def _cell(key: str, count: int, total: int) -> Count:
    return Count(key=key, count=count, percent=percent(count, total))


def _choice_keys(value: Any) -> frozenset[str]:
    if isinstance(value, list | tuple):
        return frozenset(str(item) for item in value)
    return frozenset({str(value)})


def _point(value: Any, size: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdecimal():
        value = int(value)
    return value if isinstance(value, int) and 1 <= value <= size else None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None
