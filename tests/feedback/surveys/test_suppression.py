"""Small counts are suppressed before results are published, so that no cell can be recovered."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from feedback.surveys.definition import OTHER, Definition, Option, Question, QuestionKind, Section, Text
from feedback.surveys.suppression import for_public, public_periods, suppress
from feedback.surveys.tally import (
    ChoiceResult,
    DateResult,
    NumberResult,
    ResponseData,
    ScaleResult,
    TextResult,
    tally,
)
from feedback.surveys.tally_periods import over_time

DAY = datetime.date(2026, 5, 4)


def definition_of(*questions: Question) -> Definition:
    return Definition((Section("s", Text("節"), questions),))


def choice(kind: QuestionKind, *keys: str, allow_other: bool = False) -> Question:
    options = tuple(Option(key, Text(key)) for key in keys)
    return Question("q", kind, Text("問題"), options=options, allow_other=allow_other)


def responses_of(values: list[object]) -> list[ResponseData]:
    return [ResponseData({"q": value}, {}, DAY) for value in values]


def repeat(**counts: int) -> list[object]:
    return [key for key, count in counts.items() for _ in range(count)]


def public_cells(
    result: ChoiceResult | ScaleResult | DateResult, attribute: str
) -> list[tuple[str, int | None]]:
    return [(cell.key, cell.count) for cell in getattr(result, attribute)]


def test_suppress_hides_counts_under_the_threshold_but_not_zero() -> None:
    assert suppress(4, 5) is None
    assert suppress(1, 5) is None
    assert suppress(5, 5) == 5
    assert suppress(0, 5) == 0
    assert suppress(3, 1) == 3


def test_one_small_option_hides_the_next_smallest_too() -> None:
    definition = definition_of(choice(QuestionKind.SINGLE, "a", "b", "c", "d"))
    results = tally(definition, responses_of(repeat(a=10, b=6, c=2, d=8)))
    result = for_public(results, 5).questions["q"]
    assert isinstance(result, ChoiceResult)
    assert result.answered == 26
    # c alone would be 26 - 10 - 6 - 8: b, the next smallest, is hidden with it.
    assert public_cells(result, "options") == [("a", 10), ("b", None), ("c", None), ("d", 8)]
    assert [cell.percent for cell in result.options] == [Decimal("38.5"), None, None, Decimal("30.8")]
    assert result.unknown.count == 0


def test_two_small_options_need_no_more_hiding() -> None:
    definition = definition_of(choice(QuestionKind.SINGLE, "a", "b", "c", "d", allow_other=True))
    results = tally(definition, responses_of(repeat(a=10, b=6, c=2, d=8, **{OTHER: 1})))
    result = for_public(results, 5).questions["q"]
    assert isinstance(result, ChoiceResult)
    assert public_cells(result, "options") == [("a", 10), ("b", 6), ("c", None), ("d", 8), (OTHER, None)]


def test_an_unknown_value_counts_as_a_cell() -> None:
    definition = definition_of(choice(QuestionKind.SINGLE, "a", "b"))
    results = tally(definition, responses_of(repeat(a=9, b=7, old=2)))
    result = for_public(results, 5).questions["q"]
    assert isinstance(result, ChoiceResult)
    assert public_cells(result, "options") == [("a", 9), ("b", None)]
    assert (result.unknown.count, result.unknown.percent) == (None, None)


def test_multiple_options_do_not_add_up_so_one_hidden_cell_is_enough() -> None:
    definition = definition_of(choice(QuestionKind.MULTIPLE, "a", "b", "c"))
    values: list[object] = [["a", "b"]] * 6 + [["a"]] * 4 + [["c"]] * 2
    result = for_public(tally(definition, responses_of(values)), 5).questions["q"]
    assert isinstance(result, ChoiceResult)
    assert public_cells(result, "options") == [("a", 10), ("b", 6), ("c", None)]


def test_a_question_with_few_answers_shows_nothing() -> None:
    definition = definition_of(choice(QuestionKind.SINGLE, "a", "b"))
    result = for_public(tally(definition, responses_of(["a", "a", "b"])), 5).questions["q"]
    assert isinstance(result, ChoiceResult)
    assert result.answered is None
    assert public_cells(result, "options") == [("a", None), ("b", None)]
    assert all(cell.percent is None for cell in result.options)


def test_a_scale_with_a_hidden_point_hides_its_mean_and_share_satisfied() -> None:
    definition = definition_of(Question("q", QuestionKind.RATING, Text("滿意度")))
    results = tally(definition, responses_of(repeat(**{"5": 9, "4": 7, "3": 5, "1": 2})))
    result = for_public(results, 5).questions["q"]
    assert isinstance(result, ScaleResult)
    # 1 (2 answers) is hidden, so 3 (the next smallest with a count) is hidden too.
    assert public_cells(result, "points") == [("1", None), ("2", 0), ("3", None), ("4", 7), ("5", 9)]
    assert (result.mean, result.satisfied) == (None, None)
    assert result.answered == 23


def test_a_scale_without_small_points_keeps_its_mean() -> None:
    definition = definition_of(Question("q", QuestionKind.RATING, Text("滿意度")))
    results = tally(definition, responses_of(repeat(**{"5": 6, "4": 5})))
    result = for_public(results, 5).questions["q"]
    assert isinstance(result, ScaleResult)
    assert (result.mean, result.satisfied) == (Decimal("4.55"), Decimal("100.0"))


def test_number_date_and_text_with_few_answers_show_nothing() -> None:
    definition = Definition(
        (
            Section(
                "s",
                Text("節"),
                (
                    Question("n", QuestionKind.NUMBER, Text("數")),
                    Question("d", QuestionKind.DATE, Text("日")),
                    Question("t", QuestionKind.SHORT_TEXT, Text("字")),
                ),
            ),
        )
    )
    responses = [ResponseData({"n": "5", "d": "2026-01-02", "t": "嗨"}, {}, DAY)] * 3
    public = for_public(tally(definition, responses), 5)
    number, date, text = (public.questions[key] for key in ("n", "d", "t"))
    assert isinstance(number, NumberResult)
    assert isinstance(date, DateResult)
    assert isinstance(text, TextResult)
    assert public.responses is None
    assert (number.answered, number.minimum, number.maximum, number.mean, number.median) == (None,) * 5
    assert (date.answered, date.earliest, date.latest) == (None, None, None)
    assert public_cells(date, "months") == [("2026-01", None)]
    assert text.answered is None


def test_date_months_follow_the_secondary_rule() -> None:
    definition = definition_of(Question("q", QuestionKind.DATE, Text("日")))
    values = ["2026-01-03"] * 6 + ["2026-02-03"] * 7 + ["2026-03-03"] * 1
    result = for_public(tally(definition, responses_of(values)), 5).questions["q"]
    assert isinstance(result, DateResult)
    assert public_cells(result, "months") == [("2026-01", None), ("2026-02", 7), ("2026-03", None)]
    assert result.earliest == datetime.date(2026, 1, 3)


def test_public_periods_hide_small_periods_and_one_more() -> None:
    definition = definition_of(Question("q", QuestionKind.RATING, Text("滿意度")))
    responses = (
        [ResponseData({"q": 5}, {}, datetime.date(2026, 1, 9))] * 6
        + [ResponseData({"q": 4}, {}, datetime.date(2026, 3, 9))] * 2
        + [ResponseData({"q": 3}, {}, datetime.date(2026, 4, 9))] * 8
    )
    periods = public_periods(over_time(definition, responses, "q", "month"), 5)
    assert [(item.n, item.mean) for item in periods] == [
        (None, None),
        (0, None),
        (None, None),
        (8, Decimal("3.00")),
    ]


@given(st.lists(st.sampled_from(["a", "b", "c", OTHER, "old"]), max_size=60))
def test_single_counts_add_up_to_answered(values: list[str]) -> None:
    definition = definition_of(choice(QuestionKind.SINGLE, "a", "b", "c", allow_other=True))
    result = tally(definition, responses_of(list(values))).questions["q"]
    assert isinstance(result, ChoiceResult)
    assert result.answered == len(values)
    assert sum(cell.count or 0 for cell in (*result.options, result.unknown)) == result.answered


@given(st.lists(st.sets(st.sampled_from(["a", "b", "c"]), min_size=1), max_size=40))
def test_multiple_counts_are_each_at_most_answered(values: list[set[str]]) -> None:
    definition = definition_of(choice(QuestionKind.MULTIPLE, "a", "b", "c"))
    result = tally(definition, responses_of([sorted(value) for value in values])).questions["q"]
    assert isinstance(result, ChoiceResult)
    assert result.answered == len(values)
    assert sum(cell.count or 0 for cell in result.options) == sum(len(value) for value in values)
    assert all(0 <= (cell.percent or 0) <= 100 for cell in result.options)


@given(
    st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=80),
    st.integers(min_value=1, max_value=10),
)
def test_no_published_single_question_leaves_exactly_one_cell_hidden(
    values: list[str], threshold: int
) -> None:
    definition = definition_of(choice(QuestionKind.SINGLE, "a", "b", "c", "d"))
    result = for_public(tally(definition, responses_of(list(values))), threshold).questions["q"]
    assert isinstance(result, ChoiceResult)
    cells = (*result.options, result.unknown)
    hidden = [cell for cell in cells if cell.count is None]
    assert all(cell.count is None or cell.count == 0 or cell.count >= threshold for cell in cells)
    if result.answered is not None:
        assert len(hidden) != 1
