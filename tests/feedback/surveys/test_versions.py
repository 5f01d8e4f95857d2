"""Which changes a published questionnaire may take in place, and which need a new version."""

from __future__ import annotations

from dataclasses import replace

import pytest

from feedback.surveys import versions
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
from feedback.surveys.versions import Change, compare, needs_new_version

COLOUR = Question(
    "colour",
    QuestionKind.SINGLE,
    Text("水的顏色"),
    options=(Option("clear", Text("清澈")), Option("yellow", Text("偏黃")), Option("brown", Text("混濁"))),
)
SMELL = Question(
    "smell",
    QuestionKind.SINGLE,
    Text("有無異味"),
    options=(Option("yes", Text("有")), Option("no", Text("無"))),
)
DETAIL = Question(
    "detail", QuestionKind.LONG_TEXT, Text("請描述"), condition=Condition("smell", Operator.EQUALS, ("yes",))
)
BILL = Question("bill", QuestionKind.NUMBER, Text("每月水費"), minimum="0", maximum="100000")
RATING = Question("rating", QuestionKind.RATING, Text("整體滿意度"), required=True)

OLD = Definition(
    sections=(
        Section("water", Text("水質"), (COLOUR, SMELL, DETAIL)),
        Section("service", Text("服務"), (BILL, RATING), condition=Condition("colour", Operator.ANSWERED)),
    )
)


def with_question(key: str, **changes: object) -> Definition:
    """OLD with one question changed."""
    sections = tuple(
        replace(
            section,
            questions=tuple(
                replace(question, **changes) if question.key == key else question  # type: ignore[arg-type]
                for question in section.questions
            ),
        )
        for section in OLD.sections
    )
    return Definition(sections)


def with_sections(*sections: Section) -> Definition:
    return Definition(sections)


def codes(new: Definition) -> list[tuple[str, str, bool]]:
    return [(change.code, change.key, change.breaking) for change in compare(OLD, new)]


def test_the_same_definition_has_no_changes() -> None:
    assert compare(OLD, OLD) == []
    assert compare(OLD, Definition.from_json(OLD.to_json())) == []
    assert not needs_new_version(OLD, OLD)


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (with_question("colour", label=Text("水的顏色", "Colour of the water")), ("label_changed", "colour")),
        (with_question("bill", help=Text("含污水費")), ("help_changed", "bill")),
        (
            with_question(
                "colour",
                options=(Option("clear", Text("清澈", "Clear")), COLOUR.options[1], COLOUR.options[2]),
            ),
            ("option_label_changed", "colour/clear"),
        ),
        (
            with_sections(replace(OLD.sections[0], title=Text("水質", "Water quality")), OLD.sections[1]),
            ("section_title_changed", "water"),
        ),
        (
            with_sections(OLD.sections[0], replace(OLD.sections[1], description=Text("請就最近一次"))),
            ("section_description_changed", "service"),
        ),
    ],
)
def test_rewording_is_allowed_in_place(new: Definition, expected: tuple[str, str]) -> None:
    assert codes(new) == [(*expected, False)]
    assert not needs_new_version(OLD, new)


FOAM = Option("foamy", Text("有泡沫"))


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (with_question("rating", kind=QuestionKind.LIKERT), [("kind_changed", "rating")]),
        (with_question("rating", required=False), [("required_changed", "rating")]),
        (with_question("colour", allow_other=True), [("allow_other_changed", "colour")]),
        (with_question("bill", maximum="50000"), [("bounds_changed", "bill")]),
        (with_question("bill", minimum=None), [("bounds_changed", "bill")]),
        (with_question("colour", options=COLOUR.options[:2]), [("option_removed", "colour/brown")]),
        (with_question("colour", options=(*COLOUR.options, FOAM)), [("option_added", "colour/foamy")]),
        (
            with_question("colour", options=(COLOUR.options[1], COLOUR.options[0], COLOUR.options[2])),
            [("options_reordered", "colour")],
        ),
        (
            with_question("colour", options=(Option("transparent", Text("清澈")), *COLOUR.options[1:])),
            [("option_key_changed", "colour/clear")],
        ),
        (
            with_question("bill", condition=Condition("colour", Operator.ONE_OF, ("yellow", "brown"))),
            [("condition_added", "bill")],
        ),
        (with_question("detail", condition=None), [("condition_removed", "detail")]),
        (
            with_question("detail", condition=Condition("smell", Operator.EQUALS, ("no",))),
            [("condition_changed", "detail")],
        ),
    ],
)
def test_question_changes_need_a_new_version(new: Definition, expected: list[tuple[str, str]]) -> None:
    assert codes(new) == [(*item, True) for item in expected]
    assert needs_new_version(OLD, new)


