"""Checking questionnaire definitions: every problem kind, placed on the right field."""

from __future__ import annotations

from dataclasses import replace

import pytest

from feedback.surveys.checks import Problem, ProblemCode, check_definition
from feedback.surveys.definition import (
    OTHER,
    Condition,
    Definition,
    Operator,
    Option,
    QuestionKind,
    Section,
    Text,
)
from tests.feedback.surveys.builders import answered, equals, one_of, one_section, options, question, section

Kind = QuestionKind


def sound() -> Definition:
    """A sound questionnaire using every kind, section conditions and question conditions."""
    return Definition(
        sections=(
            section(
                "about",
                question("visited", Kind.SINGLE, options=options("yes", "no"), required=True),
                question("channels", Kind.MULTIPLE, allow_other=True, condition=equals("visited", "yes")),
                question("mood", Kind.LIKERT),
                question("stars", Kind.RATING, condition=one_of("mood", "1", "2")),
            ),
            section(
                "details",
                question("count", Kind.NUMBER, minimum="-1.5", maximum="10"),
                question("when", Kind.DATE, minimum="2026-01-01", maximum="2026-12-31"),
                question("name", Kind.SHORT_TEXT, condition=answered("count")),
                question("story", Kind.LONG_TEXT),
                condition=Condition("channels", Operator.ONE_OF, ("a", OTHER)),
            ),
        )
    )


def codes(definition: Definition) -> list[ProblemCode]:
    return [problem.code for problem in check_definition(definition)]


def test_a_sound_definition_has_no_problem() -> None:
    assert check_definition(sound()) == []


def with_question(**changes: object) -> Definition:
    """The one-question definition `q` (SHORT_TEXT) after a first SINGLE `first`, changed."""
    first = question("first", Kind.SINGLE)
    return one_section(first, replace(question("q"), **changes))  # type: ignore[arg-type]


LONG = "字" * 301
CASES: dict[ProblemCode, Definition] = {
    ProblemCode.KEY_EMPTY: with_question(key=""),
    ProblemCode.KEY_TOO_LONG: with_question(key="k" * 41),
    ProblemCode.KEY_RESERVED: one_section(question("s", Kind.SINGLE, options=options("a", OTHER))),
    ProblemCode.KEY_INVALID: with_question(key="Bad-Key"),
    ProblemCode.DUPLICATE_SECTION_KEY: Definition((section("x", question("a")), section("x", question("b")))),
    ProblemCode.DUPLICATE_QUESTION_KEY: Definition(
        (section("x", question("a")), section("y", question("a")))
    ),
    ProblemCode.DUPLICATE_OPTION_KEY: one_section(question("s", Kind.SINGLE, options=options("a", "a"))),
    ProblemCode.TITLE_MISSING: Definition((Section("x", Text("  ", "Title"), (question("a"),)),)),
    ProblemCode.LABEL_MISSING: with_question(label=Text("", "English only")),
    ProblemCode.TEXT_TOO_LONG: with_question(label=Text(LONG)),
    ProblemCode.NO_QUESTIONS: Definition(()),
    ProblemCode.TOO_MANY_QUESTIONS: one_section(*(question(f"q{n}") for n in range(201))),
    ProblemCode.EMPTY_SECTION: Definition((section("x", question("a")), section("empty"))),
    ProblemCode.TOO_FEW_OPTIONS: one_section(question("s", Kind.MULTIPLE, options=options("only"))),
    ProblemCode.TOO_MANY_OPTIONS: one_section(
        question("s", Kind.SINGLE, options=options(*(f"o{n}" for n in range(51))))
    ),
    ProblemCode.OPTIONS_NOT_ALLOWED: with_question(kind=Kind.RATING, options=options("a", "b")),
    ProblemCode.OTHER_NOT_ALLOWED: with_question(allow_other=True),
    ProblemCode.BOUNDS_NOT_ALLOWED: with_question(minimum="1"),
    ProblemCode.BOUND_NOT_A_NUMBER: with_question(kind=Kind.NUMBER, minimum="1e3"),
    ProblemCode.BOUND_NOT_A_DATE: with_question(kind=Kind.DATE, maximum="2026-02-30"),
    ProblemCode.BOUNDS_REVERSED: with_question(kind=Kind.NUMBER, minimum="10", maximum="9.5"),
    ProblemCode.CONDITION_UNKNOWN_QUESTION: with_question(condition=answered("nowhere")),
    ProblemCode.CONDITION_ON_ITSELF: with_question(condition=answered("q")),
    ProblemCode.CONDITION_NOT_EARLIER: one_section(question("a", condition=answered("b")), question("b")),
    ProblemCode.CONDITION_VALUES_NOT_ALLOWED: with_question(
        condition=Condition("first", Operator.ANSWERED, ("a",))
    ),
    ProblemCode.CONDITION_ONE_VALUE: with_question(condition=Condition("first", Operator.EQUALS, ("a", "b"))),
    ProblemCode.CONDITION_NO_VALUES: with_question(condition=Condition("first", Operator.ONE_OF, ())),
    ProblemCode.CONDITION_VALUE_UNKNOWN: with_question(condition=equals("first", "zzz")),
    ProblemCode.CONDITION_OPERATOR_NOT_ALLOWED: one_section(
        question("name"), question("q", condition=equals("name", "Amy"))
    ),
}


