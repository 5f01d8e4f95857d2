"""Demo counters and a year of counter answers, the same on every run for the same day.

Each active office gets counters "1" (一號櫃台 / Counter 1) and "2" (二號櫃台 /
Counter 2), and, if it has no answers yet, a few answers each working day (Monday to
Friday) of the year up to yesterday, between 8:30 and 17:30 Taipei time: mostly 4 and
5, some reasons, about a third by the poster's QR code. The first office also gets one
burst (a dozen answers of 1 within three minutes at counter 2, three weeks ago), which
the burst rule flags, for the dashboard's review. The random numbers come from a seed
per office, so a run on the same day gives the same answers.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.cases.handling import OFFICE_ZONE, local_day
from feedback.surveys.counter_bursts import BurstRule, burst_members
from feedback.surveys.models import Counter, CounterResponse
from portal.db import utcnow
from portal.offices.models import Office

DEMO_COUNTERS = (("1", "一號櫃台", "Counter 1"), ("2", "二號櫃台", "Counter 2"))
DAYS = 365
SCORE_WEIGHTS = {5: 46, 4: 32, 3: 12, 2: 6, 1: 4}
# Which reasons visitors give, by the face they chose; most give none.
REASON_WEIGHTS = {
    "high": {"": 60, "attitude": 18, "explanation": 12, "waiting": 4, "environment": 4, "other": 2},
    "low": {"": 35, "waiting": 35, "attitude": 12, "explanation": 10, "environment": 4, "other": 4},
}
BURST_DAYS_AGO = 21
BURST_SIZE = 12
T = TypeVar("T")


def _counters(session: Session, office: Office) -> tuple[list[Counter], int]:
    existing = {
        counter.code: counter
        for counter in session.scalars(select(Counter).where(Counter.office_id == office.id))
    }
    added = 0
    for code, name_zh, name_en in DEMO_COUNTERS:
        if code not in existing:
            existing[code] = Counter(office_id=office.id, code=code, name_zh=name_zh, name_en=name_en)
            session.add(existing[code])
            added += 1
    session.flush()
    return [existing[code] for code, _zh, _en in DEMO_COUNTERS], added


def _pick(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day_answers(rng: random.Random, day: date, counters: list[Counter]) -> list[CounterResponse]:
    answers = []
    for _number in range(rng.randint(2, 7)):
        score = _pick(rng, SCORE_WEIGHTS)
        reason = _pick(rng, REASON_WEIGHTS["high" if score >= 4 else "low"])
        minute = rng.randrange(9 * 60)  # 8:30 to 17:30
        at = datetime.combine(day, time(8, 30), OFFICE_ZONE) + timedelta(
            minutes=minute, seconds=rng.randrange(60)
        )
        counter = rng.choice(counters)
        channel = "qr" if rng.random() < 0.3 else "kiosk"
        answers.append(
            CounterResponse(
                office_id=counter.office_id,
                counter_id=counter.id,
                channel=channel,
                at=at,
                score=score,
                reason=reason,
            )
        )
    return answers


def _burst(day: date, counter: Counter) -> list[CounterResponse]:
    start = datetime.combine(day, time(10, 12), OFFICE_ZONE)
    return [
        CounterResponse(
            office_id=counter.office_id,
            counter_id=counter.id,
            channel="kiosk",
            at=start + timedelta(seconds=15 * number),
            score=1,
        )
        for number in range(BURST_SIZE)
    ]


def _flag(answers: list[CounterResponse], rule: BurstRule) -> int:
    flagged = 0
    for counter_id in {answer.counter_id for answer in answers}:
        own = [answer for answer in answers if answer.counter_id == counter_id]
        for answer, member in zip(own, burst_members([answer.at for answer in own], rule), strict=True):
            answer.flagged = member
            flagged += member
    return flagged


def seed_demo_counters(
    session: Session, *, today: date | None = None, rule: BurstRule | None = None
) -> list[str]:
    """Add the demo counters and their year of answers where missing; lines saying what was added.

    Offices that already have counter answers keep them (the demo is loaded again on a
    live demo site). Nothing is committed: the caller commits.
    """
    last = (today or local_day(utcnow())) - timedelta(days=1)
    offices = list(
        session.scalars(
            select(Office).where(Office.active.is_(True)).order_by(Office.sort_order, Office.code)
        )
    )
    lines = []
    for position, office in enumerate(offices):
        counters, added = _counters(session, office)
        if added:
            lines.append(f"counters of {office.code}: {added} added")
        if session.scalar(
            select(func.count(CounterResponse.id)).where(CounterResponse.office_id == office.id)
        ):
            continue
        rng = random.Random(f"counter-answers-{office.code}")  # noqa: S311 - demo data, not secret
        answers: list[CounterResponse] = []
        for offset in range(DAYS, 0, -1):
            day = last - timedelta(days=offset - 1)
            if day.weekday() < 5:
                answers.extend(_day_answers(rng, day, counters))
        if position == 0:
            burst_day = last - timedelta(days=BURST_DAYS_AGO)
            while burst_day.weekday() >= 5:
                burst_day -= timedelta(days=1)
            answers.extend(_burst(burst_day, counters[1]))
        flagged = _flag(answers, rule or BurstRule())
        session.add_all(answers)
        lines.append(f"counter answers of {office.code}: {len(answers)} added, {flagged} flagged")
    session.flush()
    return lines
