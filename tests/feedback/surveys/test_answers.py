"""Reading submitted questionnaire pages: every error kind, full-width input, forged and hidden fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from feedback.surveys.answers import (
    AnswerError,
    AnswerErrorCode,
    PageReading,
    field_name,
    final_answers,
    hidden_fields_sent,
    missing_required,
    normalise_number,
    other_field_name,
    read_page,
    unknown_fields,
)
from feedback.surveys.definition import OTHER, Definition, Question, QuestionKind
from tests.feedback.surveys.builders import answered, equals, one_section, question, section

Kind = QuestionKind
Code = AnswerErrorCode


def read_one(q: Question, form: Mapping[str, Sequence[str]]) -> PageReading:
    """Read a page holding the one question `q`."""
    return read_page(one_section(q), [q], form, {})


def answer_of(q: Question, *values: str, other: str | None = None) -> Any:
    form = {field_name(q.key): list(values)}
    if other is not None:
        form[other_field_name(q.key)] = [other]
    reading = read_one(q, form)
    assert reading.errors == {}
    return reading.answers.get(q.key)


def error_of(q: Question, *values: str, other: str | None = None) -> AnswerError:
    form = {field_name(q.key): list(values)}
    if other is not None:
        form[other_field_name(q.key)] = [other]
    reading = read_one(q, form)
    assert reading.answers == {}
    return reading.errors[q.key]


def test_field_names() -> None:
    assert field_name("age") == "q-age"
    assert other_field_name("age") == "q-age-other"


def test_single_with_other() -> None:
    q = question("s", Kind.SINGLE, allow_other=True)
    assert answer_of(q, "b") == "b"
    reading = read_one(q, {"q-s": [OTHER], "q-s-other": ["  自來水公司網站 "]})
    assert reading == PageReading({"s": OTHER}, {"s": "自來水公司網站"}, {})


def test_other_text_without_other_chosen_is_not_kept() -> None:
    reading = read_one(question("s", Kind.SINGLE, allow_other=True), {"q-s": ["a"], "q-s-other": ["x"]})
    assert reading == PageReading({"s": "a"}, {}, {})


def test_multiple_keeps_definition_order_without_duplicates_and_with_other() -> None:
    q = question("m", Kind.MULTIPLE, allow_other=True)
    reading = read_one(q, {"q-m": [OTHER, "c", "a", "c", ""], "q-m-other": ["朋友"]})
    assert reading == PageReading({"m": ["a", "c", OTHER]}, {"m": "朋友"}, {})


def test_multiple_with_nothing_ticked_is_not_answered() -> None:
    assert read_one(question("m", Kind.MULTIPLE), {"q-m": []}) == PageReading({}, {}, {})
    assert error_of(question("m", Kind.MULTIPLE, required=True)).code is Code.REQUIRED


@pytest.mark.parametrize("kind", [Kind.SINGLE, Kind.MULTIPLE])
def test_forged_options_are_refused(kind: QuestionKind) -> None:
    error = (
        error_of(question("c", kind), "a", "zzz")
        if kind is Kind.MULTIPLE
        else error_of(question("c", kind), "zzz")
    )
    assert error == AnswerError(Code.NOT_AN_OPTION, {"value": "zzz"})


@pytest.mark.parametrize("kind", [Kind.SINGLE, Kind.MULTIPLE])
def test_other_is_forged_when_the_question_has_no_other(kind: QuestionKind) -> None:
    assert error_of(question("c", kind), OTHER, other="x").code is Code.NOT_AN_OPTION


@pytest.mark.parametrize("kind", [Kind.SINGLE, Kind.MULTIPLE])
def test_other_text_missing_and_too_long(kind: QuestionKind) -> None:
    q = question("c", kind, allow_other=True)
    assert error_of(q, OTHER).code is Code.OTHER_TEXT_MISSING
    assert error_of(q, OTHER, other="   ").code is Code.OTHER_TEXT_MISSING
    assert error_of(q, OTHER, other="字" * 201) == AnswerError(Code.OTHER_TEXT_TOO_LONG, {"max": 200})
    assert error_of(q, OTHER, other="a\nb") == AnswerError(Code.CONTROL_CHARACTERS, {"field": "other"})


def test_several_values_for_a_one_value_question() -> None:
    assert error_of(question("s", Kind.SINGLE), "a", "b").code is Code.SINGLE_VALUE_EXPECTED
    assert error_of(question("t"), "one", "two").code is Code.SINGLE_VALUE_EXPECTED
    assert answer_of(question("t"), "one", "  ") == "one"  # blanks do not count


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_required_blank_is_an_error_and_optional_blank_is_no_answer(kind: QuestionKind) -> None:
    assert error_of(question("x", kind, required=True), "  ").code is Code.REQUIRED
    assert read_one(question("x", kind), {"q-x": [" "]}) == PageReading({}, {}, {})
    assert read_one(question("x", kind), {}) == PageReading({}, {}, {})


@pytest.mark.parametrize(
    ("kind", "typed", "stored"), [(Kind.LIKERT, "1", 1), (Kind.RATING, "5", 5), (Kind.RATING, "４", 4)]
)
def test_scale_points(kind: QuestionKind, typed: str, stored: int) -> None:
    assert answer_of(question("p", kind), typed) == stored


@pytest.mark.parametrize("typed", ["0", "6", "2.5", "-1", "a", "05x"])
def test_not_a_point(typed: str) -> None:
    assert error_of(question("p", Kind.RATING), typed) == AnswerError(Code.NOT_A_POINT, {"max": 5})


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12.5", "12.5"),
        ("1２.５", "12.5"),
        ("１２．５０", "12.5"),
        ("－３", "-3"),
        ("+7", "7"),
        ("007", "7"),
        ("100", "100"),
        ("-0.0", "0"),
        (".5", "0.5"),
        ("3.", "3"),
        (" 42 ", "42"),
    ],
)
def test_numbers_are_normalised(typed: str, stored: str) -> None:
    assert answer_of(question("n", Kind.NUMBER), typed) == stored


@pytest.mark.parametrize(
    "typed", ["abc", "1,000", "1e3", "NaN", "Infinity", "1.2.3", "--1", "١٢", "1 2", "."]
)
def test_not_a_number(typed: str) -> None:
    assert error_of(question("n", Kind.NUMBER), typed).code is Code.NOT_A_NUMBER


def test_overlong_number_text_is_too_long() -> None:
    assert error_of(question("n", Kind.NUMBER), "1" * 41) == AnswerError(Code.TOO_LONG, {"max": 40})


def test_number_bounds_are_inclusive() -> None:
    q = question("n", Kind.NUMBER, minimum="-1.5", maximum="10")
    assert answer_of(q, "-1.5") == "-1.5"
    assert answer_of(q, "１０") == "10"
    assert error_of(q, "-1.51") == AnswerError(Code.BELOW_MINIMUM, {"minimum": "-1.5"})
    assert error_of(q, "10.000001") == AnswerError(Code.ABOVE_MAXIMUM, {"maximum": "10"})


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-03-05", "2026-03-05"),
        ("２０２６－０３－０５", "2026-03-05"),
        ("2026/3/5", "2026-03-05"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_dates(typed: str, stored: str) -> None:
    assert answer_of(question("d", Kind.DATE), typed) == stored


@pytest.mark.parametrize(
    "typed", ["2025-02-29", "2026-13-01", "115/03/05", "20260305", "2026-03/05", "yesterday"]
)
def test_not_a_date(typed: str) -> None:
    assert error_of(question("d", Kind.DATE), typed).code is Code.NOT_A_DATE


def test_date_bounds_are_inclusive() -> None:
    q = question("d", Kind.DATE, minimum="2026-01-01", maximum="2026-12-31")
    assert answer_of(q, "2026-01-01") == "2026-01-01"
    assert answer_of(q, "2026-12-31") == "2026-12-31"
    assert error_of(q, "2025-12-31") == AnswerError(Code.BEFORE_MINIMUM, {"minimum": "2026-01-01"})
    assert error_of(q, "2027-01-01") == AnswerError(Code.AFTER_MAXIMUM, {"maximum": "2026-12-31"})


def test_short_text() -> None:
    q = question("t", Kind.SHORT_TEXT)
    assert answer_of(q, "  王小明\u3000") == "王小明"
    assert answer_of(q, "字" * 200) == "字" * 200
    assert error_of(q, "字" * 201) == AnswerError(Code.TOO_LONG, {"max": 200})
    for control in ("a\nb", "a\tb", "a\x00b", "a\x1bb", "a\x85b"):
        assert error_of(q, control) == AnswerError(Code.CONTROL_CHARACTERS, {"field": "answer"})


def test_long_text_keeps_line_breaks_and_tabs() -> None:
    q = question("t", Kind.LONG_TEXT)
    assert answer_of(q, "第一行\r\n第二行\r\t縮排\n") == "第一行\n第二行\n\t縮排"
    assert error_of(q, "a\x07b") == AnswerError(Code.CONTROL_CHARACTERS, {"field": "answer"})
    assert answer_of(q, "字" * 4000) == "字" * 4000
    assert error_of(q, "字" * 4001) == AnswerError(Code.TOO_LONG, {"max": 4000})


def test_every_error_code_is_exercised_here() -> None:
    # Keep this list in step with the tests above when a code is added.
    exercised = {
        Code.REQUIRED, Code.NOT_AN_OPTION, Code.OTHER_TEXT_MISSING, Code.OTHER_TEXT_TOO_LONG,
        Code.NOT_A_NUMBER, Code.BELOW_MINIMUM, Code.ABOVE_MAXIMUM, Code.NOT_A_DATE,
        Code.BEFORE_MINIMUM, Code.AFTER_MAXIMUM, Code.TOO_LONG, Code.NOT_A_POINT,
        Code.SINGLE_VALUE_EXPECTED, Code.CONTROL_CHARACTERS,
    }  # fmt: skip
    assert exercised == set(AnswerErrorCode)


def test_a_flat_form_value_counts_as_one_value() -> None:
    q = question("t")
    assert read_page(one_section(q), [q], {"q-t": "hello"}, {}).answers == {"t": "hello"}  # type: ignore[dict-item]


def test_normalise_number_refuses_blank() -> None:
    assert normalise_number("  ") is None


def chain() -> Definition:
    """A hides B (B only when A is "a"), C shows when B is answered."""
    return one_section(
        question("qa", Kind.SINGLE),
        question("qb", Kind.SINGLE, required=True, condition=equals("qa", "a")),
        question("qc", required=True, condition=answered("qb")),
    )


def test_read_page_on_a_one_page_form_leaves_out_questions_its_own_answers_hide() -> None:
    definition = chain()
    everything = definition.questions()
    reading = read_page(definition, everything, {"q-qa": ["b"], "q-qb": ["zzz"]}, {})
    assert reading == PageReading({"qa": "b"}, {}, {})
    reading = read_page(definition, everything, {"q-qa": ["a"]}, {})
    assert reading.errors == {"qb": AnswerError(Code.REQUIRED)}  # qc stays hidden while qb is unanswered


def test_read_page_uses_earlier_answers_for_conditions() -> None:
    definition = chain()
    qc = definition.question("qc")
    assert qc is not None
    reading = read_page(definition, [qc], {"q-qc": [""]}, {"qa": "a", "qb": "b"})
    assert reading.errors == {"qc": AnswerError(Code.REQUIRED)}
    # Not required once an earlier answer hides it.
    assert read_page(definition, [qc], {"q-qc": ["x"]}, {"qa": "b", "qb": "b"}) == PageReading({}, {}, {})


def test_hidden_fields_sent() -> None:
    definition = one_section(
        question("qa", Kind.SINGLE),
        question("qb", Kind.SINGLE, allow_other=True, condition=equals("qa", "a")),
        question("qc", condition=answered("qb")),
    )
    visible = {"qa"}
    assert hidden_fields_sent(definition, {"q-qa": ["b"], "q-qb": [""], "q-qc": ["  "]}, visible) == []
    assert hidden_fields_sent(definition, {"q-qa": ["b"], "q-qc": ["x"]}, visible) == ["qc"]
    assert hidden_fields_sent(definition, {"q-qb-other": ["x"], "q-qb": ["a"]}, visible) == ["qb"]
    assert hidden_fields_sent(definition, {"q-qc": ["x"]}, {"qa", "qb", "qc"}) == []


def test_unknown_fields() -> None:
    definition = one_section(question("s", Kind.SINGLE, allow_other=True), question("t"))
    form = {
        "q-s": ["a"],
        "q-s-other": [""],
        "q-t": ["x"],
        "q-t-other": ["x"],
        "q-ghost": ["1"],
        "csrf_token": ["t"],
    }
    assert unknown_fields(definition, form) == ["q-t-other", "q-ghost"]


def test_final_answers_drop_answers_hidden_by_a_changed_earlier_answer() -> None:
    definition = Definition(
        (
            section(
                "one",
                question("qa", Kind.SINGLE),
                question("qb", Kind.SINGLE, allow_other=True, condition=equals("qa", "a")),
            ),
            section(
                "two", question("qc", condition=answered("qb")), question("qd"), condition=answered("qa")
            ),
        )
    )
    answers = {"qa": "b", "qb": OTHER, "qc": "x", "qd": "y"}
    assert final_answers(definition, answers, {"qb": "text"}) == ({"qa": "b", "qd": "y"}, {})
    kept = final_answers(definition, {**answers, "qa": "a"}, {"qb": "text", "qa": "stray"})
    assert kept == ({"qa": "a", "qb": OTHER, "qc": "x", "qd": "y"}, {"qb": "text"})
    assert final_answers(definition, {"qd": "y"}, {}) == ({}, {})  # section two hidden without qa


def test_final_answers_drop_other_text_when_other_is_not_chosen() -> None:
    definition = one_section(question("m", Kind.MULTIPLE, allow_other=True))
    assert final_answers(definition, {"m": ["a"]}, {"m": "left over"}) == ({"m": ["a"]}, {})
    assert final_answers(definition, {"m": ["a", OTHER]}, {"m": "kept"}) == (
        {"m": ["a", OTHER]},
        {"m": "kept"},
    )


def test_missing_required_counts_only_visible_questions() -> None:
    definition = chain()
    assert missing_required(definition, {}) == []
    assert missing_required(definition, {"qa": "a"}) == ["qb"]
    assert missing_required(definition, {"qa": "a", "qb": "c"}) == ["qc"]
    assert missing_required(definition, {"qa": "a", "qb": "c", "qc": ""}) == ["qc"]
    assert missing_required(definition, {"qa": "b", "qc": ""}) == []