def test_every_problem_code_has_a_case() -> None:
    assert set(CASES) == set(ProblemCode)


@pytest.mark.parametrize("code", list(ProblemCode))
def test_each_problem_is_found(code: ProblemCode) -> None:
    assert code in codes(CASES[code])


@pytest.mark.parametrize("key", ["a", "a1_b", "x" * 40])
def test_good_keys_pass(key: str) -> None:
    assert codes(with_question(key=key)) == []


@pytest.mark.parametrize("key", ["_x", "1a", "a b", "é", "a-b", "A"])
def test_keys_outside_the_pattern_are_invalid(key: str) -> None:
    assert codes(with_question(key=key)) == [ProblemCode.KEY_INVALID]


def test_reserved_other_key_is_named_as_such_for_questions_too() -> None:
    assert codes(with_question(key=OTHER)) == [ProblemCode.KEY_RESERVED]


def test_a_problem_names_section_question_option_field_and_position() -> None:
    definition = Definition(
        (
            section("one", question("a")),
            section(
                "two",
                question("b"),
                question("c", Kind.SINGLE, options=(*options("x"), Option("x", Text("")))),
            ),
        )
    )
    problems = check_definition(definition)
    assert Problem(ProblemCode.DUPLICATE_OPTION_KEY, "two", "c", "x", "key", (1, 1, 1)) in problems
    assert Problem(ProblemCode.LABEL_MISSING, "two", "c", "x", "label", (1, 1, 1)) in problems
    assert len(problems) == 2


def test_a_duplicate_question_key_is_reported_on_the_second_only() -> None:
    problems = check_definition(CASES[ProblemCode.DUPLICATE_QUESTION_KEY])
    assert [(p.code, p.section, p.at) for p in problems] == [
        (ProblemCode.DUPLICATE_QUESTION_KEY, "y", (1, 0))
    ]


def test_text_limits_are_per_field_and_language() -> None:
    definition = Definition(
        (
            Section(
                "s",
                Text("標題", "t" * 301),
                (replace(question("q"), help=Text("說" * 1001)),),
                description=Text("好", "d" * 1001),
            ),
        )
    )
    found = {(p.field, p.params["language"], p.params["max"]) for p in check_definition(definition)}
    assert found == {("title", "en", 300), ("description", "en", 1000), ("help", "zh", 1000)}


def test_texts_at_the_limits_pass() -> None:
    assert codes(with_question(label=Text("字" * 300), help=Text("字" * 1000))) == []


def test_option_label_too_long_names_the_option() -> None:
    definition = one_section(
        question("s", Kind.SINGLE, options=(*options("a"), Option("b", Text("字" * 301))))
    )
    [problem] = check_definition(definition)
    assert (problem.code, problem.option, problem.field) == (ProblemCode.TEXT_TOO_LONG, "b", "label")


def test_limits_of_questions_and_options_are_inclusive() -> None:
    assert codes(one_section(*(question(f"q{n}") for n in range(200)))) == []
    many = question("s", Kind.SINGLE, options=options(*(f"o{n}" for n in range(50))))
    assert codes(one_section(many)) == []


def test_one_empty_section_is_both_no_questions_and_an_empty_section() -> None:
    assert codes(Definition((section("x"),))) == [ProblemCode.NO_QUESTIONS, ProblemCode.EMPTY_SECTION]


def test_choice_kinds_need_two_options_and_say_so() -> None:
    [problem] = check_definition(one_section(question("s", Kind.SINGLE, options=())))
    assert (problem.code, problem.field, problem.params) == (
        ProblemCode.TOO_FEW_OPTIONS,
        "options",
        {"min": 2},
    )


@pytest.mark.parametrize("kind", [k for k in QuestionKind if k not in (Kind.SINGLE, Kind.MULTIPLE)])
def test_other_kinds_take_no_options_nor_other(kind: QuestionKind) -> None:
    found = codes(with_question(kind=kind, options=options("a", "b"), allow_other=True))
    assert found == [ProblemCode.OPTIONS_NOT_ALLOWED, ProblemCode.OTHER_NOT_ALLOWED]


