"""Which questions a questionnaire shows for given answers, and its pages without JavaScript (pure).

A question is shown when its section's condition and its own condition hold. Conditions
test earlier answers only (`checks.check_definition` refuses anything else), so the shown
questions are decided in order, and a hidden question counts as unanswered for later
conditions whatever value `answers` holds for it.

A browser without JavaScript cannot hide a question the moment an earlier answer
changes, so the questionnaire is split into pages (`paginate`) such that every
condition on a page tests a question of an earlier page: when a page is drawn, what it
shows is already known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from feedback.surveys.definition import Condition, Definition, Operator, Question, QuestionKind


def is_answered(value: Any) -> bool:
    """Whether a stored answer value counts as an answer (blank text or an empty list does not)."""
    return value is not None and value != "" and value != [] and value != ()


def _answer_matches(question: Question | None, answer: Any, wanted: Sequence[str]) -> bool:
    if question is not None and question.kind is QuestionKind.MULTIPLE and isinstance(answer, list | tuple):
        return any(str(item) in wanted for item in answer)
    return str(answer) in wanted


def _holds_on(condition: Condition, shown_answers: Mapping[str, Any], definition: Definition) -> bool:
    """The condition tested on answers that hold only shown questions."""
    answer = shown_answers.get(condition.question)
    if not is_answered(answer):
        return False
    if condition.operator is Operator.ANSWERED:
        return True
    wanted = condition.values[:1] if condition.operator is Operator.EQUALS else condition.values
    return _answer_matches(definition.question(condition.question), answer, wanted)


def _shown_answers(definition: Definition, answers: Mapping[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The keys shown, in order, and the answers of those questions only."""
    keys: list[str] = []
    shown: dict[str, Any] = {}
    for section in definition.sections:
        section_shown = section.condition is None or _holds_on(section.condition, shown, definition)
        for question in section.questions:
            if not section_shown:
                continue
            if question.condition is not None and not _holds_on(question.condition, shown, definition):
                continue
            keys.append(question.key)
            if question.key in answers:
                shown[question.key] = answers[question.key]
    return keys, shown


def holds(condition: Condition, answers: Mapping[str, Any], definition: Definition) -> bool:
    """Whether the condition holds: EQUALS/ONE_OF/ANSWERED all fail when the tested question
    is unanswered or hidden (by its own or its section's condition)."""
    _, shown = _shown_answers(definition, answers)
    return _holds_on(condition, shown, definition)


def visible_keys(definition: Definition, answers: Mapping[str, Any]) -> list[str]:
    """The keys of the questions shown for these answers, in the order asked."""
    keys, _ = _shown_answers(definition, answers)
    return keys


@dataclass(frozen=True)
class PagePart:
    """The questions of one section on a page; `continued` when the section began on an earlier page."""

    section: str
    questions: tuple[str, ...]
    continued: bool = False


@dataclass(frozen=True)
class Page:
    """One page for browsers without JavaScript: the questions it may show, grouped by section.

    Each part's section title is drawn again on every page the section spans.
    """

    parts: tuple[PagePart, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of every question the page may show, in order."""
        return tuple(key for part in self.parts for key in part.questions)

    def section_of(self, key: str) -> str | None:
        """The key of the section the question belongs to, if it is on this page."""
        return next((part.section for part in self.parts if key in part.questions), None)


def _depends_on(*conditions: Condition | None) -> set[str]:
    return {condition.question for condition in conditions if condition is not None}


def paginate(definition: Definition) -> list[Page]:
    """The questionnaire split into as few pages as possible, in order, so that no condition
    on a page (of a question or of its section) tests a question on that same page.

    Greedy: a page ends only right before a question that needs it to. That is the
    fewest pages, since each condition asks for a break somewhere between the question
    it tests and the question (or section) it belongs to, and breaking as late as possible serves every later need.
    """
    pages: list[list[tuple[str, str]]] = []  # each page: (section key, question key) in order
    current: list[tuple[str, str]] = []
    on_page: set[str] = set()
    for section in definition.sections:
        for question in section.questions:
            if _depends_on(section.condition, question.condition) & on_page:
                pages.append(current)
                current, on_page = [], set()
            current.append((section.key, question.key))
            on_page.add(question.key)
    if current:
        pages.append(current)
    return _grouped(pages)


def _grouped(pages: list[list[tuple[str, str]]]) -> list[Page]:
    result: list[Page] = []
    started: set[str] = set()  # sections already begun on an earlier page
    for entries in pages:
        parts: list[PagePart] = []
        for section, key in entries:
            if parts and parts[-1].section == section:
                last = parts[-1]
                parts[-1] = PagePart(section, (*last.questions, key), last.continued)
            else:
                parts.append(PagePart(section, (key,), section in started))
        started.update(part.section for part in parts)
        result.append(Page(tuple(parts)))
    return result


def page_index_of(pages: Sequence[Page], key: str) -> int | None:
    """The index of the page that may show the question, or None when no page holds it."""
    return next((index for index, page in enumerate(pages) if key in page.keys), None)


def shown_on_page(definition: Definition, page: Page, answers: Mapping[str, Any]) -> list[Question]:
    """The page's questions whose conditions hold, in order.

    Only answers of earlier pages decide this (no condition on a page tests the page
    itself), so `answers` may also hold the answers of this and later pages.
    """
    shown = set(visible_keys(definition, answers))
    on_page = set(page.keys)
    return [
        question for question in definition.questions() if question.key in on_page and question.key in shown
    ]


def next_page(
    definition: Definition, pages: Sequence[Page], current: int, answers: Mapping[str, Any]
) -> int | None:
    """The index of the next page after `current` that shows something, or None when none is left.

    `current=-1` gives the first page to draw.
    """
    for index in range(current + 1, len(pages)):
        if shown_on_page(definition, pages[index], answers):
            return index
    return None


def previous_page(
    definition: Definition, pages: Sequence[Page], current: int, answers: Mapping[str, Any]
) -> int | None:
    """The index of the closest page before `current` that shows something (for "back"), or None."""
    for index in range(min(current, len(pages)) - 1, -1, -1):
        if shown_on_page(definition, pages[index], answers):
            return index
    return None