def test_questions_removed_added_and_moved() -> None:
    water = OLD.sections[0]
    removed = with_sections(replace(water, questions=(COLOUR, DETAIL)), OLD.sections[1])
    assert codes(removed) == [("question_removed", "smell", True)]
    added = Question("pressure", QuestionKind.RATING, Text("水壓"))
    # Added at the front: the others keep their order, so only the addition is reported.
    assert codes(with_sections(replace(water, questions=(added, *water.questions)), OLD.sections[1])) == [
        ("question_added", "pressure", True)
    ]
    moved = with_sections(replace(water, questions=(SMELL, DETAIL, COLOUR)), OLD.sections[1])
    assert codes(moved) == [("question_moved", "colour", True)]


def test_a_question_put_in_another_section_has_moved() -> None:
    water, service = OLD.sections
    # BILL is still the fourth question asked, but now under the water section (and its condition).
    new = with_sections(
        replace(water, questions=(*water.questions, BILL)), replace(service, questions=(RATING,))
    )
    assert codes(new) == [("question_moved", "bill", True)]


def test_sections_removed_added_moved_and_their_conditions() -> None:
    water, service = OLD.sections
    extra = Section("extra", Text("補充"), ())
    assert codes(with_sections(water)) == [
        ("section_removed", "service", True),
        ("question_removed", "bill", True),
        ("question_removed", "rating", True),
    ]
    assert codes(with_sections(water, service, extra)) == [("section_added", "extra", True)]
    # Of two sections swapped, one is reported moved, and the questions of the other.
    assert codes(with_sections(service, water)) == [
        ("section_moved", "water", True),
        ("question_moved", "bill", True),
        ("question_moved", "rating", True),
    ]
    assert codes(with_sections(water, replace(service, condition=None))) == [
        ("section_condition_removed", "service", True)
    ]
    assert codes(with_sections(replace(water, condition=Condition("x", Operator.ANSWERED)), service)) == [
        ("section_condition_added", "water", True)
    ]
    changed = Condition("colour", Operator.EQUALS, ("clear",))
    assert codes(with_sections(water, replace(service, condition=changed))) == [
        ("section_condition_changed", "service", True)
    ]


def test_rewording_and_a_breaking_change_together_need_a_new_version() -> None:
    new = with_question("colour", label=Text("水色"), required=True)
    assert compare(OLD, new) == [
        Change("label_changed", "colour", False),
        Change("required_changed", "colour", True),
    ]
    assert needs_new_version(OLD, new)


def test_every_change_code_is_covered() -> None:
    constants = {value for name, value in vars(versions).items() if name.isupper() and isinstance(value, str)}
    # The codes the tests above assert, by name.
    asserted = {
        "label_changed",
        "help_changed",
        "option_label_changed",
        "section_title_changed",
        "section_description_changed",
        "question_added",
        "question_removed",
        "question_moved",
        "kind_changed",
        "required_changed",
        "option_added",
        "option_removed",
        "option_key_changed",
        "options_reordered",
        "allow_other_changed",
        "bounds_changed",
        "condition_added",
        "condition_removed",
        "condition_changed",
        "section_added",
        "section_removed",
        "section_moved",
        "section_condition_added",
        "section_condition_removed",
        "section_condition_changed",
    }
    assert constants == asserted
    assert {
        "label_changed",
        "help_changed",
        "option_label_changed",
        "section_title_changed",
        "section_description_changed",
    } == versions.REWORDING
