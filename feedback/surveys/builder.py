"""Editing a questionnaire's definition one step at a time, as the staff builder does (pure).

Each function takes a `Definition` and returns a new one; nothing is checked here: the
builder saves a result only when `checks.check_definition` finds no problem, and a
published version only when `versions.compare` says the edit keeps collected answers.

Options are edited as lines of text, one option a line, "中文 | English"; an option keeps
its key while it stays on its line, and a new line gets the next free key (`o1`, `o2` …),
so answers already given to a draft's options keep their meaning.
"""

from __future__ import annotations

import re
from dataclasses import replace

from feedback.surveys.definition import Definition, Option, Question, Section, Text

_NUMBERED = re.compile(r"^([a-z]+)(\d+)$")


def next_key(prefix: str, taken: set[str]) -> str:
    """The first `prefix` + number not in `taken` (`q1`, `q2` …)."""
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def question_keys(definition: Definition) -> set[str]:
    """Every question key in use."""
    return {question.key for question in definition.questions()}


def section_keys(definition: Definition) -> set[str]:
    """Every section key in use."""
    return {section.key for section in definition.sections}


def parse_options(text: str, existing: tuple[Option, ...] = ()) -> tuple[Option, ...]:
    """Options from lines "中文 | English" (English optional), keeping the keys of the lines already there."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    taken = {option.key for option in existing}
    options: list[Option] = []
    for index, line in enumerate(lines):
        zh, _bar, en = (part.strip() for part in line.partition("|"))
        if index < len(existing):
            key = existing[index].key
        else:
            key = next_key("o", taken)
            taken.add(key)
        options.append(Option(key=key, label=Text(zh=zh, en=en)))
    return tuple(options)


def options_text(options: tuple[Option, ...]) -> str:
    """The lines `parse_options` reads back into the same options."""
    return "\n".join(
        f"{option.label.zh} | {option.label.en}" if option.label.en else option.label.zh for option in options
    )


def _with_sections(definition: Definition, sections: list[Section]) -> Definition:
    return replace(definition, sections=tuple(sections))


def add_section(
    definition: Definition, title: Text, description: Text | None = None
) -> tuple[Definition, str]:
    """A new empty section at the end; returns the definition and the section's key."""
    key = next_key("s", section_keys(definition))
    section = Section(key=key, title=title, questions=(), description=description or Text(""))
    return _with_sections(definition, [*definition.sections, section]), key


def update_section(definition: Definition, key: str, changed: Section) -> Definition:
    """The section `key` replaced by `changed` (its questions and key kept)."""
    return _with_sections(
        definition,
        [
            replace(changed, key=s.key, questions=s.questions) if s.key == key else s
            for s in definition.sections
        ],
    )


def remove_section(definition: Definition, key: str) -> Definition:
    """Without the section `key` and its questions."""
    return _with_sections(definition, [section for section in definition.sections if section.key != key])


def _moved(items: list[object], index: int, delta: int) -> list[object]:
    target = index + delta
    if index < 0 or not 0 <= target < len(items):
        return items
    items[index], items[target] = items[target], items[index]
    return items


def move_section(definition: Definition, key: str, delta: int) -> Definition:
    """The section `key` moved up (-1) or down (+1); unchanged at either end."""
    sections = list(definition.sections)
    index = next((i for i, section in enumerate(sections) if section.key == key), -1)
    return _with_sections(definition, _moved(sections, index, delta))  # type: ignore[arg-type]


def add_question(definition: Definition, section_key: str, question: Question) -> tuple[Definition, str]:
    """`question` added at the end of the section, with a new key when its own is empty or taken."""
    key = question.key
    if not key or key in question_keys(definition):
        key = next_key("q", question_keys(definition))
    added = replace(question, key=key)
    sections = [
        replace(section, questions=(*section.questions, added)) if section.key == section_key else section
        for section in definition.sections
    ]
    return _with_sections(definition, sections), key


def update_question(definition: Definition, key: str, changed: Question) -> Definition:
    """The question `key` replaced by `changed` (its key kept)."""
    sections = [
        replace(
            section,
            questions=tuple(replace(changed, key=key) if q.key == key else q for q in section.questions),
        )
        for section in definition.sections
    ]
    return _with_sections(definition, sections)


def remove_question(definition: Definition, key: str) -> Definition:
    """Without the question `key`."""
    sections = [
        replace(section, questions=tuple(q for q in section.questions if q.key != key))
        for section in definition.sections
    ]
    return _with_sections(definition, sections)


def move_question(definition: Definition, key: str, delta: int) -> Definition:
    """The question `key` moved up (-1) or down (+1) within its section; unchanged at either end."""
    sections = []
    for section in definition.sections:
        questions = list(section.questions)
        index = next((i for i, question in enumerate(questions) if question.key == key), -1)
        if index >= 0:
            section = replace(section, questions=tuple(_moved(questions, index, delta)))  # type: ignore[arg-type]
        sections.append(section)
    return _with_sections(definition, sections)


def empty_definition(title: Text) -> Definition:
    """A new questionnaire's definition: one empty section."""
    return add_section(Definition(sections=()), title)[0]
