"""Small builders of questionnaire definitions for the survey tests."""

from __future__ import annotations

from feedback.surveys.definition import (
    Condition,
    Definition,
    Operator,
    Option,
    Question,
    QuestionKind,
    Section,
    Text,
)


def options(*keys: str) -> tuple[Option, ...]:
    """Options with these keys and a Chinese label each."""
    return tuple(Option(key, Text(f"選項{key}", f"Option {key}")) for key in keys)


def question(key: str, kind: QuestionKind = QuestionKind.SHORT_TEXT, **extra: object) -> Question:
    """A question with a Chinese label; SINGLE and MULTIPLE get options a, b, c unless given."""
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and "options" not in extra:
        extra["options"] = options("a", "b", "c")
    return Question(key=key, kind=kind, label=Text(f"問題{key}"), **extra)  # type: ignore[arg-type]


def section(key: str, *questions: Question, condition: Condition | None = None) -> Section:
    """A titled section."""
    return Section(key=key, title=Text(f"段落{key}"), questions=questions, condition=condition)


def one_section(*questions: Question) -> Definition:
    """A definition of one section holding these questions."""
    return Definition(sections=(section("main", *questions),))


def equals(key: str, value: str) -> Condition:
    return Condition(key, Operator.EQUALS, (value,))


def one_of(key: str, *values: str) -> Condition:
    return Condition(key, Operator.ONE_OF, values)


def answered(key: str) -> Condition:
    return Condition(key, Operator.ANSWERED)
