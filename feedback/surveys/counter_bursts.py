"""Unusual bursts of counter answers, found from their times alone (pure).

One counter serves one visitor at a time, so many answers at one counter within a few
minutes are unlikely to come from as many visitors. `BurstRule` says how many is too
many: more than `answers` answers whose times lie within `minutes` of one another (the
last less than `minutes` after the first). Every answer inside such a span is a member
of the burst and gets flagged; it stays counted until staff exclude it.

The default, more than 8 answers in 5 minutes, is above what a busy counter sees
(a visit takes a few minutes) and below what a kiosk's cool-down still lets one person
enter in that time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

BURST_ANSWERS = 8
BURST_MINUTES = 5


@dataclass(frozen=True)
class BurstRule:
    """More than `answers` answers within `minutes` at one counter make a burst."""

    answers: int = BURST_ANSWERS
    minutes: int = BURST_MINUTES

    def __post_init__(self) -> None:
        if self.answers < 1 or self.minutes < 1:
            raise ValueError("a burst rule needs at least one answer and one minute")

    @property
    def window(self) -> timedelta:
        """How close together the answers of a burst lie."""
        return timedelta(minutes=self.minutes)


def burst_members(times: Sequence[datetime], rule: BurstRule) -> list[bool]:
    """For each of `times` (in any order), whether it belongs to a burst under `rule`.

    A time belongs to a burst when some span shorter than the rule's window holds it and
    more than `rule.answers` times.
    """
    order = sorted(range(len(times)), key=lambda index: times[index])
    flagged = [False] * len(times)
    end = 0
    for start, first in enumerate(order):
        end = max(end, start)
        # Grow the span from `start` while its last time is within the window of its first.
        while end < len(order) and times[order[end]] - times[first] < rule.window:
            end += 1
        if end - start > rule.answers:
            for position in range(start, end):
                flagged[order[position]] = True
    return flagged


@dataclass(frozen=True)
class Burst:
    """A run of flagged answers at one counter: their ids, first and last time."""

    counter_id: int
    ids: tuple[int, ...]
    first_at: datetime
    last_at: datetime
    scores: tuple[int, ...]

    @property
    def size(self) -> int:
        """How many answers the burst holds."""
        return len(self.ids)

    @property
    def average(self) -> float:
        """The mean score of the burst's answers."""
        return sum(self.scores) / len(self.scores)


def group_bursts(flagged: Sequence[tuple[int, int, datetime, int]], rule: BurstRule) -> list[Burst]:
    """Flagged answers as (id, counter id, time, score) gathered into bursts.

    Answers of one counter join the same burst while each comes less than the rule's
    window after the one before; bursts come out by counter, then time.
    """
    bursts: list[Burst] = []
    for item_id, counter_id, at, score in sorted(flagged, key=lambda item: (item[1], item[2], item[0])):
        last = bursts[-1] if bursts else None
        if last is not None and last.counter_id == counter_id and at - last.last_at < rule.window:
            bursts[-1] = Burst(counter_id, (*last.ids, item_id), last.first_at, at, (*last.scores, score))
        else:
            bursts.append(Burst(counter_id, (item_id,), at, at, (score,)))
    return bursts
