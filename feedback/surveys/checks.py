"""Is a questionnaire definition sound? Every problem, located precisely (pure).

Staff build definitions in forms, so each `Problem` names the section, question and
option it concerns (by key and by position, since a duplicated or empty key is itself
a problem) and the `field` of that thing, so the builder view can show a message next
to the right input. The view turns `Problem.code` (and `params`) into words; this
module writes none.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from feedback.surveys.definition import (
    CHOICE_KINDS,
    LIKERT_POINTS,
    OTHER,
    RATING_POINTS,
    Condition,
    Definition,
    Operator,
    Question,
    QuestionKind,
    Section,
    Text,
)

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
KEY_MAX = 40
LABEL_MAX = 300
HELP_MAX = 1000
QUESTIONS_MAX = 200
OPTIONS_MAX = 50
MIN_OPTIONS = 2
DECIMAL_PATTERN = re.compile(r"-?[0-9]+(\.[0-9]+)?")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class ProblemCode(StrEnum):
    """What is wrong; `Problem.field` says with which input."""

    KEY_EMPTY = "key_empty"  # the key is empty
    KEY_TOO_LONG = "key_too_long"  # the key is longer than params["max"] characters
    KEY_RESERVED = "key_reserved"  # the key is the reserved "other" key (`OTHER`)
    KEY_INVALID = "key_invalid"  # the key is not a lower-case letter then letters, digits or "_"
    DUPLICATE_SECTION_KEY = "duplicate_section_key"  # another section has this key
    DUPLICATE_QUESTION_KEY = "duplicate_question_key"  # another question (in any section) has this key
    DUPLICATE_OPTION_KEY = "duplicate_option_key"  # another option of the same question has this key
    TITLE_MISSING = "title_missing"  # the section has no Chinese title
    LABEL_MISSING = "label_missing"  # the question (or option, when `option` is set) has no Chinese label
    TEXT_TOO_LONG = "text_too_long"  # a text is longer than params["max"]; params["language"] says which
    NO_QUESTIONS = "no_questions"  # the questionnaire asks nothing at all
    TOO_MANY_QUESTIONS = "too_many_questions"  # more than params["max"] questions in all
    EMPTY_SECTION = "empty_section"  # the section has no question
    TOO_FEW_OPTIONS = "too_few_options"  # a SINGLE or MULTIPLE question has fewer than params["min"] options
    TOO_MANY_OPTIONS = "too_many_options"  # the question has more than params["max"] options
    OPTIONS_NOT_ALLOWED = "options_not_allowed"  # options on a kind that has none (params["kind"])
    OTHER_NOT_ALLOWED = "other_not_allowed"  # "other" allowed on a kind that is not a choice
    BOUNDS_NOT_ALLOWED = "bounds_not_allowed"  # a minimum or maximum on a kind other than NUMBER or DATE
    BOUND_NOT_A_NUMBER = "bound_not_a_number"  # a NUMBER bound is not a decimal like "-12.5"
    BOUND_NOT_A_DATE = "bound_not_a_date"  # a DATE bound is not a real date "YYYY-MM-DD"
    BOUNDS_REVERSED = "bounds_reversed"  # the minimum is greater than the maximum
    CONDITION_UNKNOWN_QUESTION = "condition_unknown_question"  # the condition names no question
    CONDITION_ON_ITSELF = "condition_on_itself"  # a question's condition tests the question itself
    CONDITION_NOT_EARLIER = (
        "condition_not_earlier"  # the condition tests a question asked later (for a section: not before it)
    )
    CONDITION_VALUES_NOT_ALLOWED = "condition_values_not_allowed"  # "answered" takes no values
    CONDITION_ONE_VALUE = "condition_one_value"  # "equals" takes exactly one value
    CONDITION_NO_VALUES = "condition_no_values"  # "one of" takes at least one value
    CONDITION_VALUE_UNKNOWN = (
        "condition_value_unknown"  # params["value"] is not an option (or point) of the tested question
    )
    CONDITION_OPERATOR_NOT_ALLOWED = (
        "condition_operator_not_allowed"  # only "answered" can test this kind (params["kind"])
    )


@dataclass(frozen=True)
class Problem:
    """One problem of a definition.

    `section`, `question` and `option` are the keys of what it concerns (None when the
    problem is not about such a thing); `at` is the same place by position: (section
    index, question index within the section, option index), as deep as it goes.
    `field` is the input at fault ("key", "title", "label", "help", "description",
    "options", "allow_other", "minimum", "maximum", "condition"), or None for the whole.
    """

    code: ProblemCode
    section: str | None = None
    question: str | None = None
    option: str | None = None
    field: str | None = None
    at: tuple[int, ...] = ()
    params: Mapping[str, str | int] = dataclasses.field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class _Place:
    """Where a problem is: the keys and positions of a section, question or option."""

    section: str | None = None
    question: str | None = None
    option: str | None = None
    at: tuple[int, ...] = ()

    def problem(self, code: ProblemCode, name: str | None, **params: str | int) -> Problem:
        return Problem(code, self.section, self.question, self.option, name, self.at, params)


def check_definition(definition: Definition) -> list[Problem]:
    """Every problem of the definition, in the order of the builder's form; empty when sound."""
    problems: list[Problem] = []
    questions = definition.questions()
    if not questions:
        problems.append(Problem(ProblemCode.NO_QUESTIONS))
    elif len(questions) > QUESTIONS_MAX:
        problems.append(Problem(ProblemCode.TOO_MANY_QUESTIONS, params={"max": QUESTIONS_MAX}))
    # Position of every question key (first occurrence), to tell earlier from later.
    positions: dict[str, int] = {}
    for index, question in enumerate(questions):
        positions.setdefault(question.key, index)
    seen_sections: set[str] = set()
    seen_questions: set[str] = set()
    asked_before = 0  # how many questions come before the current section
    for s_index, section in enumerate(definition.sections):
        problems.extend(_section_problems(section, s_index, seen_sections))
        if section.condition is not None:
            where = _Place(section.key, at=(s_index,))
            problems.extend(
                _condition_problems(section.condition, definition, positions, asked_before, None, where)
            )
        for q_index, question in enumerate(section.questions):
            at = (s_index, q_index)
            problems.extend(_question_problems(question, section.key, at, seen_questions))
            if question.condition is not None:
                where = _Place(section.key, question.key, at=at)
                problems.extend(
                    _condition_problems(
                        question.condition, definition, positions, asked_before + q_index, question.key, where
                    )
                )
        asked_before += len(section.questions)
    return problems


