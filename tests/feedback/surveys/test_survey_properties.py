"""Properties of conditions, pages and stored answers over generated sound questionnaires."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.surveys.answers import field_name, final_answers, missing_required, other_field_name, read_page
from feedback.surveys.checks import check_definition
from feedback.surveys.conditions import paginate, shown_on_page, visible_keys
from feedback.surveys.definition import (
    OTHER,
    Condition,
    Definition,
    Operator,
    Question,
    QuestionKind,
)
from tests.feedback.surveys.builders import options, question, section

Kind = QuestionKind
KINDS = [Kind.SINGLE, Kind.MULTIPLE, Kind.RATING, Kind.SHORT_TEXT]
CHOICES = ["a", "b", "c"]


def _values_of(target: Question) -> list[str]:
    if target.kind is Kind.RATING:
        return ["1", "2", "3", "4", "5"]
    return [*CHOICES, OTHER] if target.allow_other else CHOICES


@st.composite
def conditions_on(draw: st.DrawFn, earlier: list[Question]) -> Condition | None:
    """No condition, or one on a question among `earlier`."""
    if not earlier or draw(st.booleans()):
        return None
    target = draw(st.sampled_from(earlier))
    if target.kind is Kind.SHORT_TEXT or draw(st.integers(0, 3)) == 0:
        return Condition(target.key, Operator.ANSWERED)
    values = _values_of(target)
    if draw(st.booleans()):
        return Condition(target.key, Operator.EQUALS, (draw(st.sampled_from(values)),))
    chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
    return Condition(target.key, Operator.ONE_OF, tuple(chosen))


@st.composite
def definitions(draw: st.DrawFn) -> Definition:
    """A sound questionnaire of 1 to 4 sections of 1 to 4 questions, with random earlier conditions."""
    asked: list[Question] = []
    sections = []
    for s_index in range(draw(st.integers(1, 4))):
        section_condition = draw(conditions_on(list(asked)))
        questions = []
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(KINDS))
            extra: dict[str, Any] = {"required": draw(st.booleans())}
            if kind in (Kind.SINGLE, Kind.MULTIPLE):
                extra |= {"options": options(*CHOICES), "allow_other": draw(st.booleans())}
            made = question(f"q{len(asked)}", kind, condition=draw(conditions_on(list(asked))), **extra)
            questions.append(made)
            asked.append(made)
        sections.append(section(f"s{s_index}", *questions, condition=section_condition))
    return Definition(tuple(sections))


@st.composite
def answers_for(draw: st.DrawFn, definition: Definition) -> dict[str, Any]:
    """Any answers in the stored form, to any questions (hidden ones included)."""
    answers: dict[str, Any] = {}
    for q in definition.questions():
        if draw(st.booleans()):
            continue
        if q.kind is Kind.SINGLE:
            answers[q.key] = draw(st.sampled_from(_values_of(q)))
        elif q.kind is Kind.MULTIPLE:
            ticked = draw(st.sets(st.sampled_from(_values_of(q)), min_size=1))
            answers[q.key] = [key for key in _values_of(q) if key in ticked]
        elif q.kind is Kind.RATING:
            answers[q.key] = draw(st.integers(1, 5))
        else:
            answers[q.key] = draw(st.text("甲乙abc ", min_size=1, max_size=5).filter(str.strip)).strip()
    return answers


def _tested(definition: Definition, q: Question) -> set[str]:
    section = definition.section_of(q.key)
    assert section is not None
    return {c.question for c in (section.condition, q.condition) if c is not None}


@given(definitions())
def test_generated_definitions_are_sound(definition: Definition) -> None:
    assert check_definition(definition) == []


@given(definitions())
def test_paginate_never_puts_a_condition_and_its_question_on_one_page(definition: Definition) -> None:
    pages = paginate(definition)
    page_of = {key: index for index, page in enumerate(pages) for key in page.keys}
    assert [key for page in pages for key in page.keys] == [q.key for q in definition.questions()]
    for q in definition.questions():
        for tested in _tested(definition, q):
            assert page_of[tested] < page_of[q.key]


@given(definitions())
def test_every_page_break_is_needed(definition: Definition) -> None:
    pages = paginate(definition)
    for before, page in itertools.pairwise(pages):
        first = definition.question(page.keys[0])
        assert first is not None
        assert _tested(definition, first) & set(before.keys)


@settings(max_examples=60)
@given(st.data())
def test_a_page_is_decided_by_earlier_pages_alone(data: st.DataObject) -> None:
    definition = data.draw(definitions())
    answers = data.draw(answers_for(definition))
    pages = paginate(definition)
    for index, page in enumerate(pages):
        earlier_keys = {key for earlier in pages[:index] for key in earlier.keys}
        earlier = {key: value for key, value in answers.items() if key in earlier_keys}
        assert shown_on_page(definition, page, earlier) == shown_on_page(definition, page, answers)


@settings(max_examples=80)
@given(st.data())
def test_final_answers_never_keep_an_answer_to_a_hidden_question(data: st.DataObject) -> None:
    definition = data.draw(definitions())
    answers = data.draw(answers_for(definition))
    others = dict.fromkeys(answers, "其他")
    kept, kept_others = final_answers(definition, answers, others)
    visible = visible_keys(definition, answers)
    assert set(kept) <= set(visible)
    assert visible_keys(definition, kept) == visible  # dropping hidden answers changes nothing shown
    assert set(kept_others) <= set(kept)
    assert final_answers(definition, kept, kept_others) == (kept, kept_others)
    assert not set(missing_required(definition, kept)) & set(kept)


def _form_of(answers: dict[str, Any]) -> dict[str, list[str]]:
    form: dict[str, list[str]] = {}
    for key, value in answers.items():
        form[field_name(key)] = [str(item) for item in value] if isinstance(value, list) else [str(value)]
        form[other_field_name(key)] = ["其他"]
    return form


@settings(max_examples=60)
@given(st.data())
def test_reading_a_one_page_form_gives_back_the_visible_answers(data: st.DataObject) -> None:
    definition = data.draw(definitions())
    answers = data.draw(answers_for(definition))
    reading = read_page(definition, definition.questions(), _form_of(answers), {})
    kept, kept_others = final_answers(definition, answers, dict.fromkeys(answers, "其他"))
    assert reading.answers == kept
    assert reading.others == kept_others
    assert set(reading.errors) == set(missing_required(definition, kept))
