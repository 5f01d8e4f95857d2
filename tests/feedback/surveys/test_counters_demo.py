"""The demo counters: two per office, a year of answers on working days, one flagged burst, the same every run."""

from __future__ import annotations

from collections import Counter as Tally
from datetime import date, time, timedelta

from sqlalchemy import delete, select

from feedback.cases.handling import OFFICE_ZONE
from feedback.surveys.demo_counters import BURST_SIZE, seed_demo_counters
from feedback.surveys.models import Counter, CounterResponse
from portal.db import db
from portal.offices.models import Office

TODAY = date(2031, 6, 18)


def start_afresh() -> None:
    """No counters at all (the suite's demo may have loaded them); rolled back with the test."""
    db.session.execute(delete(CounterResponse))
    db.session.execute(delete(Counter))
    db.session.flush()


def answers() -> list[CounterResponse]:
    return list(
        db.session.scalars(select(CounterResponse).order_by(CounterResponse.office_id, CounterResponse.at))
    )


def test_each_office_gets_two_counters_and_a_year_of_answers(app_context: None) -> None:
    start_afresh()
    lines = seed_demo_counters(db.session, today=TODAY)
    offices = list(db.session.scalars(select(Office).where(Office.active.is_(True))))
    assert len(lines) == 2 * len(offices)
    for office in offices:
        counters = db.session.scalars(
            select(Counter).where(Counter.office_id == office.id).order_by(Counter.code)
        )
        assert [(counter.code, counter.name_zh, counter.name_en) for counter in counters] == [
            ("1", "一號櫃台", "Counter 1"),
            ("2", "二號櫃台", "Counter 2"),
        ]
    stored = answers()
    days = {answer.at.astimezone(OFFICE_ZONE).date() for answer in stored}
    assert min(days) >= TODAY - timedelta(days=365)
    assert max(days) < TODAY
    assert all(day.weekday() < 5 for day in days)
    assert len(days) > 240
    for answer in stored:
        local = answer.at.astimezone(OFFICE_ZONE).time()
        assert time(8, 30) <= local < time(17, 30)
    per_office_day = Tally((answer.office_id, answer.at.astimezone(OFFICE_ZONE).date()) for answer in stored)
    assert max(count for count in per_office_day.values() if count < BURST_SIZE) <= 7


def test_the_answers_are_mostly_satisfied_with_fixed_reasons(app_context: None) -> None:
    start_afresh()
    seed_demo_counters(db.session, today=TODAY)
    stored = [answer for answer in answers() if not answer.flagged]
    scores = Tally(answer.score for answer in stored)
    satisfied = (scores[4] + scores[5]) / len(stored)
    assert 0.7 < satisfied < 0.88
    assert all(scores[score] for score in (1, 2, 3, 4, 5))
    assert {answer.reason for answer in stored} == {
        "",
        "waiting",
        "attitude",
        "explanation",
        "environment",
        "other",
    }
    channels = Tally(answer.channel for answer in stored)
    assert set(channels) == {"kiosk", "qr"}
    assert 0.2 < channels["qr"] / len(stored) < 0.4


def test_one_office_has_a_flagged_burst(app_context: None) -> None:
    start_afresh()
    seed_demo_counters(db.session, today=TODAY)
    flagged = [answer for answer in answers() if answer.flagged]
    assert len(flagged) == BURST_SIZE
    assert len({answer.office_id for answer in flagged}) == 1
    assert len({answer.counter_id for answer in flagged}) == 1
    assert {answer.score for answer in flagged} == {1}
    assert flagged[-1].at - flagged[0].at < timedelta(minutes=5)


def test_a_run_on_the_same_day_gives_the_same_answers_and_a_second_run_adds_none(app_context: None) -> None:
    start_afresh()
    seed_demo_counters(db.session, today=TODAY)
    first = [
        (answer.office_id, answer.at, answer.score, answer.reason, answer.channel) for answer in answers()
    ]
    assert seed_demo_counters(db.session, today=TODAY) == []
    assert len(answers()) == len(first)
    start_afresh()
    seed_demo_counters(db.session, today=TODAY)
    again = [
        (answer.office_id, answer.at, answer.score, answer.reason, answer.channel) for answer in answers()
    ]
    assert again == first
