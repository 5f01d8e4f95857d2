"""A questionnaire's responses as a CSV or ODS file for staff, one row a response (pure).

The columns are the day answered, then one per question in the order asked, each
question with an "other" box followed by a column for its typed text. Headers are the
question's key and label in the chosen language (Chinese when there is no English), so
that they are unique and readable. A MULTIPLE answer is its options' labels joined by a
full-width semicolon, in the definition's order. Values no longer among the options (an
older wording) show as their stored keys rather than vanishing.

Every answer was typed by the public, so every text cell and header goes through
`neutralise_formula`, in both files alike: a cell starting with =, +, - or @ stays text.
The CSV is UTF-8 with a byte-order mark, as spreadsheet programs in Taiwan expect.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, Literal

from datasets.writers.ods import write_ods as write_ods_rows
from datasets.writers.tabular import RowNeutraliser
from feedback.surveys.definition import CHOICE_KINDS, OTHER, Definition, Question, QuestionKind, Text
from feedback.surveys.tally import ResponseData, is_answered

Language = Literal["zh", "en"]
MULTIPLE_SEPARATOR = "；"
DAY_KEY = "_day"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ExportLabels:
    """The texts an export writes of its own (pass translated ones from a view)."""

    day: str
    other: str
    other_text: str


LABELS: dict[str, ExportLabels] = {
    "zh": ExportLabels(day="填答日期", other="其他", other_text="其他說明"),
    "en": ExportLabels(day="Day answered", other="Other", other_text="other, specified"),
}


@dataclass(frozen=True)
class Column:
    """One column: what it holds (a question key, DAY_KEY, or "key" + OTHER), its header and type.

    `type` is a Table Schema field type: "string", "integer", "number" or "date".
    """

    key: str
    header: str
    type: str


def label_in(text: Text, language: Language) -> str:
    """The text in `language`, or the Chinese when it has no English."""
    return text.en if language == "en" and text.en else text.zh


_COLUMN_TYPES = {
    QuestionKind.LIKERT: "integer",
    QuestionKind.RATING: "integer",
    QuestionKind.NUMBER: "number",
    QuestionKind.DATE: "date",
}


def columns(definition: Definition, language: Language, labels: ExportLabels | None = None) -> list[Column]:
    """The export's columns: the day, then each question and, after it, its "other" text if any."""
    labels = labels or LABELS[language]
    result = [Column(key=DAY_KEY, header=labels.day, type="date")]
    for question in definition.questions():
        label = label_in(question.label, language)
        result.append(
            Column(
                key=question.key,
                header=f"{question.key} {label}",
                type=_COLUMN_TYPES.get(question.kind, "string"),
            )
        )
        if question.allow_other:
            suffix = f"（{labels.other_text}）" if language == "zh" else f" ({labels.other_text})"
            result.append(
                Column(key=question.key + OTHER, header=f"{question.key} {label}{suffix}", type="string")
            )
    return result


def _choice_text(question: Question, value: Any, language: Language, labels: ExportLabels) -> str:
    chosen = {str(item) for item in value} if isinstance(value, list | tuple) else {str(value)}
    names = [label_in(option.label, language) for option in question.options if option.key in chosen]
    if OTHER in chosen:
        names.append(labels.other)
    known = {option.key for option in question.options} | {OTHER}
    # Keys of options since removed keep their stored key, in a stable order.
    names += sorted(chosen - known)
    return MULTIPLE_SEPARATOR.join(names)


def _answer_text(question: Question, value: Any, language: Language, labels: ExportLabels) -> str:
    if not is_answered(value):
        return ""
    if question.kind in CHOICE_KINDS:
        return _choice_text(question, value, language, labels)
    return str(value)


def row(
    definition: Definition, response: ResponseData, language: Language, labels: ExportLabels | None = None
) -> list[str]:
    """One response's cells, as `columns` orders them (not yet neutralised: the writers do that)."""
    labels = labels or LABELS[language]
    cells = [response.day.isoformat()]
    for question in definition.questions():
        cells.append(_answer_text(question, response.answers.get(question.key), language, labels))
        if question.allow_other:
            cells.append(response.others.get(question.key, "") or "")
    return cells


def schema(definition: Definition, language: Language, labels: ExportLabels | None = None) -> dict[str, Any]:
    """A Table Schema-like description of the export's columns, as the dataset writers take."""
    return {
        "fields": [
            {"name": column.header, "type": column.type} for column in columns(definition, language, labels)
        ]
    }


def _rows(
    definition: Definition, responses: Iterable[ResponseData], language: Language, labels: ExportLabels | None
) -> Iterator[list[str]]:
    labels = labels or LABELS[language]
    for response in responses:
        yield row(definition, response, language, labels)


def write_csv(
    target: Path | str | IO[str],
    definition: Definition,
    responses: Iterable[ResponseData],
    language: Language,
    labels: ExportLabels | None = None,
) -> int:
    """Write the responses as CSV (UTF-8 with BOM) to a path or a text stream; returns the row count."""
    if isinstance(target, str | Path):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            return write_csv(stream, definition, responses, language, labels)
    fields = schema(definition, language, labels)
    neutralise = RowNeutraliser.for_schema(fields)
    writer = csv.writer(target, lineterminator="\r\n")
    target.write("\ufeff")
    writer.writerow(neutralise([field["name"] for field in fields["fields"]]))
    count = 0
    for cells in _rows(definition, responses, language, labels):
        writer.writerow(neutralise(cells))
        count += 1
    return count


def csv_text(
    definition: Definition,
    responses: Iterable[ResponseData],
    language: Language,
    labels: ExportLabels | None = None,
) -> str:
    """The CSV as one string (for small exports and tests)."""
    stream = io.StringIO()
    write_csv(stream, definition, responses, language, labels)
    return stream.getvalue()


def _typed_cell(text: str, field_type: str) -> str:
    """A cell the ODS writer can type: a number or date that does not read as one is left empty."""
    if not text or field_type == "string":
        return text
    if field_type == "date":
        return text if _ISO_DATE.fullmatch(text) else ""
    try:
        return text if Decimal(text).is_finite() else ""
    except InvalidOperation:
        return ""


def write_ods(
    path: Path | IO[bytes],
    definition: Definition,
    responses: Iterable[ResponseData],
    language: Language,
    labels: ExportLabels | None = None,
    *,
    title: str = "",
) -> int:
    """Write the responses as an ODS spreadsheet, streamed; returns the row count.

    Numbers, points and dates are typed cells; the writer neutralises every text cell.
    """
    fields = schema(definition, language, labels)
    types = [field["type"] for field in fields["fields"]]
    rows = (
        [_typed_cell(text, field_type) for text, field_type in zip(cells, types, strict=True)]
        for cells in _rows(definition, responses, language, labels)
    )
    return write_ods_rows(path, fields, rows, title=title, sheet="responses")  # type: ignore[arg-type]
