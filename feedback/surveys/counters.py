"""The counter survey: recording a visitor's answer, flagging bursts, excluding answers, the figures.

An answer is a face (1–5), optionally one fixed reason (`REASONS`: never free text, so a
kiosk collects nothing personal), the channel (`kiosk` or `qr`, the poster's code) and
the time. `record_answer` refuses anything else, and holds answers to the limits of
`counter_limits` (a device's cool-down, a counter's answers a minute and an hour); a
refused answer stores nothing. Each answer recorded is checked against the burst rule
(`counter_bursts`): the answers of a burst are flagged, and stay counted until staff
`exclude` them with a reason, which the audit log keeps. `counter_figures` gives each
counter's count, average, share satisfied (4 or 5) and its flagged and excluded answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.surveys.counter_bursts import Burst, BurstRule, burst_members, group_bursts
from feedback.surveys.counter_figures import SATISFIED_FROM, CounterFigures, counter_figures, day_bounds
from feedback.surveys.counter_limits import AnswerLimits, Device, count_answer
from feedback.surveys.models import Counter, CounterResponse
from portal.audit import Actor, record
from portal.auth.models import Staff
from portal.db import utcnow
from portal.i18n import _l

__all__ = [
    "REASONS",
    "REASON_LABELS",
    "SATISFIED_FROM",
    "CounterFigures",
    "Outcome",
    "Result",
    "add_reason",
    "burst_responses",
    "counter_figures",
    "day_bounds",
    "exclude",
    "flagged_bursts",
    "record_answer",
]

SCORES = (1, 2, 3, 4, 5)
CHANNELS = ("kiosk", "qr")
EXCLUSION_REASON_MAX = 300
# How long after answering a kiosk's visitor may still add the reason.
REASON_SECONDS = 180

# The fixed reasons, in the order they are offered.
REASON_LABELS = {
    "waiting": _l("等候時間"),
    "attitude": _l("服務態度"),
    "explanation": _l("說明是否清楚"),
    "environment": _l("環境與設施"),
    "other": _l("其他"),
}
REASONS = tuple(REASON_LABELS)


class Result(StrEnum):
    """What became of an answer."""

    RECORDED = "recorded"
    BAD_SCORE = "bad_score"
    BAD_REASON = "bad_reason"
    BAD_CHANNEL = "bad_channel"
    CLOSED = "closed"  # the counter is not in use
    DEVICE_WAIT = "device_wait"  # the device's cool-down
    COUNTER_BUSY = "counter_busy"  # the counter's limit a minute or an hour


@dataclass(frozen=True)
class Outcome:
    """The result of `record_answer`: the answer stored, or why not (and the seconds to wait)."""

    result: Result
    response: CounterResponse | None = None
    retry_after: int = 0

    @property
    def recorded(self) -> bool:
        """Whether the answer was stored."""
        return self.result is Result.RECORDED


def parse_score(raw: str | None) -> int | None:
    """A face's score from a form value: exactly one of "1" to "5", else None."""
    return int(raw) if raw in {str(score) for score in SCORES} else None


def valid_score(score: object) -> bool:
    """Whether `score` is a face's score (an int 1–5, not a bool)."""
    return isinstance(score, int) and not isinstance(score, bool) and score in SCORES


def valid_reason(reason: object) -> bool:
    """Whether `reason` is one of the fixed reasons' codes or empty (none given)."""
    return isinstance(reason, str) and (reason == "" or reason in REASONS)


def _problem(counter: Counter, score: object, reason: object, channel: object) -> Result | None:
    if not valid_score(score):
        return Result.BAD_SCORE
    if not valid_reason(reason):
        return Result.BAD_REASON
    if channel not in CHANNELS:
        return Result.BAD_CHANNEL
    if not counter.active:
        return Result.CLOSED
    return None


