"""The rows of the open dataset of survey figures, per month and office (pure).

One row per month and office: the satisfaction survey after a case (surveys issued in
the month, how many of them were answered, the response rate, the mean overall answer,
the share satisfied and the mean of each aspect) and the counter survey (answers not
excluded, their mean and share satisfied, in all and by channel).

Nothing personal is read or written: the facts hold an office, a month and scores only
(no comment, no case, no time finer than the month). Small counts are not published:

- a count from 1 to `SUPPRESSION_THRESHOLD` - 1 is an empty cell, and so is every figure
  computed from it (a rate, a mean, a share); zero is published, as it singles out no one;
- the counter answers by channel add up to the office's answers: when that total is
  published and exactly one channel's count is hidden, the smallest other count is hidden
  as well (with its figures), so that the hidden one cannot be had by subtraction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from feedback.cases.handling import OFFICE_ZONE
from feedback.surveys.suppression import suppress
from feedback.surveys.tally import percent

# Counts under this many people are not published (a first setting, to be confirmed).
SUPPRESSION_THRESHOLD = 5
SATISFIED_SCORES = frozenset({4, 5})
# The aspects asked after the overall answer, as `case_surveys.ASPECTS` names them.
ASPECTS = ("timeliness", "attitude", "professionalism", "clarity")
CHANNELS = ("kiosk", "qr")
_TWO_DECIMALS = Decimal("0.01")

COLUMNS = (
    "month",
    "office_code",
    "office_name",
    "surveys_issued",
    "survey_responses",
    "response_rate",
    "overall_mean",
    "overall_satisfied",
    *(f"{aspect}_mean" for aspect in ASPECTS),
    "counter_answers",
    "counter_mean",
    "counter_satisfied",
    *(f"{channel}_{figure}" for channel in CHANNELS for figure in ("answers", "mean", "satisfied")),
)


@dataclass(frozen=True)
class SurveyFact:
    """One survey after a case: its office, the month it was issued, and the answers (None: none)."""

    office_id: int
    month: str
    overall: int | None
    aspects: Mapping[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class CounterFact:
    """One counter answer that was not excluded: office, month, channel and score."""

    office_id: int
    month: str
    channel: str
    score: int


@dataclass(frozen=True)
class OfficeLabel:
    """What a row says of its office."""

    code: str
    name: str


# ----------------------------------------------------------------------------- months


def month_of(moment: datetime) -> str:
    """The Taipei month ("YYYY-MM") of an aware moment."""
    local = moment.astimezone(OFFICE_ZONE)
    return f"{local.year:04d}-{local.month:02d}"


def next_month(month: str) -> str:
    """The month after `month` ("YYYY-MM")."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def previous_month(month: str) -> str:
    """The month before `month` ("YYYY-MM")."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def month_start(month: str) -> datetime:
    """The first moment of a Taipei month, in UTC."""
    return datetime(int(month[:4]), int(month[5:7]), 1, tzinfo=OFFICE_ZONE).astimezone(UTC)


def last_closed_month(now: datetime) -> str:
    """The latest month that has ended at `now` (Taipei time)."""
    return previous_month(month_of(now))


def months_from(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (empty when `first` is later)."""
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


# ----------------------------------------------------------------------------- figures


@dataclass
class _Scores:
    """Scores on the 1-5 faces: how many, their sum, how many satisfied."""

    count: int = 0
    total: int = 0
    satisfied: int = 0

    def add(self, score: int) -> None:
        self.count += 1
        self.total += score
        self.satisfied += score in SATISFIED_SCORES

    def mean(self) -> Decimal | None:
        if not self.count:
            return None
        return (Decimal(self.total) / self.count).quantize(_TWO_DECIMALS, rounding=ROUND_HALF_UP)

    def share(self) -> Decimal | None:
        return percent(self.satisfied, self.count)


def _text(value: int | Decimal | None) -> str:
    return "" if value is None else str(value)


def _figures(scores: _Scores, shown: bool) -> tuple[str, str]:
    """The mean and share satisfied of `scores`, empty when their count is not shown."""
    if not shown:
        return "", ""
    return _text(scores.mean()), _text(scores.share())


