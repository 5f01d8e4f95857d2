"""The lifecycle's moves and the clock a timeline gives: pauses, extensions, reopening, in time or late."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback.cases.deadlines import OfficeCalendar, due_date
from feedback.cases.lifecycle import (
    MOVES,
    REOPEN_WORKING_DAYS,
    Entered,
    MoveError,
    check_move,
    clock_of,
    due_of,
    in_time,
    waiting_pauses,
)
from feedback.cases.states import CaseState

START = date(2035, 1, 1)
CALENDAR = OfficeCalendar({START + timedelta(n): (START + timedelta(n)).weekday() >= 5 for n in range(800)})
S = CaseState


def day(n: int) -> date:
    return START + timedelta(n)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.REPLIED),
        (S.RECEIVED, S.CLOSED),
        (S.REPLIED, S.WAITING),
        (S.CLOSED, S.REPLIED),
        (S.WAITING, S.WAITING),
    ],
)
def test_moves_the_lifecycle_does_not_allow_are_refused(current: CaseState, target: CaseState) -> None:
    with pytest.raises(MoveError, match="cannot move"):
        check_move(current, target)


def test_every_state_can_reach_closed_and_only_a_confirmed_case_enters_a_queue() -> None:
    for state in S:
        reachable, frontier = {state}, [state]
        while frontier:
            for target in MOVES[frontier.pop()] - reachable:
                reachable.add(target)
                frontier.append(target)
        assert S.CLOSED in reachable or state is S.CLOSED
    assert MOVES[S.RECEIVED] == {S.ASSIGNED}
    assert all(S.RECEIVED not in targets for targets in MOVES.values())


def test_a_closed_case_reopens_within_the_period_and_not_after() -> None:
    closed = date(2035, 3, 1)  # a Thursday
    check_move(
        S.CLOSED, S.IN_PROGRESS, today=closed + timedelta(days=20), closed_on=closed, calendar=CALENDAR
    )
    late = closed + timedelta(days=60)
    with pytest.raises(MoveError, match=str(REOPEN_WORKING_DAYS)):
        check_move(S.CLOSED, S.IN_PROGRESS, today=late, closed_on=closed, calendar=CALENDAR)
    with pytest.raises(MoveError, match="needs"):
        check_move(S.CLOSED, S.IN_PROGRESS)


def test_waiting_pauses_run_from_the_day_it_began_to_the_day_before_it_moved_on() -> None:
    entries = [Entered(S.ASSIGNED, day(0)), Entered(S.WAITING, day(2)), Entered(S.IN_PROGRESS, day(9))]
    (pause,) = waiting_pauses(entries, today=day(30))
    assert (pause.start, pause.end) == (day(2), day(8))
    still = waiting_pauses([*entries, Entered(S.WAITING, day(12))], today=day(15))
    assert (still[-1].start, still[-1].end) == (day(12), day(15))
    assert waiting_pauses([Entered(S.WAITING, day(3)), Entered(S.IN_PROGRESS, day(3))], today=day(9)) == ()


def test_waiting_moves_the_due_date_only_when_the_type_says_so() -> None:
    entries = [Entered(S.ASSIGNED, day(0)), Entered(S.WAITING, day(1)), Entered(S.IN_PROGRESS, day(8))]
    plain = due_of(clock_of(day(0), 6, entries, [], pauses_clock=False, today=day(20)), CALENDAR)
    paused = due_of(clock_of(day(0), 6, entries, [], pauses_clock=True, today=day(20)), CALENDAR)
    assert plain.due == due_date(day(0), 6, CALENDAR).due
    assert paused.due > plain.due
    assert len(paused.paused) == 5  # the working days of 2035-01-02 .. 01-08


def test_an_extension_adds_its_working_days_and_must_add_some() -> None:
    clock = clock_of(day(0), 6, [], [3, 2], pauses_clock=True, today=day(0))
    assert due_of(clock, CALENDAR).due == due_date(day(0), 11, CALENDAR).due
    with pytest.raises(ValueError, match="at least one"):
        clock_of(day(0), 6, [], [0], pauses_clock=True, today=day(0))


def test_answered_on_the_due_date_is_in_time_the_day_after_is_late() -> None:
    due = due_date(day(0), 6, CALENDAR).due
    assert in_time(due, due)
    assert not in_time(due + timedelta(days=1), due)


transitions = st.lists(
    st.tuples(st.sampled_from(list(S)), st.integers(min_value=0, max_value=6)), max_size=12
)


@given(transitions, st.integers(min_value=0, max_value=30), st.booleans())
def test_any_timeline_gives_a_due_date_no_earlier_than_without_pauses(
    moves: list[tuple[CaseState, int]], working_days: int, pauses_clock: bool
) -> None:
    entries, today = [], day(0)
    for state, gap in moves:
        today += timedelta(days=gap)
        entries.append(Entered(state, today))
    clock = clock_of(day(0), working_days, entries, [], pauses_clock=pauses_clock, today=today)
    due = due_of(clock, CALENDAR)
    unpaused = due_date(day(0), working_days, CALENDAR)
    assert due.due >= unpaused.due
    assert len(due.counted) == working_days
    assert all(not any(pause.covers(counted) for pause in clock.pauses) for counted in due.counted)
    if not pauses_clock:
        assert due == unpaused