@pytest.mark.parametrize(
    ("minimum", "maximum", "expected"),
    [
        ("1", "1", []),
        ("-3.25", "0.5", []),
        ("abc", None, [ProblemCode.BOUND_NOT_A_NUMBER]),
        ("", None, [ProblemCode.BOUND_NOT_A_NUMBER]),
        ("NaN", "Infinity", [ProblemCode.BOUND_NOT_A_NUMBER, ProblemCode.BOUND_NOT_A_NUMBER]),
        ("2", "1.99", [ProblemCode.BOUNDS_REVERSED]),
    ],
)
def test_number_bounds(minimum: str | None, maximum: str | None, expected: list[ProblemCode]) -> None:
    assert codes(with_question(kind=Kind.NUMBER, minimum=minimum, maximum=maximum)) == expected


@pytest.mark.parametrize(
    ("minimum", "maximum", "expected"),
    [
        ("2026-01-01", "2026-01-01", []),
        (None, "2024-02-29", []),
        ("2025-02-29", None, [ProblemCode.BOUND_NOT_A_DATE]),
        ("2026/01/01", None, [ProblemCode.BOUND_NOT_A_DATE]),
        ("20260101", None, [ProblemCode.BOUND_NOT_A_DATE]),
        ("2026-03-01", "2026-02-28", [ProblemCode.BOUNDS_REVERSED]),
    ],
)
def test_date_bounds(minimum: str | None, maximum: str | None, expected: list[ProblemCode]) -> None:
    assert codes(with_question(kind=Kind.DATE, minimum=minimum, maximum=maximum)) == expected


def test_reversed_bounds_are_shown_at_the_maximum_with_both_values() -> None:
    [problem] = check_definition(CASES[ProblemCode.BOUNDS_REVERSED])
    assert (problem.field, problem.params) == ("maximum", {"minimum": "10", "maximum": "9.5"})


def test_a_later_question_in_the_section_condition_is_refused() -> None:
    definition = Definition(
        (section("one", question("a")), section("two", question("b"), condition=answered("b")))
    )
    [problem] = check_definition(definition)
    assert (problem.code, problem.section, problem.question, problem.field) == (
        ProblemCode.CONDITION_NOT_EARLIER,
        "two",
        None,
        "condition",
    )


def test_a_section_condition_on_an_earlier_section_passes() -> None:
    definition = Definition(
        (section("one", question("a")), section("two", question("b"), condition=answered("a")))
    )
    assert codes(definition) == []


def test_a_section_condition_on_a_later_section_is_refused() -> None:
    definition = Definition(
        (section("one", question("a"), condition=answered("b")), section("two", question("b")))
    )
    assert codes(definition) == [ProblemCode.CONDITION_NOT_EARLIER]


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        (Kind.LIKERT, "5", True),
        (Kind.RATING, "1", True),
        (Kind.RATING, "6", False),
        (Kind.LIKERT, "0", False),
        (Kind.RATING, "３", False),
    ],
)
def test_scale_condition_values_are_the_points(kind: QuestionKind, value: str, ok: bool) -> None:
    definition = one_section(question("p", kind), question("q", condition=equals("p", value)))
    assert codes(definition) == ([] if ok else [ProblemCode.CONDITION_VALUE_UNKNOWN])


def test_other_is_a_condition_value_only_when_the_question_allows_other() -> None:
    allowed = one_section(
        question("p", Kind.SINGLE, allow_other=True), question("q", condition=equals("p", OTHER))
    )
    refused = one_section(question("p", Kind.SINGLE), question("q", condition=equals("p", OTHER)))
    assert codes(allowed) == []
    assert codes(refused) == [ProblemCode.CONDITION_VALUE_UNKNOWN]


@pytest.mark.parametrize("kind", [Kind.NUMBER, Kind.DATE, Kind.SHORT_TEXT, Kind.LONG_TEXT])
def test_only_answered_may_test_free_kinds(kind: QuestionKind) -> None:
    assert codes(one_section(question("p", kind), question("q", condition=answered("p")))) == []
    refused = one_section(question("p", kind), question("q", condition=one_of("p", "1")))
    assert codes(refused) == [ProblemCode.CONDITION_OPERATOR_NOT_ALLOWED]


def test_each_unknown_condition_value_is_named() -> None:
    definition = with_question(condition=one_of("first", "a", "nope", "never"))
    assert [p.params["value"] for p in check_definition(definition)] == ["nope", "never"]


def test_only_a_too_long_key_carries_the_limit() -> None:
    [too_long] = check_definition(CASES[ProblemCode.KEY_TOO_LONG])
    [empty] = check_definition(CASES[ProblemCode.KEY_EMPTY])
    assert (too_long.field, too_long.params) == ("key", {"max": 40})
    assert (empty.field, empty.params) == ("key", {})


def test_a_bound_stored_as_a_json_number_is_not_a_decimal_string() -> None:
    head, tail = with_question(kind=Kind.NUMBER).to_json().rsplit('"minimum": null', 1)
    text = f'{head}"minimum": 5{tail}'  # the NUMBER question's bound (the last one)
    assert codes(Definition.from_json(text)) == [ProblemCode.BOUND_NOT_A_NUMBER]