def _key_problems(key: str, place: _Place) -> Iterator[Problem]:
    for code in _key_codes(key):
        params: dict[str, str | int] = {"max": KEY_MAX} if code is ProblemCode.KEY_TOO_LONG else {}
        yield place.problem(code, "key", **params)


def _key_codes(key: str) -> Iterator[ProblemCode]:
    if not key:
        yield ProblemCode.KEY_EMPTY
    elif key == OTHER:
        yield ProblemCode.KEY_RESERVED
    elif len(key) > KEY_MAX:
        yield ProblemCode.KEY_TOO_LONG
    elif not KEY_PATTERN.fullmatch(key):
        yield ProblemCode.KEY_INVALID


def _text_problems(text: Text, limit: int) -> Iterator[dict[str, str | int]]:
    for language, value in (("zh", text.zh), ("en", text.en)):
        if len(value) > limit:
            yield {"max": limit, "language": language}


def _section_problems(section: Section, s_index: int, seen: set[str]) -> Iterator[Problem]:
    place = _Place(section.key, at=(s_index,))
    problem = place.problem
    yield from _key_problems(section.key, place)
    if section.key and section.key in seen:
        yield problem(ProblemCode.DUPLICATE_SECTION_KEY, "key")
    seen.add(section.key)
    if not section.title.zh.strip():
        yield problem(ProblemCode.TITLE_MISSING, "title")
    for params in _text_problems(section.title, LABEL_MAX):
        yield problem(ProblemCode.TEXT_TOO_LONG, "title", **params)
    for params in _text_problems(section.description, HELP_MAX):
        yield problem(ProblemCode.TEXT_TOO_LONG, "description", **params)
    if not section.questions:
        yield problem(ProblemCode.EMPTY_SECTION, None)


def _question_problems(
    question: Question, section: str, at: tuple[int, int], seen: set[str]
) -> Iterator[Problem]:
    place = _Place(section, question.key, at=at)
    problem = place.problem
    yield from _key_problems(question.key, place)
    if question.key and question.key in seen:
        yield problem(ProblemCode.DUPLICATE_QUESTION_KEY, "key")
    seen.add(question.key)
    if not question.label.zh.strip():
        yield problem(ProblemCode.LABEL_MISSING, "label")
    for params in _text_problems(question.label, LABEL_MAX):
        yield problem(ProblemCode.TEXT_TOO_LONG, "label", **params)
    for params in _text_problems(question.help, HELP_MAX):
        yield problem(ProblemCode.TEXT_TOO_LONG, "help", **params)
    yield from _option_problems(question, section, at)
    yield from _bound_problems(question, place)


