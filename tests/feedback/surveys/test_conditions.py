"""What a questionnaire shows for given answers, and its pages for browsers without JavaScript."""

from __future__ import annotations

from feedback.surveys.conditions import (
    Page,
    PagePart,
    holds,
    next_page,
    page_index_of,
    paginate,
    previous_page,
    shown_on_page,
    visible_keys,
)
from feedback.surveys.definition import OTHER, Condition, Definition, Operator, QuestionKind
from tests.feedback.surveys.builders import answered, equals, one_of, one_section, question, section

Kind = QuestionKind


def chain() -> Definition:
    """A hides B (B only when A is "a"), B decides C (C only when B is answered), D always."""
    return one_section(
        question("qa", Kind.SINGLE),
        question("qb", Kind.SINGLE, condition=equals("qa", "a")),
        question("qc", condition=answered("qb")),
        question("qd"),
    )


def test_equals_on_single() -> None:
    definition = chain()
    assert holds(equals("qa", "a"), {"qa": "a"}, definition)
    assert not holds(equals("qa", "a"), {"qa": "b"}, definition)


def test_unanswered_fails_every_operator() -> None:
    definition = chain()
    for condition in (equals("qa", "a"), one_of("qa", "a", "b"), answered("qa")):
        assert not holds(condition, {}, definition)
        assert not holds(condition, {"qa": ""}, definition)


def test_one_of_and_equals_on_multiple_test_ticked_options() -> None:
    definition = one_section(question("m", Kind.MULTIPLE, allow_other=True), question("x"))
    assert holds(equals("m", "b"), {"m": ["a", "b"]}, definition)
    assert not holds(equals("m", "c"), {"m": ["a", "b"]}, definition)
    assert holds(one_of("m", "c", OTHER), {"m": ["a", OTHER]}, definition)
    assert not holds(one_of("m", "c"), {"m": ["a", OTHER]}, definition)
    assert not holds(answered("m"), {"m": []}, definition)


def test_scale_answers_are_tested_as_points() -> None:
    definition = one_section(question("r", Kind.RATING), question("x"))
    assert holds(one_of("r", "1", "2"), {"r": 2}, definition)
    assert not holds(one_of("r", "1", "2"), {"r": 3}, definition)


def test_equals_uses_only_its_one_value() -> None:
    definition = chain()
    assert not holds(Condition("qa", Operator.EQUALS, ("a", "b")), {"qa": "b"}, definition)


def test_a_hidden_question_fails_conditions_even_with_a_value() -> None:
    definition = chain()
    assert not holds(answered("qb"), {"qa": "b", "qb": "a"}, definition)
    assert holds(answered("qb"), {"qa": "a", "qb": "a"}, definition)


def test_chained_conditions() -> None:
    definition = chain()
    assert visible_keys(definition, {}) == ["qa", "qd"]
    assert visible_keys(definition, {"qa": "a"}) == ["qa", "qb", "qd"]
    assert visible_keys(definition, {"qa": "a", "qb": "c"}) == ["qa", "qb", "qc", "qd"]
    # A changed afterwards: B is hidden, so its stale value no longer shows C.
    assert visible_keys(definition, {"qa": "b", "qb": "c"}) == ["qa", "qd"]


def sectioned() -> Definition:
    """Section "more" shows only when `go` is "a"; inside it, `why` needs `rate` 1 or 2."""
    return Definition(
        (
            section("start", question("go", Kind.SINGLE)),
            section(
                "more",
                question("rate", Kind.RATING),
                question("why", Kind.LONG_TEXT, condition=one_of("rate", "1", "2")),
                condition=equals("go", "a"),
            ),
            section("end", question("after", condition=answered("rate"))),
        )
    )


def test_section_conditions_hide_every_question_of_the_section() -> None:
    definition = sectioned()
    assert visible_keys(definition, {"go": "b", "rate": 1, "why": "bad"}) == ["go"]
    assert visible_keys(definition, {"go": "a"}) == ["go", "rate"]
    assert visible_keys(definition, {"go": "a", "rate": 1}) == ["go", "rate", "why", "after"]
    assert visible_keys(definition, {"go": "a", "rate": 4}) == ["go", "rate", "after"]


def test_no_condition_means_one_page() -> None:
    definition = one_section(question("a"), question("b"))
    assert paginate(definition) == [Page((PagePart("main", ("a", "b")),))]


def test_a_condition_on_the_same_page_forces_a_break_right_before() -> None:
    pages = paginate(chain())
    assert [page.keys for page in pages] == [("qa",), ("qb",), ("qc", "qd")]


def test_conditions_on_earlier_pages_need_no_break() -> None:
    definition = one_section(
        question("a", Kind.SINGLE),
        question("b", condition=equals("a", "a")),
        question("c", condition=equals("a", "b")),  # depends on page 1 only
        question("d", condition=answered("b")),
    )
    assert [page.keys for page in paginate(definition)] == [("a",), ("b", "c"), ("d",)]


def test_section_conditions_break_pages_and_sections_repeat_their_title() -> None:
    pages = paginate(sectioned())
    assert pages == [
        Page((PagePart("start", ("go",)),)),
        Page((PagePart("more", ("rate",)),)),
        Page((PagePart("more", ("why",), continued=True), PagePart("end", ("after",)))),
    ]
    assert pages[2].section_of("why") == "more"
    assert pages[2].section_of("go") is None


def test_empty_sections_make_no_page() -> None:
    definition = Definition((section("empty"), section("x", question("a"))))
    assert [page.keys for page in paginate(definition)] == [("a",)]
    assert paginate(Definition(())) == []


def test_page_index_of() -> None:
    pages = paginate(chain())
    assert page_index_of(pages, "qa") == 0
    assert page_index_of(pages, "qd") == 2
    assert page_index_of(pages, "nowhere") is None


def test_shown_on_page_uses_earlier_answers() -> None:
    definition = sectioned()
    pages = paginate(definition)
    assert [q.key for q in shown_on_page(definition, pages[2], {"go": "a", "rate": 5})] == ["after"]
    assert [q.key for q in shown_on_page(definition, pages[2], {"go": "a", "rate": 2})] == ["why", "after"]
    assert shown_on_page(definition, pages[1], {"go": "b"}) == []


def test_next_page_skips_pages_that_show_nothing() -> None:
    definition = sectioned()
    pages = paginate(definition)
    assert next_page(definition, pages, -1, {}) == 0
    assert next_page(definition, pages, 0, {"go": "a"}) == 1
    assert next_page(definition, pages, 0, {"go": "b"}) is None  # everything else hidden: done
    chained = chain()
    chained_pages = paginate(chained)
    assert next_page(chained, chained_pages, 0, {"qa": "b"}) == 2  # B's page skipped
    assert next_page(chained, chained_pages, 2, {"qa": "b"}) is None


def test_previous_page_skips_pages_that_show_nothing() -> None:
    definition = chain()
    pages = paginate(definition)
    assert previous_page(definition, pages, 2, {"qa": "b"}) == 0
    assert previous_page(definition, pages, 2, {"qa": "a"}) == 1
    assert previous_page(definition, pages, 0, {}) is None
