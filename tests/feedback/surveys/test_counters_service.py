"""The counter survey's service on the database: answers, refusals, flagging, exclusion and figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from feedback.surveys.counter_bursts import BurstRule
from feedback.surveys.counter_limits import Device, Window
from feedback.surveys.counters import (
    REASON_SECONDS,
    Result,
    add_reason,
    burst_responses,
    counter_figures,
    exclude,
    flagged_bursts,
    record_answer,
)
from feedback.surveys.models import Counter, CounterResponse
from portal.audit import AuditRecord
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db
from tests.conftest import StaffAccount
from tests.feedback.surveys.counter_fixtures import (
    Counters,
    answers_at,
    count_at,
    counters,
    limits_config,
    quiet_limits,
)

__all__ = ["counters", "limits_config"]

# A Monday in the future, so that no demo answer shares its days: 10:00 in Taipei.
NOW = datetime(2031, 3, 3, 2, 0, tzinfo=UTC)
DAY = date(2031, 3, 3)
KIOSK = Device.kiosk("tablet-1")


def answer(counter: Counter, score: Any = 5, reason: Any = "", channel: Any = "kiosk", **extra: Any) -> Any:
    now = extra.pop("now", NOW)
    device = extra.pop("device", KIOSK)
    limits = extra.pop("limits", None) or quiet_limits()
    return record_answer(db.session, counter, score, reason, channel, now, device, limits)


def test_an_answer_is_stored_with_office_counter_channel_time_face_and_reason(counters: Counters) -> None:
    outcome = answer(counters.kl, 4, "waiting", "qr")
    db.session.commit()
    assert outcome.result is Result.RECORDED
    assert outcome.recorded
    [stored] = answers_at(counters.kl)
    assert (stored.office_id, stored.counter_id, stored.channel) == (
        counters.kl.office_id,
        counters.kl.id,
        "qr",
    )
    assert (stored.score, stored.reason, stored.at) == (4, "waiting", NOW)
    assert stored.flagged is False
    assert stored.excluded_at is None


@pytest.mark.parametrize(
    ("score", "reason", "channel", "result"),
    [
        (0, "", "kiosk", Result.BAD_SCORE),
        (6, "", "kiosk", Result.BAD_SCORE),
        ("5", "", "kiosk", Result.BAD_SCORE),
        (True, "", "kiosk", Result.BAD_SCORE),
        (None, "", "kiosk", Result.BAD_SCORE),
        (5, "我等很久", "kiosk", Result.BAD_REASON),
        (5, "Waiting", "kiosk", Result.BAD_REASON),
        (5, None, "kiosk", Result.BAD_REASON),
        (5, "", "web", Result.BAD_CHANNEL),
        (5, "", "", Result.BAD_CHANNEL),
    ],
)
def test_each_bad_input_is_refused_and_nothing_stored(
    counters: Counters, score: Any, reason: Any, channel: Any, result: Result
) -> None:
    limits = quiet_limits(kiosk_device=Window(1, 60))
    outcome = answer(counters.kl, score, reason, channel, limits=limits)
    assert outcome.result is result
    assert outcome.response is None
    assert count_at(counters.kl) == 0
    # A refused answer is not counted: the device's one answer a minute is still there.
    assert answer(counters.kl, limits=limits).recorded


def test_an_inactive_counter_takes_no_answer(counters: Counters) -> None:
    assert answer(counters.closed).result is Result.CLOSED
    assert count_at(counters.closed) == 0


def test_a_device_cools_down_and_nothing_is_stored_meanwhile(counters: Counters) -> None:
    limits = quiet_limits(kiosk_device=Window(1, 30))
    assert answer(counters.kl, limits=limits).recorded
    again = answer(counters.kl, limits=limits)
    assert again.result is Result.DEVICE_WAIT
    assert 1 <= again.retry_after <= 30
    assert count_at(counters.kl) == 1
    # Another kiosk is not held up.
    assert answer(counters.kl, device=Device.kiosk("tablet-2"), limits=limits).recorded


def test_a_counter_over_its_limit_refuses_every_device(counters: Counters) -> None:
    limits = quiet_limits(counter=(Window(2, 60), Window(100, 3600)))
    results = [answer(counters.kl, device=Device.kiosk(f"t{n}"), limits=limits).result for n in range(3)]
    assert results == [Result.RECORDED, Result.RECORDED, Result.COUNTER_BUSY]
    assert count_at(counters.kl) == 2
    assert answer(counters.kl_other, device=Device.kiosk("t9"), limits=limits).recorded


def test_answers_beyond_the_burst_rule_are_flagged_and_stay_counted(counters: Counters) -> None:
    limits = quiet_limits(burst=BurstRule(3, 5))
    for second in (0, 30, 60):
        answer(counters.kl, now=NOW + timedelta(seconds=second), limits=limits)
    assert not any(stored.flagged for stored in answers_at(counters.kl))
    answer(counters.kl, now=NOW + timedelta(seconds=90), limits=limits)
    db.session.commit()
    assert [stored.flagged for stored in answers_at(counters.kl)] == [True] * 4
    # Another counter at the same time is not part of it.
    answer(counters.kl_other, now=NOW + timedelta(seconds=95), limits=limits)
    assert [stored.flagged for stored in answers_at(counters.kl_other)] == [False]
    [row] = [row for row in counter_figures(db.session, None, DAY, DAY) if row.counter_id == counters.kl.id]
    assert (row.count, row.flagged) == (4, 4)


def test_an_answer_long_after_a_burst_is_not_flagged(counters: Counters) -> None:
    limits = quiet_limits(burst=BurstRule(2, 5))
    for second in (0, 10, 20):
        answer(counters.kl, now=NOW + timedelta(seconds=second), limits=limits)
    answer(counters.kl, now=NOW + timedelta(minutes=30), limits=limits)
    assert [stored.flagged for stored in answers_at(counters.kl)] == [True, True, True, False]


def staff_member(make_staff: Callable[..., StaffAccount]) -> Staff:
    account = make_staff(Role.PUBLISHER)
    staff = db.session.get(Staff, account.id)
    assert staff is not None
    return staff


def test_exclusion_needs_a_reason_is_audited_and_leaves_the_figures(
    counters: Counters, make_staff: Callable[..., StaffAccount]
) -> None:
    staff = staff_member(make_staff)
    for score in (5, 1, 1):
        answer(counters.kl, score, device=Device.kiosk(f"t{score}-{count_at(counters.kl)}"))
    db.session.commit()
    stored = answers_at(counters.kl)
    for blank in ("", "   ", "x" * 301):
        with pytest.raises(ValueError, match="reason"):
            exclude(db.session, stored[1:], staff, blank)
    assert all(item.excluded_at is None for item in answers_at(counters.kl))

    assert exclude(db.session, stored[1:], staff, "  同一人  連續按壓 ") == 2
    db.session.commit()
    first, *excluded = answers_at(counters.kl)
    assert first.excluded_at is None
    for item in excluded:
        assert item.excluded_at is not None
        assert item.excluded_by_id == staff.id
        assert item.exclusion_reason == "同一人 連續按壓"
    records = list(
        db.session.scalars(select(AuditRecord).where(AuditRecord.action == "counter_response.excluded"))
    )
    assert sorted(record.entity_id for record in records) == sorted(str(item.id) for item in excluded)
    assert {record.actor_id for record in records} == {staff.id}
    assert all(record.entity == "counter_response" for record in records)
    assert all(record.after and record.after["exclusion_reason"] == "同一人 連續按壓" for record in records)

    [row] = [row for row in counter_figures(db.session, None, DAY, DAY) if row.counter_id == counters.kl.id]
    assert (row.count, row.average, row.satisfied_share, row.excluded) == (1, 5, 1, 2)
    # Excluding again changes nothing and writes nothing.
    assert exclude(db.session, excluded, staff, "再一次") == 0


def test_figures_count_average_share_per_counter_within_local_days(counters: Counters) -> None:
    taipei_midnight = datetime(2031, 3, 2, 16, 0, tzinfo=UTC)  # 3 March, 00:00 in Taipei
    given = [
        (counters.kl, 5, taipei_midnight),
        (counters.kl, 4, NOW),
        (counters.kl, 2, NOW + timedelta(hours=1)),
        (counters.kl_other, 3, NOW),
        (counters.xz, 1, NOW),
        (counters.kl, 5, taipei_midnight - timedelta(seconds=1)),  # 2 March in Taipei
        (counters.kl, 5, taipei_midnight + timedelta(days=1)),  # 4 March
    ]
    for number, (counter, score, moment) in enumerate(given):
        answer(counter, score, now=moment, device=Device.kiosk(f"t{number}"))
    db.session.commit()
    rows = {row.counter_id: row for row in counter_figures(db.session, None, DAY, DAY)}
    kl = rows[counters.kl.id]
    assert (kl.count, kl.score_sum, kl.satisfied) == (3, 11, 2)
    assert kl.average == pytest.approx(11 / 3)
    assert kl.satisfied_share == pytest.approx(2 / 3)
    assert rows[counters.kl_other.id].satisfied_share == 0
    assert rows[counters.closed.id].count == 0  # listed, with nothing
    assert rows[counters.closed.id].average is None
    assert rows[counters.xz.id].count == 1
    only_kl = counter_figures(db.session, counters.kl.office_id, DAY, DAY)
    assert {row.office_id for row in only_kl} == {counters.kl.office_id}
    assert counters.xz.id not in {row.counter_id for row in only_kl}
    wider = {
        row.counter_id: row
        for row in counter_figures(db.session, None, DAY - timedelta(days=1), DAY + timedelta(days=1))
    }
    assert wider[counters.kl.id].count == 5


def test_a_kiosk_answer_takes_its_reason_once_soon_after(counters: Counters) -> None:
    outcome = answer(counters.kl, 2)
    db.session.commit()
    response_id = outcome.response.id
    assert not add_reason(db.session, response_id, counters.kl.id, "free text", NOW)
    assert not add_reason(db.session, response_id, counters.kl.id, "", NOW)
    assert not add_reason(db.session, response_id, counters.kl_other.id, "waiting", NOW)
    late = NOW + timedelta(seconds=REASON_SECONDS + 1)
    assert not add_reason(db.session, response_id, counters.kl.id, "waiting", late)
    assert add_reason(db.session, response_id, counters.kl.id, "waiting", NOW + timedelta(seconds=20))
    assert not add_reason(db.session, response_id, counters.kl.id, "attitude", NOW + timedelta(seconds=30))
    db.session.commit()
    assert [stored.reason for stored in answers_at(counters.kl)] == ["waiting"]


def test_flagged_bursts_are_listed_until_excluded(
    counters: Counters, make_staff: Callable[..., StaffAccount]
) -> None:
    rule = BurstRule(2, 5)
    limits = quiet_limits(burst=rule)
    for second in (0, 20, 40):
        answer(counters.kl, 1, now=NOW + timedelta(seconds=second), limits=limits)
    answer(counters.xz, 5, now=NOW, limits=limits)
    db.session.commit()
    [burst] = flagged_bursts(db.session, None, DAY, DAY, rule)
    assert burst.counter_id == counters.kl.id
    assert burst.size == 3
    assert flagged_bursts(db.session, counters.xz.office_id, DAY, DAY, rule) == []
    assert flagged_bursts(db.session, None, DAY + timedelta(days=1), DAY + timedelta(days=1), rule) == []
    # Only the burst's own flagged answers at that counter are acted on.
    assert burst_responses(db.session, counters.kl_other.id, burst.ids) == []
    chosen = burst_responses(db.session, counters.kl.id, [*burst.ids, 10**8])
    assert [item.id for item in chosen] == sorted(burst.ids)
    exclude(db.session, chosen, staff_member(make_staff), "測試")
    db.session.commit()
    assert flagged_bursts(db.session, None, DAY, DAY, rule) == []
    assert burst_responses(db.session, counters.kl.id, burst.ids) == []


def test_the_row_keeps_no_device(counters: Counters) -> None:
    columns = set(CounterResponse.__table__.columns.keys())
    assert not columns & {"device", "address", "ip_address", "device_key", "user_agent"}
