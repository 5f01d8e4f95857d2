"""Reading a submitted questionnaire page into stored answers, and the checks before storing (pure).

Form fields are `q-<key>` (the value; MULTIPLE sends one per ticked option) and
`q-<key>-other` (the "other" text). The form is a mapping field name → list of values,
e.g. Flask's `request.form.to_dict(flat=False)`.

Answers come out in the stored representation described in `definition.py`; a blank
field is "not answered" and has no entry. Each question has at most one error, an
`AnswerError` whose code (and params) the view turns into words next to the field.

A page submitted (without JavaScript, pages from `conditions.paginate`):
refuse `unknown_fields`; `shown = shown_on_page(definition, page, earlier)`; read it
with `read_page`; with `visible = set(visible_keys(definition, earlier | reading.answers))`,
refuse `hidden_fields_sent`; keep the answers when there are no errors. Before storing:
`final_answers`, then `missing_required` must be empty.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from feedback.surveys.conditions import is_answered, visible_keys
from feedback.surveys.definition import (
    LIKERT_POINTS,
    LONG_TEXT_MAX,
    OTHER,
    RATING_POINTS,
    SHORT_TEXT_MAX,
    Definition,
    Question,
    QuestionKind,
)

FIELD_PREFIX = "q-"
OTHER_SUFFIX = "-other"
NUMBER_TEXT_MAX = 40  # characters of a typed number; longer is surely not a real answer
OTHER_TEXT_MAX = SHORT_TEXT_MAX

# Taiwanese keyboards (and phone keyboards in full-width mode) type 1２.５ or ２０２６－０１－３１.
_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        "．": ".",
        "－": "-",
        "−": "-",  # the minus sign
        "＋": "+",
        "／": "/",
    }
)
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})")
_POINT = re.compile(r"[0-9]{1,2}")


_Bound = TypeVar("_Bound", Decimal, date)


class AnswerErrorCode(StrEnum):
    """Why an answer was not taken; `AnswerError.params` holds what the message needs."""

    REQUIRED = "required"  # a required question shown was left blank
    NOT_AN_OPTION = "not_an_option"  # a value is none of the question's options (forged); params["value"]
    OTHER_TEXT_MISSING = "other_text_missing"  # "other" was chosen but its text is blank
    OTHER_TEXT_TOO_LONG = "other_text_too_long"  # the "other" text is longer than params["max"]
    NOT_A_NUMBER = "not_a_number"  # the text is not a number like 12.5
    BELOW_MINIMUM = "below_minimum"  # the number is below params["minimum"]
    ABOVE_MAXIMUM = "above_maximum"  # the number is above params["maximum"]
    NOT_A_DATE = "not_a_date"  # the text is not a real date YYYY-MM-DD
    BEFORE_MINIMUM = "before_minimum"  # the date is before params["minimum"]
    AFTER_MAXIMUM = "after_maximum"  # the date is after params["maximum"]
    TOO_LONG = "too_long"  # the text (or typed number) is longer than params["max"] characters
    NOT_A_POINT = "not_a_point"  # a scale answer is not a point 1..params["max"]
    SINGLE_VALUE_EXPECTED = "single_value_expected"  # several values came for a one-value question (forged)
    CONTROL_CHARACTERS = (
        "control_characters"  # the text holds control characters; params["field"] "answer" or "other"
    )


@dataclass(frozen=True)
class AnswerError:
    """Why one question's answer was not taken."""

    code: AnswerErrorCode
    params: Mapping[str, str | int] = dataclasses.field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PageReading:
    """A submitted page read: answers (stored form), "other" texts and errors, by question key."""

    answers: dict[str, Any]
    others: dict[str, str]
    errors: dict[str, AnswerError]


@dataclass(frozen=True)
class _Read:
    answer: Any = None
    other: str | None = None
    error: AnswerError | None = None


def field_name(key: str) -> str:
    """The form field of the question's answer."""
    return f"{FIELD_PREFIX}{key}"


def other_field_name(key: str) -> str:
    """The form field of the question's "other" text."""
    return f"{FIELD_PREFIX}{key}{OTHER_SUFFIX}"


def _values(form: Mapping[str, Sequence[str]], name: str) -> list[str]:
    """The field's values, stripped, blanks left out."""
    raw: Iterable[str] = form.get(name, ())
    if isinstance(raw, str):  # a flat mapping: one value
        raw = [raw]
    return [value.strip() for value in raw if value.strip()]


def _error(code: AnswerErrorCode, **params: str | int) -> _Read:
    return _Read(error=AnswerError(code, params))


