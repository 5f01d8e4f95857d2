"""The builder's editing steps: keys, options as lines, moves at the ends, nothing else touched."""

from __future__ import annotations

from feedback.surveys.builder import (
    add_question,
    add_section,
    empty_definition,
    move_question,
    move_section,
    next_key,
    options_text,
    parse_options,
    remove_question,
    remove_section,
    update_question,
    update_section,
)
from feedback.surveys.checks import check_definition
from feedback.surveys.definition import Definition, Question, QuestionKind, Section, Text


def question(label: str, kind: QuestionKind = QuestionKind.SHORT_TEXT, **changes: object) -> Question:
    return Question(key="", kind=kind, label=Text(label), **changes)  # type: ignore[arg-type]


def test_next_key_takes_the_first_free_number() -> None:
    assert next_key("q", set()) == "q1"
    assert next_key("q", {"q1", "q2", "q4"}) == "q3"


def test_options_keep_their_keys_on_their_lines_and_new_lines_get_new_keys() -> None:
    first = parse_options("是 | Yes\n否 | No\n")
    assert [(o.key, o.label.zh, o.label.en) for o in first] == [("o1", "是", "Yes"), ("o2", "否", "No")]
    edited = parse_options("是的 | Yes\n\n否 | No\r\n不確定", first)
    assert [(o.key, o.label.zh, o.label.en) for o in edited] == [
        ("o1", "是的", "Yes"),
        ("o2", "否", "No"),
        ("o3", "不確定", ""),
    ]
    assert parse_options(options_text(edited), edited) == edited


def test_a_questionnaire_built_step_by_step_is_sound_and_round_trips() -> None:
    definition = empty_definition(Text("基本資料", "About you"))
    section = definition.sections[0].key
    definition, used = add_question(
        definition,
        section,
        question("您是否使用過線上申辦？", QuestionKind.SINGLE, options=parse_options("是\n否")),
    )
    definition, why = add_question(definition, section, question("為什麼？", QuestionKind.LONG_TEXT))
    assert (used, why) == ("q1", "q2")
    assert check_definition(definition) == []
    assert Definition.from_json(definition.to_json()) == definition


def test_a_taken_or_empty_key_is_replaced_and_other_questions_are_untouched() -> None:
    definition = empty_definition(Text("一"))
    section = definition.sections[0].key
    definition, first = add_question(definition, section, question("甲"))
    definition, second = add_question(
        definition, section, Question(key=first, kind=QuestionKind.RATING, label=Text("乙"))
    )
    assert second != first
    changed = update_question(
        definition, second, Question(key="ignored", kind=QuestionKind.RATING, label=Text("乙二"))
    )
    assert [q.key for q in changed.questions()] == [first, second]
    assert changed.question(first) == definition.question(first)
    assert changed.question(second).label.zh == "乙二"  # type: ignore[union-attr]


def test_moves_swap_neighbours_and_do_nothing_at_the_ends() -> None:
    definition = empty_definition(Text("一"))
    section = definition.sections[0].key
    for label in ("甲", "乙", "丙"):
        definition, _ = add_question(definition, section, question(label))
    labels = lambda d: [q.label.zh for q in d.questions()]  # noqa: E731
    assert labels(move_question(definition, "q2", -1)) == ["乙", "甲", "丙"]
    assert labels(move_question(definition, "q1", -1)) == ["甲", "乙", "丙"]
    assert labels(move_question(definition, "q3", +1)) == ["甲", "乙", "丙"]
    assert labels(move_question(definition, "nope", +1)) == ["甲", "乙", "丙"]
    definition, second = add_section(definition, Text("二"))
    assert [s.key for s in move_section(definition, second, -1).sections] == [second, section]
    assert [s.key for s in move_section(definition, section, -1).sections] == [section, second]


def test_removing_and_updating_sections() -> None:
    definition = empty_definition(Text("一"))
    definition, second = add_section(definition, Text("二"))
    definition, key = add_question(definition, second, question("甲"))
    renamed = update_section(definition, second, Section(key="x", title=Text("二之一"), questions=()))
    assert renamed.sections[1].key == second
    assert renamed.sections[1].title.zh == "二之一"
    assert [q.key for q in renamed.sections[1].questions] == [key]  # questions kept
    assert [s.key for s in remove_section(definition, second).sections] == [definition.sections[0].key]
    assert remove_question(definition, key).questions() == []