def _option_problems(question: Question, section: str, at: tuple[int, int]) -> Iterator[Problem]:
    whole = _Place(section, question.key, at=at).problem
    if question.kind in CHOICE_KINDS:
        if len(question.options) < MIN_OPTIONS:
            yield whole(ProblemCode.TOO_FEW_OPTIONS, "options", min=MIN_OPTIONS)
        elif len(question.options) > OPTIONS_MAX:
            yield whole(ProblemCode.TOO_MANY_OPTIONS, "options", max=OPTIONS_MAX)
    else:
        if question.options:
            yield whole(ProblemCode.OPTIONS_NOT_ALLOWED, "options", kind=str(question.kind))
        if question.allow_other:
            yield whole(ProblemCode.OTHER_NOT_ALLOWED, "allow_other", kind=str(question.kind))
    seen: set[str] = set()
    for o_index, option in enumerate(question.options):
        place = _Place(section, question.key, option.key, (*at, o_index))
        problem = place.problem
        yield from _key_problems(option.key, place)
        if option.key and option.key in seen:
            yield problem(ProblemCode.DUPLICATE_OPTION_KEY, "key")
        seen.add(option.key)
        if not option.label.zh.strip():
            yield problem(ProblemCode.LABEL_MISSING, "label")
        for params in _text_problems(option.label, LABEL_MAX):
            yield problem(ProblemCode.TEXT_TOO_LONG, "label", **params)


def _parse_bound(kind: QuestionKind, value: str) -> Decimal | date | None:
    """The bound as a comparable value, or None when it does not parse."""
    if not isinstance(value, str):  # a hand-written JSON document may hold a bare number
        return None
    if kind is QuestionKind.NUMBER:
        return Decimal(value) if DECIMAL_PATTERN.fullmatch(value) else None
    if not DATE_PATTERN.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _bound_problems(question: Question, place: _Place) -> Iterator[Problem]:
    problem = place.problem
    bounds = {"minimum": question.minimum, "maximum": question.maximum}
    given = {name: value for name, value in bounds.items() if value is not None}
    if not given:
        return
    if question.kind not in (QuestionKind.NUMBER, QuestionKind.DATE):
        for name in given:
            yield problem(ProblemCode.BOUNDS_NOT_ALLOWED, name, kind=str(question.kind))
        return
    bad = (
        ProblemCode.BOUND_NOT_A_NUMBER
        if question.kind is QuestionKind.NUMBER
        else ProblemCode.BOUND_NOT_A_DATE
    )
    parsed: dict[str, Decimal | date] = {}
    for name, value in given.items():
        bound = _parse_bound(question.kind, value)
        if bound is None:
            yield problem(bad, name, value=value)
        else:
            parsed[name] = bound
    # Both bounds parsed for the same kind, so they are both Decimal or both date.
    if len(parsed) == 2 and parsed["minimum"] > parsed["maximum"]:  # type: ignore[operator]
        yield problem(
            ProblemCode.BOUNDS_REVERSED, "maximum", minimum=given["minimum"], maximum=given["maximum"]
        )


def _allowed_values(question: Question) -> set[str] | None:
    """The values a condition on this question may test; None when only ANSWERED may."""
    if question.kind in CHOICE_KINDS:
        keys = {option.key for option in question.options}
        return keys | {OTHER} if question.allow_other else keys
    if question.kind is QuestionKind.LIKERT:
        return {str(point) for point in range(1, LIKERT_POINTS + 1)}
    if question.kind is QuestionKind.RATING:
        return {str(point) for point in range(1, RATING_POINTS + 1)}
    return None


def _condition_problems(
    condition: Condition,
    definition: Definition,
    positions: Mapping[str, int],
    before: int,
    itself: str | None,
    where: _Place,
) -> Iterator[Problem]:
    """Problems of a condition placed at position `before` (the tested question must come earlier)."""

    def problem(code: ProblemCode, **params: str | int) -> Problem:
        return where.problem(code, "condition", **params)

    target = definition.question(condition.question)
    if target is None:
        yield problem(ProblemCode.CONDITION_UNKNOWN_QUESTION, question=condition.question)
        return
    if itself is not None and condition.question == itself:
        yield problem(ProblemCode.CONDITION_ON_ITSELF)
        return
    if positions[condition.question] >= before:
        yield problem(ProblemCode.CONDITION_NOT_EARLIER, question=condition.question)
        return
    values = condition.values
    if condition.operator is Operator.ANSWERED:
        if values:
            yield problem(ProblemCode.CONDITION_VALUES_NOT_ALLOWED)
        return
    allowed = _allowed_values(target)
    if allowed is None:
        yield problem(ProblemCode.CONDITION_OPERATOR_NOT_ALLOWED, kind=str(target.kind))
        return
    if condition.operator is Operator.EQUALS and len(values) != 1:
        yield problem(ProblemCode.CONDITION_ONE_VALUE)
    if condition.operator is Operator.ONE_OF and not values:
        yield problem(ProblemCode.CONDITION_NO_VALUES)
    for value in values:
        if value not in allowed:
            yield problem(ProblemCode.CONDITION_VALUE_UNKNOWN, value=value)