def record_answer(
    session: Session,
    counter: Counter,
    score: int,
    reason: str,
    channel: str,
    now: datetime,
    device_key: Device,
    limits: AnswerLimits,
) -> Outcome:
    """Store one answer at `counter` unless it is invalid or over a limit; flag it when it makes a burst.

    Invalid answers are refused before they are counted. Nothing is committed: the
    caller commits.
    """
    problem = _problem(counter, score, reason, channel)
    if problem is not None:
        return Outcome(problem)
    refusal = count_answer(limits, device_key, counter.id)
    if refusal is not None:
        result = Result.DEVICE_WAIT if refusal.scope == "device" else Result.COUNTER_BUSY
        return Outcome(result, retry_after=refusal.retry_after)
    response = CounterResponse(
        office_id=counter.office_id,
        counter_id=counter.id,
        channel=channel,
        at=now,
        score=score,
        reason=reason,
    )
    session.add(response)
    session.flush()
    flag_recent(session, counter.id, now, limits.burst)
    return Outcome(Result.RECORDED, response)


def flag_recent(session: Session, counter_id: int, now: datetime, rule: BurstRule) -> int:
    """Flag the answers at a counter in the rule's window up to `now` when they make a burst; how many."""
    recent = list(
        session.scalars(
            select(CounterResponse).where(
                CounterResponse.counter_id == counter_id,
                CounterResponse.at > now - rule.window,
                CounterResponse.at <= now,
            )
        )
    )
    members = burst_members([response.at for response in recent], rule)
    flagged = 0
    for response, member in zip(recent, members, strict=True):
        if member and not response.flagged:
            response.flagged = True
            flagged += 1
    return flagged


def add_reason(session: Session, response_id: int, counter_id: int, reason: str, now: datetime) -> bool:
    """Give a kiosk answer just recorded its reason; False when it cannot have one (any more).

    Only an answer without a reason, at that counter, recorded less than
    `REASON_SECONDS` ago and not excluded takes one.
    """
    if not valid_reason(reason) or reason == "":
        return False
    response = session.get(CounterResponse, response_id)
    if response is None or response.counter_id != counter_id or response.reason or response.excluded_at:
        return False
    if not (now - timedelta(seconds=REASON_SECONDS) <= response.at <= now):
        return False
    response.reason = reason
    return True


def exclude(session: Session, responses: Iterable[CounterResponse], staff: Staff, reason: str) -> int:
    """Leave `responses` out of every figure, saying why; each exclusion is audited. How many were excluded.

    Answers already excluded are left as they are. A reason is required (ValueError
    without one, or one longer than `EXCLUSION_REASON_MAX`).
    """
    text = " ".join(reason.split())
    if not text or len(text) > EXCLUSION_REASON_MAX:
        raise ValueError("an exclusion needs a reason of at most 300 characters")
    actor = Actor(label=staff.username, staff_id=staff.id)
    now = utcnow()
    excluded = 0
    for response in responses:
        if response.excluded_at is not None:
            continue
        response.excluded_at = now
        response.excluded_by_id = staff.id
        response.exclusion_reason = text
        record(
            session,
            "counter_response.excluded",
            "counter_response",
            response.id,
            before={"excluded_at": None, "flagged": response.flagged},
            after={"excluded_at": now, "exclusion_reason": text, "counter_id": response.counter_id},
            actor=actor,
        )
        excluded += 1
    return excluded


def flagged_bursts(
    session: Session, office_id: int | None, start: date, end: date, rule: BurstRule
) -> list[Burst]:
    """The bursts of flagged answers not yet excluded, from local day `start` to `end`, of one office or all."""
    first, after = day_bounds(start, end)
    query = select(
        CounterResponse.id, CounterResponse.counter_id, CounterResponse.at, CounterResponse.score
    ).where(
        CounterResponse.flagged.is_(True),
        CounterResponse.excluded_at.is_(None),
        CounterResponse.at >= first,
        CounterResponse.at < after,
    )
    if office_id is not None:
        query = query.where(CounterResponse.office_id == office_id)
    return group_bursts([tuple(row) for row in session.execute(query)], rule)  # type: ignore[misc]


def burst_responses(session: Session, counter_id: int, ids: Iterable[int]) -> list[CounterResponse]:
    """The flagged answers not yet excluded among `ids` at counter `counter_id` (what a burst's exclusion acts on)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return list(
        session.scalars(
            select(CounterResponse)
            .where(
                CounterResponse.counter_id == counter_id,
                CounterResponse.id.in_(wanted),
                CounterResponse.flagged.is_(True),
                CounterResponse.excluded_at.is_(None),
            )
            .order_by(CounterResponse.id)
        )
    )
