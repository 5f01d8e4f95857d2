"""Whether a published questionnaire can change in place, or needs a new version (pure).

Answers are stored by question and option keys, and read with the definition they were
given under. A change that only rewords what people read (labels, help, section titles
and descriptions, in either language) keeps every collected answer meaning the same, so
it may be made in place. Anything else (a question or option added, removed, moved or
re-keyed, a kind, required flag, "other" box, bound or condition changed, sections
added, removed or reordered) would make old and new answers disagree: a new version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from feedback.surveys.definition import Definition, Question, Section

# Change codes: rewording (allowed in place).
LABEL_CHANGED = "label_changed"
HELP_CHANGED = "help_changed"
OPTION_LABEL_CHANGED = "option_label_changed"
SECTION_TITLE_CHANGED = "section_title_changed"
SECTION_DESCRIPTION_CHANGED = "section_description_changed"
# Change codes: breaking (a new version).
QUESTION_ADDED = "question_added"
QUESTION_REMOVED = "question_removed"
QUESTION_MOVED = "question_moved"
KIND_CHANGED = "kind_changed"
REQUIRED_CHANGED = "required_changed"
OPTION_ADDED = "option_added"
OPTION_REMOVED = "option_removed"
OPTION_KEY_CHANGED = "option_key_changed"
OPTIONS_REORDERED = "options_reordered"
ALLOW_OTHER_CHANGED = "allow_other_changed"
BOUNDS_CHANGED = "bounds_changed"
CONDITION_ADDED = "condition_added"
CONDITION_REMOVED = "condition_removed"
CONDITION_CHANGED = "condition_changed"
SECTION_ADDED = "section_added"
SECTION_REMOVED = "section_removed"
SECTION_MOVED = "section_moved"
SECTION_CONDITION_ADDED = "section_condition_added"
SECTION_CONDITION_REMOVED = "section_condition_removed"
SECTION_CONDITION_CHANGED = "section_condition_changed"

REWORDING = frozenset(
    {LABEL_CHANGED, HELP_CHANGED, OPTION_LABEL_CHANGED, SECTION_TITLE_CHANGED, SECTION_DESCRIPTION_CHANGED}
)


@dataclass(frozen=True)
class Change:
    """One difference between two definitions.

    `key` is the question's or section's key; for an option, "question key/option key".
    """

    code: str
    key: str
    breaking: bool


def _change(code: str, key: str) -> Change:
    return Change(code=code, key=key, breaking=code not in REWORDING)


def _out_of_order(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """The keys common to both that are not in a longest common ordering (those that moved)."""
    common = set(old) & set(new)
    first = [key for key in old if key in common]
    second = [key for key in new if key in common]
    # A longest common subsequence, by dynamic programming: definitions are small.
    lengths = [[0] * (len(second) + 1) for _ in range(len(first) + 1)]
    for i in range(len(first) - 1, -1, -1):
        for j in range(len(second) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if first[i] == second[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < len(first) and j < len(second):
        if first[i] == second[j]:
            kept.add(first[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return [key for key in second if key not in kept]


def _section_changes(old: Definition, new: Definition) -> list[Change]:
    old_sections = {section.key: section for section in old.sections}
    new_sections = {section.key: section for section in new.sections}
    changes = [_change(SECTION_REMOVED, key) for key in old_sections if key not in new_sections]
    changes += [_change(SECTION_ADDED, key) for key in new_sections if key not in old_sections]
    changes += [_change(SECTION_MOVED, key) for key in _out_of_order(list(old_sections), list(new_sections))]
    for key, section in new_sections.items():
        before = old_sections.get(key)
        if before is not None:
            changes += _compare_section(before, section)
    return changes


def _compare_section(old: Section, new: Section) -> list[Change]:
    changes = []
    if old.title != new.title:
        changes.append(_change(SECTION_TITLE_CHANGED, new.key))
    if old.description != new.description:
        changes.append(_change(SECTION_DESCRIPTION_CHANGED, new.key))
    if old.condition != new.condition:
        code = (
            SECTION_CONDITION_ADDED
            if old.condition is None
            else SECTION_CONDITION_REMOVED
            if new.condition is None
            else SECTION_CONDITION_CHANGED
        )
        changes.append(_change(code, new.key))
    return changes


def _option_changes(old: Question, new: Question) -> list[Change]:
    old_keys = [option.key for option in old.options]
    new_keys = [option.key for option in new.options]
    changes: list[Change] = []
    removed = [key for key in old_keys if key not in new_keys]
    added = [key for key in new_keys if key not in old_keys]
    # An option in the same place with a new key and the same label is taken as re-keyed.
    rekeyed = set()
    if len(old_keys) == len(new_keys):
        for before, after in zip(old.options, new.options, strict=True):
            if before.key in removed and after.key in added and before.label == after.label:
                changes.append(_change(OPTION_KEY_CHANGED, f"{new.key}/{before.key}"))
                rekeyed |= {before.key, after.key}
    changes += [_change(OPTION_REMOVED, f"{new.key}/{key}") for key in removed if key not in rekeyed]
    changes += [_change(OPTION_ADDED, f"{new.key}/{key}") for key in added if key not in rekeyed]
    if _out_of_order(old_keys, new_keys):
        changes.append(_change(OPTIONS_REORDERED, new.key))
    old_labels = {option.key: option.label for option in old.options}
    for option in new.options:
        if option.key in old_labels and old_labels[option.key] != option.label:
            changes.append(_change(OPTION_LABEL_CHANGED, f"{new.key}/{option.key}"))
    return changes


def _compare_question(old: Question, new: Question) -> list[Change]:
    changes = []
    checks = (
        (LABEL_CHANGED, old.label != new.label),
        (HELP_CHANGED, old.help != new.help),
        (KIND_CHANGED, old.kind != new.kind),
        (REQUIRED_CHANGED, old.required != new.required),
        (ALLOW_OTHER_CHANGED, old.allow_other != new.allow_other),
        (BOUNDS_CHANGED, (old.minimum, old.maximum) != (new.minimum, new.maximum)),
    )
    changes += [_change(code, new.key) for code, differs in checks if differs]
    changes += _option_changes(old, new)
    if old.condition != new.condition:
        code = (
            CONDITION_ADDED
            if old.condition is None
            else CONDITION_REMOVED
            if new.condition is None
            else CONDITION_CHANGED
        )
        changes.append(_change(code, new.key))
    return changes


def compare(old: Definition, new: Definition) -> list[Change]:
    """Every difference from `old` to `new`: sections first, then questions in `new`'s order."""
    changes = _section_changes(old, new)
    old_questions = {question.key: question for question in old.questions()}
    new_questions = {question.key: question for question in new.questions()}
    changes += [_change(QUESTION_REMOVED, key) for key in old_questions if key not in new_questions]
    changes += [_change(QUESTION_ADDED, key) for key in new_questions if key not in old_questions]
    moved = set(_out_of_order(list(old_questions), list(new_questions)))
    for key, question in new_questions.items():
        before = old_questions.get(key)
        if before is None:
            continue
        old_section, new_section = old.section_of(key), new.section_of(key)
        # A question put in another section is shown under that section's condition: moved too.
        if key in moved or (old_section and old_section.key) != (new_section and new_section.key):
            changes.append(_change(QUESTION_MOVED, key))
        changes += _compare_question(before, question)
    return changes


def needs_new_version(old: Definition, new: Definition) -> bool:
    """Whether `new` changes `old` in a way collected answers cannot follow."""
    return any(change.breaking for change in compare(old, new))