def _clean_text(raw: str, limit: int, *, multiline: bool, too_long: AnswerErrorCode, part: str) -> _Read:
    """Text stripped, line breaks as "\\n"; an error for control characters or excess length."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()  # browsers send CRLF from textareas
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(char) == "Cc" and char not in allowed for char in text):
        return _error(AnswerErrorCode.CONTROL_CHARACTERS, field=part)
    if len(text) > limit:
        return _error(too_long, max=limit)
    return _Read(answer=text)


def _read_other(question: Question, form: Mapping[str, Sequence[str]]) -> _Read:
    """The "other" text of a question whose "other" is chosen, as `_Read.other`."""
    texts = _values(form, other_field_name(question.key))
    if not texts:
        return _error(AnswerErrorCode.OTHER_TEXT_MISSING)
    if len(texts) > 1:
        return _error(AnswerErrorCode.SINGLE_VALUE_EXPECTED)
    read = _clean_text(
        texts[0], OTHER_TEXT_MAX, multiline=False, too_long=AnswerErrorCode.OTHER_TEXT_TOO_LONG, part="other"
    )
    return read if read.error else _Read(other=read.answer)


def _option_keys(question: Question) -> list[str]:
    keys = [option.key for option in question.options]
    return [*keys, OTHER] if question.allow_other else keys


def _read_single(question: Question, value: str, form: Mapping[str, Sequence[str]]) -> _Read:
    if value not in _option_keys(question):
        return _error(AnswerErrorCode.NOT_AN_OPTION, value=value)
    if value != OTHER:
        return _Read(answer=value)
    other = _read_other(question, form)
    return other if other.error else _Read(answer=OTHER, other=other.other)


def _read_multiple(question: Question, values: list[str], form: Mapping[str, Sequence[str]]) -> _Read:
    allowed = _option_keys(question)
    forged = next((value for value in values if value not in allowed), None)
    if forged is not None:
        return _error(AnswerErrorCode.NOT_AN_OPTION, value=forged)
    ticked = [key for key in allowed if key in values]  # the definition's order, each once
    if OTHER not in ticked:
        return _Read(answer=ticked)
    other = _read_other(question, form)
    return other if other.error else _Read(answer=ticked, other=other.other)


def _read_point(question: Question, value: str) -> _Read:
    points = LIKERT_POINTS if question.kind is QuestionKind.LIKERT else RATING_POINTS
    text = value.translate(_FULL_WIDTH)
    if not _POINT.fullmatch(text) or not 1 <= int(text) <= points:
        return _error(AnswerErrorCode.NOT_A_POINT, max=points)
    return _Read(answer=int(text))


def normalise_number(text: str) -> str | None:
    """The typed number (half- or full-width digits) as a plain decimal string, or None if it is none."""
    text = text.strip().translate(_FULL_WIDTH)
    if not _NUMBER.fullmatch(text):
        return None
    plain = format(Decimal(text), "f")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return "0" if plain in ("-0", "+0", "") else plain


def _bound(text: str | None, parse: Callable[[str], _Bound]) -> _Bound | None:
    """A definition's bound, parsed; None when absent or (in an unsound definition) unreadable."""
    if text is None:
        return None
    try:
        return parse(text)
    except (ValueError, TypeError, InvalidOperation):
        return None


def _read_number(question: Question, value: str) -> _Read:
    if len(value) > NUMBER_TEXT_MAX:
        return _error(AnswerErrorCode.TOO_LONG, max=NUMBER_TEXT_MAX)
    number = normalise_number(value)
    if number is None:
        return _error(AnswerErrorCode.NOT_A_NUMBER)
    low, high = _bound(question.minimum, Decimal), _bound(question.maximum, Decimal)
    if low is not None and Decimal(number) < low:
        return _error(AnswerErrorCode.BELOW_MINIMUM, minimum=str(question.minimum))
    if high is not None and Decimal(number) > high:
        return _error(AnswerErrorCode.ABOVE_MAXIMUM, maximum=str(question.maximum))
    return _Read(answer=number)


def normalise_date(text: str) -> str | None:
    """The typed date (YYYY-MM-DD or YYYY/MM/DD, half- or full-width) as ISO text, or None."""
    match = _DATE.fullmatch(text.strip().translate(_FULL_WIDTH))
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[3]), int(match[4])).isoformat()
    except ValueError:
        return None


def _read_date(question: Question, value: str) -> _Read:
    iso = normalise_date(value)
    if iso is None:
        return _error(AnswerErrorCode.NOT_A_DATE)
    day = date.fromisoformat(iso)
    low, high = _bound(question.minimum, date.fromisoformat), _bound(question.maximum, date.fromisoformat)
    if low is not None and day < low:
        return _error(AnswerErrorCode.BEFORE_MINIMUM, minimum=str(question.minimum))
    if high is not None and day > high:
        return _error(AnswerErrorCode.AFTER_MAXIMUM, maximum=str(question.maximum))
    return _Read(answer=iso)


