"""Questionnaire results: hand-counted fixtures for every kind of question, over time, rates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from feedback.surveys.definition import OTHER, Definition, Option, Question, QuestionKind, Section, Text
from feedback.surveys.tally import (
    UNKNOWN,
    ChoiceResult,
    DateResult,
    NumberResult,
    ResponseData,
    ScaleResult,
    TextResult,
    percent,
    response_rate,
    tally,
    texts,
)
from feedback.surveys.tally_periods import over_time, period_start

DAY = datetime.date(2026, 3, 10)


def choice(key: str, kind: QuestionKind, *option_keys: str, allow_other: bool = False) -> Question:
    options = tuple(Option(option, Text(f"選項{option}")) for option in option_keys)
    return Question(key=key, kind=kind, label=Text(f"問題{key}"), options=options, allow_other=allow_other)


def plain(key: str, kind: QuestionKind) -> Question:
    return Question(key=key, kind=kind, label=Text(f"問題{key}"))


DEFINITION = Definition(
    sections=(
        Section(
            key="s1",
            title=Text("基本"),
            questions=(
                choice("single", QuestionKind.SINGLE, "a", "b", "c", allow_other=True),
                choice("multi", QuestionKind.MULTIPLE, "a", "b", "c", allow_other=True),
                plain("likert", QuestionKind.LIKERT),
                plain("rating", QuestionKind.RATING),
            ),
        ),
        Section(
            key="s2",
            title=Text("其他"),
            questions=(
                plain("number", QuestionKind.NUMBER),
                plain("date", QuestionKind.DATE),
                plain("short", QuestionKind.SHORT_TEXT),
                plain("long", QuestionKind.LONG_TEXT),
            ),
        ),
    )
)

# Eight responses; each column below is counted by hand in the tests.
ANSWERS: list[dict[str, object]] = [
    {
        "single": "a",
        "multi": ["a", "b"],
        "likert": 5,
        "rating": 1,
        "number": "12.5",
        "date": "2026-01-15",
        "short": "好",
    },
    {
        "single": "a",
        "multi": ["a"],
        "likert": 4,
        "rating": 2,
        "number": "3",
        "date": "2026-01-20",
        "short": "",
    },
    {
        "single": "b",
        "multi": ["b", "c", OTHER],
        "likert": 4,
        "rating": 2,
        "number": "-1",
        "date": "2025-12-31",
    },
    {
        "single": OTHER,
        "multi": ["a", "gone"],
        "likert": 3,
        "rating": 5,
        "number": "7.25",
        "date": "not a date",
    },
    {"single": "old", "multi": [], "likert": 1, "rating": 6, "number": "abc", "short": "=cmd"},
    {"single": "a", "likert": 5, "long": "很長的意見"},
    {"multi": ["c"], "likert": "x"},
    {"single": "", "multi": ["a", "c"]},
]
OTHERS = [{}, {}, {"multi": "颱風"}, {"single": "鄰居"}, {}, {}, {}, {}]
RESPONSES = [
    ResponseData(answers=answers, others=others, day=DAY)
    for answers, others in zip(ANSWERS, OTHERS, strict=True)
]


def cells(
    result: ChoiceResult | ScaleResult | DateResult, attribute: str
) -> list[tuple[str, int | None, str | None]]:
    return [
        (cell.key, cell.count, None if cell.percent is None else str(cell.percent))
        for cell in getattr(result, attribute)
    ]


@pytest.fixture(scope="module")
def results():
    return tally(DEFINITION, RESPONSES)


def test_the_responses_are_counted(results) -> None:
    assert results.responses == 8
    assert list(results.questions) == [
        "single",
        "multi",
        "likert",
        "rating",
        "number",
        "date",
        "short",
        "long",
    ]


def test_single_counts_each_option_in_order_with_other_and_unknown_values(results) -> None:
    result = results.questions["single"]
    assert isinstance(result, ChoiceResult)
    # "" is no answer; "old" is an option no longer offered.
    assert result.answered == 6
    assert cells(result, "options") == [
        ("a", 3, "50.0"),
        ("b", 1, "16.7"),
        ("c", 0, "0.0"),
        (OTHER, 1, "16.7"),
    ]
    assert (result.unknown.key, result.unknown.count, str(result.unknown.percent)) == (UNKNOWN, 1, "16.7")


def test_multiple_percentages_are_per_option_and_may_pass_100(results) -> None:
    result = results.questions["multi"]
    assert isinstance(result, ChoiceResult)
    # An empty list is no answer.
    assert result.answered == 6
    assert cells(result, "options") == [
        ("a", 4, "66.7"),
        ("b", 2, "33.3"),
        ("c", 3, "50.0"),
        (OTHER, 1, "16.7"),
    ]
    assert result.unknown.count == 1
    assert sum(cell.percent for cell in result.options if cell.percent is not None) == Decimal("166.7")


def test_likert_points_mean_and_share_satisfied(results) -> None:
    result = results.questions["likert"]
    assert isinstance(result, ScaleResult)
    assert result.n == result.answered == 6
    assert cells(result, "points") == [
        ("1", 1, "16.7"),
        ("2", 0, "0.0"),
        ("3", 1, "16.7"),
        ("4", 2, "33.3"),
        ("5", 2, "33.3"),
    ]
    assert result.mean == Decimal("3.67")  # 22 / 6
    assert result.satisfied == Decimal("66.7")  # 4 of 6 gave 4 or 5
    assert result.unreadable == 1  # "x"


def test_rating_out_of_range_is_unreadable_not_counted(results) -> None:
    result = results.questions["rating"]
    assert isinstance(result, ScaleResult)
    assert result.n == 4
    assert cells(result, "points") == [
        ("1", 1, "25.0"),
        ("2", 2, "50.0"),
        ("3", 0, "0.0"),
        ("4", 0, "0.0"),
        ("5", 1, "25.0"),
    ]
    assert result.mean == Decimal("2.50")
    assert result.satisfied == Decimal("25.0")
    assert result.unreadable == 1  # 6


def test_number_summary_is_exact_decimal(results) -> None:
    result = results.questions["number"]
    assert isinstance(result, NumberResult)
    assert result.n == 4
    assert (result.minimum, result.maximum) == (Decimal("-1"), Decimal("12.5"))
    assert result.mean == Decimal("5.44")  # 21.75 / 4 = 5.4375, half up
    assert result.median == Decimal("5.125")  # (3 + 7.25) / 2
    assert result.unreadable == 1


def test_number_mean_keeps_the_answers_decimals() -> None:
    definition = Definition((Section("s", Text("s"), (plain("n", QuestionKind.NUMBER),)),))
    responses = [ResponseData({"n": value}, {}, DAY) for value in ("0.125", "0.250", "1")]
    result = tally(definition, responses).questions["n"]
    assert isinstance(result, NumberResult)
    assert result.mean == Decimal("0.458")  # 1.375 / 3 = 0.4583…
    assert result.median == Decimal("0.250")


def test_date_range_and_months(results) -> None:
    result = results.questions["date"]
    assert isinstance(result, DateResult)
    assert result.n == 3
    assert (result.earliest, result.latest) == (datetime.date(2025, 12, 31), datetime.date(2026, 1, 20))
    assert cells(result, "months") == [("2025-12", 1, "33.3"), ("2026-01", 2, "66.7")]
    assert result.unreadable == 1


def test_text_questions_count_only(results) -> None:
    short, long = results.questions["short"], results.questions["long"]
    assert isinstance(short, TextResult)
    assert isinstance(long, TextResult)
    assert (short.n, long.n) == (2, 1)


def test_texts_give_the_day_and_text_or_the_other_texts() -> None:
    responses = [*RESPONSES, ResponseData({"short": "晚一天"}, {}, DAY + datetime.timedelta(days=1))]
    assert list(texts(DEFINITION, responses, "short")) == [
        (DAY, "好"),
        (DAY, "=cmd"),
        (DAY + datetime.timedelta(days=1), "晚一天"),
    ]
    assert list(texts(DEFINITION, RESPONSES, "single")) == [(DAY, "鄰居")]
    with pytest.raises(ValueError, match="nope"):
        list(texts(DEFINITION, RESPONSES, "nope"))


def test_an_empty_tally_has_no_means_or_percentages() -> None:
    results = tally(DEFINITION, [])
    assert results.responses == 0
    single = results.questions["single"]
    likert = results.questions["likert"]
    number = results.questions["number"]
    assert isinstance(single, ChoiceResult)
    assert isinstance(likert, ScaleResult)
    assert isinstance(number, NumberResult)
    assert [(cell.count, cell.percent) for cell in single.options] == [(0, None)] * 4
    assert (likert.mean, likert.satisfied) == (None, None)
    assert (number.mean, number.median, number.minimum) == (None, None, None)


def test_percentages_round_half_up() -> None:
    assert percent(1, 16) == Decimal("6.3")  # 6.25
    assert percent(1, 8) == Decimal("12.5")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 0) is None


def test_scale_mean_rounds_half_up() -> None:
    definition = Definition((Section("s", Text("s"), (plain("r", QuestionKind.RATING),)),))
    responses = [ResponseData({"r": point}, {}, DAY) for point in (1, 1, 2, 2, 2, 3, 3, 3)]
    result = tally(definition, responses).questions["r"]
    assert isinstance(result, ScaleResult)
    assert result.mean == Decimal("2.13")  # 17 / 8 = 2.125


def test_response_rate() -> None:
    assert response_rate(37, 120) == Decimal("30.8")
    assert response_rate(0, 50) == Decimal("0.0")
    assert response_rate(5, 0) is None


def day_response(day: datetime.date, **answers: object) -> ResponseData:
    return ResponseData(answers=answers, others={}, day=day)


def test_over_time_by_month_shows_empty_months_as_no_data() -> None:
    responses = [
        day_response(datetime.date(2026, 1, 5), rating=4),
        day_response(datetime.date(2026, 1, 28), rating=5),
        day_response(datetime.date(2026, 3, 2), rating=1),
        day_response(datetime.date(2026, 4, 9)),  # a response that skipped the question
    ]
    periods = over_time(DEFINITION, responses, "rating", "month")
    assert [(item.start, item.n, item.mean) for item in periods] == [
        (datetime.date(2026, 1, 1), 2, Decimal("4.50")),
        (datetime.date(2026, 2, 1), 0, None),
        (datetime.date(2026, 3, 1), 1, Decimal("1.00")),
        (datetime.date(2026, 4, 1), 0, None),
    ]


def test_over_time_by_week_starts_on_monday_and_may_be_widened() -> None:
    responses = [
        day_response(datetime.date(2026, 3, 4), single="a"),  # a Wednesday
        day_response(datetime.date(2026, 3, 8), single="b"),  # the Sunday of that week
        day_response(datetime.date(2026, 3, 18), single="a"),
    ]
    periods = over_time(
        DEFINITION,
        responses,
        "single",
        "week",
        start=datetime.date(2026, 2, 24),
        end=datetime.date(2026, 3, 23),
    )
    assert [item.start for item in periods] == [
        datetime.date(2026, 2, 23),
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 16),
        datetime.date(2026, 3, 23),
    ]
    assert [item.n for item in periods] == [0, 2, 0, 1, 0]
    counts = [[(cell.key, cell.count) for cell in item.counts or ()] for item in periods]
    assert counts[1] == [("a", 1), ("b", 1), ("c", 0), (OTHER, 0), (UNKNOWN, 0)]
    assert counts[2] == [("a", 0), ("b", 0), ("c", 0), (OTHER, 0), (UNKNOWN, 0)]
    assert all(item.mean is None for item in periods)


def test_over_time_across_a_year_and_of_nothing() -> None:
    responses = [
        day_response(datetime.date(2025, 12, 31), number="1"),
        day_response(datetime.date(2026, 1, 1), number="3"),
    ]
    periods = over_time(DEFINITION, responses, "number", "month")
    assert [(item.start, item.mean) for item in periods] == [
        (datetime.date(2025, 12, 1), Decimal("1.00")),
        (datetime.date(2026, 1, 1), Decimal("3.00")),
    ]
    assert over_time(DEFINITION, [], "number", "week") == []
    assert period_start(datetime.date(2026, 1, 1), "week") == datetime.date(2025, 12, 29)