def suppress_parts(parts: Sequence[int], published: Sequence[bool], threshold: int) -> list[int | None]:
    """Counts that add up to a total, with the small ones hidden and none recoverable from the total.

    `published` says which parts are columns at all (a part that is not, such as answers of
    an unexpected channel, is hidden like a small one). When the total is shown and exactly
    one nonzero part is hidden, the smallest shown nonzero part is hidden too.
    """
    counts: list[int | None] = [
        suppress(part, threshold) if shown else None for part, shown in zip(parts, published, strict=True)
    ]
    hidden = [index for index, count in enumerate(counts) if count is None and parts[index] > 0]
    if suppress(sum(parts), threshold) is not None and len(hidden) == 1:
        candidates = [index for index, count in enumerate(counts) if count]
        if candidates:
            counts[min(candidates, key=lambda index: parts[index])] = None
    return counts


def _survey_cells(facts: Sequence[SurveyFact], threshold: int) -> dict[str, str]:
    issued = len(facts)
    overall = _Scores()
    aspects = {aspect: _Scores() for aspect in ASPECTS}
    for fact in facts:
        if fact.overall is None:
            continue
        overall.add(fact.overall)
        for aspect, scores in aspects.items():
            value = fact.aspects.get(aspect)
            if value is not None:
                scores.add(value)
    shown_issued = suppress(issued, threshold)
    shown_responses = suppress(overall.count, threshold)
    rate = (
        percent(overall.count, issued) if shown_issued is not None and shown_responses is not None else None
    )
    mean, share = _figures(overall, shown_responses is not None and overall.count > 0)
    cells = {
        "surveys_issued": _text(shown_issued),
        "survey_responses": _text(shown_responses),
        "response_rate": _text(rate),
        "overall_mean": mean,
        "overall_satisfied": share,
    }
    for aspect, scores in aspects.items():
        shown = suppress(scores.count, threshold) is not None and scores.count > 0
        cells[f"{aspect}_mean"] = _figures(scores, shown)[0]
    return cells


def _counter_cells(facts: Sequence[CounterFact], threshold: int) -> dict[str, str]:
    everything = _Scores()
    by_channel = {channel: _Scores() for channel in CHANNELS}
    other = 0  # answers of a channel the dataset has no column for
    for fact in facts:
        everything.add(fact.score)
        if fact.channel in by_channel:
            by_channel[fact.channel].add(fact.score)
        else:
            other += 1
    total = suppress(everything.count, threshold)
    parts = [by_channel[channel].count for channel in CHANNELS] + [other]
    shown = suppress_parts(parts, [True] * len(CHANNELS) + [False], threshold)
    mean, share = _figures(everything, total is not None and everything.count > 0)
    cells = {"counter_answers": _text(total), "counter_mean": mean, "counter_satisfied": share}
    for channel, count in zip(CHANNELS, shown, strict=False):
        scores = by_channel[channel]
        mean, share = _figures(scores, count is not None and scores.count > 0)
        cells |= {f"{channel}_answers": _text(count), f"{channel}_mean": mean, f"{channel}_satisfied": share}
    return cells


def build_rows(
    surveys: Iterable[SurveyFact],
    answers: Iterable[CounterFact],
    offices: Mapping[int, OfficeLabel],
    last_month: str,
    threshold: int = SUPPRESSION_THRESHOLD,
) -> list[dict[str, str]]:
    """The dataset's rows, as text keyed by `COLUMNS`, up to `last_month` included.

    Every month from the first with a fact to `last_month`, for every office with a fact
    in any of them (in the order of `offices`), so that a month without answers reads as
    zeros rather than as a missing row. Facts after `last_month` are left out.
    """
    survey_groups: dict[tuple[str, int], list[SurveyFact]] = {}
    for fact in surveys:
        if fact.month <= last_month:
            survey_groups.setdefault((fact.month, fact.office_id), []).append(fact)
    counter_groups: dict[tuple[str, int], list[CounterFact]] = {}
    for answer in answers:
        if answer.month <= last_month:
            counter_groups.setdefault((answer.month, answer.office_id), []).append(answer)
    keys = survey_groups.keys() | counter_groups.keys()
    if not keys:
        return []
    present = {office_id for _month, office_id in keys}
    rows = []
    for month in months_from(min(month for month, _office in keys), last_month):
        for office_id, label in offices.items():
            if office_id not in present:
                continue
            row = {"month": month, "office_code": label.code, "office_name": label.name}
            row |= _survey_cells(survey_groups.get((month, office_id), []), threshold)
            row |= _counter_cells(counter_groups.get((month, office_id), []), threshold)
            rows.append(row)
    return rows
