"""Between the builder's question form and a `Question`: reading it back, filling it in.

Condition answers may be typed as option keys or as the options' Chinese or English
words ("是", "Yes", "o1"); they are stored as keys. The condition's question is chosen
from the questions before this one.
"""

from __future__ import annotations

from typing import Any

from feedback.surveys.builder import options_text, parse_options
from feedback.surveys.definition import (
    CHOICE_KINDS,
    Condition,
    Definition,
    Operator,
    Question,
    QuestionKind,
    Text,
)
from feedback.surveys.staff.questionnaire_forms import QuestionForm
from portal.forms import select_choices
from portal.i18n import _


def _text(form: Any, name: str) -> str:
    return (getattr(form, name).data or "").strip()


def earlier_questions(definition: Definition, key: str | None) -> list[Question]:
    """The questions a condition of question `key` may test: those before it (all, for a new question)."""
    questions = definition.questions()
    if key is None:
        return questions
    index = next((i for i, question in enumerate(questions) if question.key == key), len(questions))
    return questions[:index]


def condition_choices(form: QuestionForm, definition: Definition, key: str | None) -> None:
    """Offer the earlier questions as the condition's question ("" for none)."""
    pairs = [("", _("（一律顯示）"))] + [
        (q.key, f"{q.key} {q.label.zh}") for q in earlier_questions(definition, key)
    ]
    form.condition_question.choices = select_choices(pairs)


def _value_key(tested: Question | None, typed: str) -> str:
    if tested is None or tested.kind not in CHOICE_KINDS:
        return typed
    for option in tested.options:
        if typed in {option.key, option.label.zh, option.label.en}:
            return option.key
    return typed  # checks.py reports a value that is no option


def _condition(form: QuestionForm, definition: Definition) -> Condition | None:
    tested_key = _text(form, "condition_question")
    if not tested_key:
        return None
    operator = Operator(form.condition_operator.data or "equals")
    tested = definition.question(tested_key)
    typed = [
        part.strip() for part in _text(form, "condition_values").replace("，", ",").split(",") if part.strip()
    ]
    values = () if operator is Operator.ANSWERED else tuple(_value_key(tested, value) for value in typed)
    return Condition(question=tested_key, operator=operator, values=values)


def question_from_form(form: QuestionForm, definition: Definition, existing: Question | None) -> Question:
    """The question the form describes (options keep the keys of `existing`'s lines)."""
    kind = QuestionKind(form.kind.data)
    choice = kind in CHOICE_KINDS
    return Question(
        key=existing.key if existing else "",
        kind=kind,
        label=Text(_text(form, "label_zh"), _text(form, "label_en")),
        help=Text(_text(form, "help_zh"), _text(form, "help_en")),
        required=bool(form.required.data),
        options=parse_options(_text(form, "options"), existing.options if existing else ()) if choice else (),
        allow_other=bool(form.allow_other.data) and choice,
        minimum=_text(form, "minimum") or None,
        maximum=_text(form, "maximum") or None,
        condition=_condition(form, definition),
    )


def fill_form(form: QuestionForm, question: Question) -> None:
    """Show `question` in the form."""
    form.kind.data = str(question.kind)
    form.label_zh.data, form.label_en.data = question.label.zh, question.label.en
    form.help_zh.data, form.help_en.data = question.help.zh, question.help.en
    form.required.data = question.required
    form.options.data = options_text(question.options)
    form.allow_other.data = question.allow_other
    form.minimum.data, form.maximum.data = question.minimum or "", question.maximum or ""
    if question.condition is not None:
        form.condition_question.data = question.condition.question
        form.condition_operator.data = str(question.condition.operator)
        form.condition_values.data = ", ".join(question.condition.values)
