"""The follow-up counts, by hand: in time, late, overdue, open, and those without a due date."""

from __future__ import annotations

from datetime import date

from feedback.surveys.follow_ups import FollowUpFacts, FollowUpFigures, follow_up_figures

DUE = date(2026, 3, 10)


def fact(done: date | None, due: date | None = DUE) -> FollowUpFacts:
    return FollowUpFacts(office_id=1, opened_on=date(2026, 3, 3), due_on=due, done_on=done)


def test_each_follow_up_lands_in_exactly_one_count() -> None:
    facts = [
        fact(date(2026, 3, 10)),  # done on the due day: in time
        fact(date(2026, 3, 4)),  # in time
        fact(date(2026, 3, 11)),  # a day late
        fact(None),  # open, and today is past the due date
        fact(None, due=date(2026, 3, 20)),  # open, still within its time
        fact(None, due=None),  # no due date: the calendar lacked the days
        fact(date(2026, 3, 5), due=None),
    ]
    figures = follow_up_figures(facts, today=date(2026, 3, 12))
    assert figures == FollowUpFigures(
        opened=7, done_in_time=2, done_late=1, open_overdue=1, open_in_time=1, without_due_date=2
    )
    parts = (
        figures.done_in_time + figures.done_late + figures.open_overdue + figures.open_in_time
    ) + figures.without_due_date
    assert parts == figures.opened


def test_an_open_follow_up_is_overdue_only_from_the_day_after_its_due_date() -> None:
    assert follow_up_figures([fact(None)], today=DUE).open_in_time == 1
    assert follow_up_figures([fact(None)], today=date(2026, 3, 11)).open_overdue == 1


def test_no_follow_up_counts_nothing() -> None:
    assert follow_up_figures([], today=DUE) == FollowUpFigures(0, 0, 0, 0, 0, 0)