def _read_question(question: Question, form: Mapping[str, Sequence[str]]) -> _Read:
    values = _values(form, field_name(question.key))
    if question.kind is QuestionKind.MULTIPLE:
        read = _read_multiple(question, values, form)
    elif len(values) > 1:
        read = _error(AnswerErrorCode.SINGLE_VALUE_EXPECTED)
    elif not values:
        read = _Read()
    elif question.kind is QuestionKind.SINGLE:
        read = _read_single(question, values[0], form)
    elif question.kind in (QuestionKind.LIKERT, QuestionKind.RATING):
        read = _read_point(question, values[0])
    elif question.kind is QuestionKind.NUMBER:
        read = _read_number(question, values[0])
    elif question.kind is QuestionKind.DATE:
        read = _read_date(question, values[0])
    else:
        long = question.kind is QuestionKind.LONG_TEXT
        limit = LONG_TEXT_MAX if long else SHORT_TEXT_MAX
        read = _clean_text(values[0], limit, multiline=long, too_long=AnswerErrorCode.TOO_LONG, part="answer")
    if read.error is None and not is_answered(read.answer) and question.required:
        return _error(AnswerErrorCode.REQUIRED)
    return read


def read_page(
    definition: Definition,
    shown: Sequence[Question],
    form: Mapping[str, Sequence[str]],
    earlier: Mapping[str, Any],
) -> PageReading:
    """Read the answers to the `shown` questions from a submitted form.

    `earlier` are the answers already given on earlier pages. A shown question whose
    condition fails once the answers of this very form are taken into account (a
    one-page form, drawn with every question for browsers with JavaScript) is left out:
    no answer, no error, not required.
    """
    answers: dict[str, Any] = {}
    others: dict[str, str] = {}
    errors: dict[str, AnswerError] = {}
    for question in shown:
        read = _read_question(question, form)
        if read.error is not None:
            errors[question.key] = read.error
        elif is_answered(read.answer):
            answers[question.key] = read.answer
            if read.other is not None:
                others[question.key] = read.other
    page_keys = {question.key for question in shown}
    merged = {key: value for key, value in earlier.items() if key not in page_keys} | answers
    visible = set(visible_keys(definition, merged))
    return PageReading(
        answers={key: value for key, value in answers.items() if key in visible},
        others={key: value for key, value in others.items() if key in visible},
        errors={key: value for key, value in errors.items() if key in visible},
    )


def hidden_fields_sent(
    definition: Definition, form: Mapping[str, Sequence[str]], visible: set[str]
) -> list[str]:
    """Keys of questions not in `visible` for which the form carries a non-blank value (or "other" text).

    The caller refuses such a submission: it answers a question the conditions hide.
    """
    return [
        question.key
        for question in definition.questions()
        if question.key not in visible
        and (_values(form, field_name(question.key)) or _values(form, other_field_name(question.key)))
    ]


def unknown_fields(definition: Definition, form: Mapping[str, Sequence[str]]) -> list[str]:
    """Names of `q-` fields that belong to no question (forged), including an "other" field
    of a question that has no "other"; in the form's order."""
    known = {field_name(question.key) for question in definition.questions()}
    known |= {other_field_name(question.key) for question in definition.questions() if question.allow_other}
    return [name for name in form if name.startswith(FIELD_PREFIX) and name not in known]


def _chose_other(answer: Any) -> bool:
    return answer == OTHER or (isinstance(answer, list | tuple) and OTHER in answer)


def final_answers(
    definition: Definition, answers: Mapping[str, Any], others: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers and "other" texts to store: only those of questions shown for the final
    answers (an earlier answer changed afterwards may hide a question answered before),
    and an "other" text only where "other" is chosen. In the questionnaire's order."""
    kept = {
        key: answers[key]
        for key in visible_keys(definition, answers)
        if key in answers and is_answered(answers[key])
    }
    kept_others = {key: others[key] for key in kept if key in others and _chose_other(kept[key])}
    return kept, kept_others


def missing_required(definition: Definition, answers: Mapping[str, Any]) -> list[str]:
    """Keys of the required questions shown for these answers that have no answer."""
    visible = set(visible_keys(definition, answers))
    return [
        question.key
        for question in definition.questions()
        if question.required and question.key in visible and not is_answered(answers.get(question.key))
    ]
