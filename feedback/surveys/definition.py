"""What a questionnaire asks: sections, questions, options and conditions (pure, no database).

A questionnaire version stores its definition as one JSON document (`Definition.to_json`),
never changed once answers exist: a change that would break collected answers makes a
new version (`feedback/surveys/versions.py`). Answers are stored keyed by the questions'
`key`s, so the definition alone says how to read, count and export them.

Every text people read is a `Text` in both languages; English may be empty, and then the
Chinese shows (with a visible note, as elsewhere on the site).

What an answer is, by kind (the stored JSON value; a question not answered has no entry):

- SINGLE: the chosen option's key (str), or `OTHER` with the typed text in `other`;
- MULTIPLE: a list of option keys (in the definition's order), `OTHER` among them when
  the "other" box is ticked, its text in `other`;
- LIKERT, RATING: an int (LIKERT 1..len(scale), RATING 1..5);
- NUMBER: a number as a decimal string (exact, e.g. "12.5");
- DATE: an ISO date string "YYYY-MM-DD";
- SHORT_TEXT, LONG_TEXT: the text (str).

The "other" texts of a response are kept apart, in a dict question key → text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

OTHER = "_other"  # the option key of the "other" choice, never a staff-made key (they cannot start with "_")
LIKERT_POINTS = 5
RATING_POINTS = 5
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 4000


class QuestionKind(StrEnum):
    """The kinds of question a questionnaire can ask."""

    SINGLE = "single"  # one of the options
    MULTIPLE = "multiple"  # any of the options, optionally "other" with text
    LIKERT = "likert"  # agreement on a five-point scale
    RATING = "rating"  # 1 to 5
    NUMBER = "number"
    DATE = "date"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
SCALE_KINDS = frozenset({QuestionKind.LIKERT, QuestionKind.RATING})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})


class Operator(StrEnum):
    """How a condition tests an earlier answer."""

    EQUALS = "equals"  # the answer is `values[0]` (for MULTIPLE: it is among the ticked options)
    ONE_OF = "one_of"  # the answer is one of `values` (for MULTIPLE: any of them is ticked)
    ANSWERED = "answered"  # the question has an answer at all (`values` empty)


@dataclass(frozen=True)
class Text:
    """A text in Traditional Chinese and, when translated, English."""

    zh: str
    en: str = ""

    def to_json(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}

    @classmethod
    def from_json(cls, data: Any) -> Text:
        if isinstance(data, str):
            return cls(zh=data)
        return cls(zh=str(data.get("zh", "")), en=str(data.get("en", "") or ""))


@dataclass(frozen=True)
class Option:
    """One choice of a SINGLE or MULTIPLE question; `key` is what answers store."""

    key: str
    label: Text


@dataclass(frozen=True)
class Condition:
    """Show a question or section only when an earlier question's answer meets this.

    For LIKERT and RATING questions the values are the points as strings ("1".."5").
    """

    question: str
    operator: Operator
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question. `options` only for SINGLE and MULTIPLE; `allow_other` adds "other" with text.

    `minimum`/`maximum`: for NUMBER the allowed range (decimal strings), for DATE the
    allowed ISO dates; None for no bound.
    """

    key: str
    kind: QuestionKind
    label: Text
    help: Text = field(default_factory=lambda: Text(""))
    required: bool = False
    options: tuple[Option, ...] = ()
    allow_other: bool = False
    minimum: str | None = None
    maximum: str | None = None
    condition: Condition | None = None


@dataclass(frozen=True)
class Section:
    """A titled group of questions, shown only when its condition (if any) holds."""

    key: str
    title: Text
    questions: tuple[Question, ...]
    description: Text = field(default_factory=lambda: Text(""))
    condition: Condition | None = None


@dataclass(frozen=True)
class Definition:
    """A questionnaire's sections in order."""

    sections: tuple[Section, ...]

    def questions(self) -> list[Question]:
        """Every question, in the order asked."""
        return [question for section in self.sections for question in section.questions]

    def question(self, key: str) -> Question | None:
        """The question with this key, if any."""
        return next((q for q in self.questions() if q.key == key), None)

    def section_of(self, key: str) -> Section | None:
        """The section holding the question with this key."""
        return next((s for s in self.sections if any(q.key == key for q in s.questions)), None)

    def to_json(self) -> str:
        """The stored form: one JSON document, keys sorted so that equal definitions are equal text."""
        return json.dumps(_definition_data(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Definition:
        """Read the stored form back (it was checked when saved; `check_definition` says what is wrong)."""
        return _definition_from(json.loads(text))


def _condition_data(condition: Condition | None) -> dict[str, Any] | None:
    if condition is None:
        return None
    return {
        "question": condition.question,
        "operator": str(condition.operator),
        "values": list(condition.values),
    }


def _question_data(question: Question) -> dict[str, Any]:
    return {
        "key": question.key,
        "kind": str(question.kind),
        "label": question.label.to_json(),
        "help": question.help.to_json(),
        "required": question.required,
        "options": [{"key": option.key, "label": option.label.to_json()} for option in question.options],
        "allow_other": question.allow_other,
        "minimum": question.minimum,
        "maximum": question.maximum,
        "condition": _condition_data(question.condition),
    }


def _definition_data(definition: Definition) -> dict[str, Any]:
    return {
        "sections": [
            {
                "key": section.key,
                "title": section.title.to_json(),
                "description": section.description.to_json(),
                "condition": _condition_data(section.condition),
                "questions": [_question_data(question) for question in section.questions],
            }
            for section in definition.sections
        ]
    }


def _condition_from(data: Any) -> Condition | None:
    if not data:
        return None
    return Condition(
        question=str(data["question"]),
        operator=Operator(data["operator"]),
        values=tuple(str(value) for value in data.get("values", [])),
    )


def _question_from(data: dict[str, Any]) -> Question:
    return Question(
        key=str(data["key"]),
        kind=QuestionKind(data["kind"]),
        label=Text.from_json(data["label"]),
        help=Text.from_json(data.get("help") or ""),
        required=bool(data.get("required", False)),
        options=tuple(
            Option(key=str(item["key"]), label=Text.from_json(item["label"]))
            for item in data.get("options", [])
        ),
        allow_other=bool(data.get("allow_other", False)),
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
        condition=_condition_from(data.get("condition")),
    )


def _definition_from(data: dict[str, Any]) -> Definition:
    return Definition(
        sections=tuple(
            Section(
                key=str(item["key"]),
                title=Text.from_json(item["title"]),
                description=Text.from_json(item.get("description") or ""),
                condition=_condition_from(item.get("condition")),
                questions=tuple(_question_from(question) for question in item.get("questions", [])),
            )
            for item in data.get("sections", [])
        )
    )
