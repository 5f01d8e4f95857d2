"""The counter survey's pure parts: burst detection, bursts grouped, limits counted, answers checked, totals."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from feedback.surveys.counter_bursts import BurstRule, burst_members, group_bursts
from feedback.surveys.counter_figures import CounterFigures, day_bounds, office_totals
from feedback.surveys.counter_limits import (
    AnswerLimits,
    Device,
    Window,
    check_settings,
    count_answer,
    limits_from,
    parse_windows,
)
from feedback.surveys.counters import REASONS, parse_score, valid_reason, valid_score
from portal.ratelimit_storage import MemoryCounters

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def at(*seconds: float) -> list[datetime]:
    return [T0 + timedelta(seconds=value) for value in seconds]


# ----------------------------------------------------------------------------- bursts


def test_exactly_the_threshold_is_no_burst_and_one_more_is() -> None:
    rule = BurstRule(answers=3, minutes=5)
    assert burst_members(at(0, 60, 120), rule) == [False] * 3
    assert burst_members(at(0, 60, 120, 180), rule) == [True] * 4


def test_the_window_is_open_at_its_end() -> None:
    rule = BurstRule(answers=2, minutes=1)
    # 60 s apart is not "within one minute" of the first.
    assert burst_members(at(0, 30, 60), rule) == [False, False, False]
    assert burst_members(at(0, 30, 59.999), rule) == [True, True, True]


def test_only_the_answers_inside_a_burst_are_flagged() -> None:
    rule = BurstRule(answers=3, minutes=5)
    times = at(-3600, 0, 10, 20, 30, 3600)
    assert burst_members(times, rule) == [False, True, True, True, True, False]


def test_the_order_of_the_times_does_not_matter() -> None:
    rule = BurstRule(answers=3, minutes=5)
    times = at(0, 10, 20, 30, 5000, 9000)
    shuffled = [times[index] for index in (4, 2, 5, 0, 3, 1)]
    assert burst_members(shuffled, rule) == [False, True, False, True, True, True]


def test_a_sliding_span_flags_answers_no_fixed_window_would_hold_together() -> None:
    rule = BurstRule(answers=3, minutes=1)
    # 4 answers within 50 s straddling a minute boundary: a fixed minute would see 2 + 2.
    assert burst_members(at(40, 50, 70, 90), rule) == [True] * 4


def test_brute_force_agrees_with_burst_members() -> None:
    rng = random.Random(7)
    rule = BurstRule(answers=4, minutes=2)
    for _round in range(200):
        times = at(*(rng.uniform(0, 900) for _ in range(rng.randint(0, 25))))
        window = rule.window
        expected = [
            any(
                start <= time < start + window
                and sum(start <= other < start + window for other in times) > rule.answers
                for start in times
            )
            for time in times
        ]
        assert burst_members(times, rule) == expected


def test_no_times_no_members() -> None:
    assert burst_members([], BurstRule()) == []


@pytest.mark.parametrize(("answers", "minutes"), [(0, 5), (3, 0), (-1, 1)])
def test_a_burst_rule_needs_positive_numbers(answers: int, minutes: int) -> None:
    with pytest.raises(ValueError, match="burst rule"):
        BurstRule(answers, minutes)


def test_flagged_answers_are_grouped_per_counter_while_close_together() -> None:
    rule = BurstRule(answers=2, minutes=5)
    times = at(0, 60, 120, 4000, 4010)
    flagged = [
        (1, 7, times[0], 1),
        (2, 7, times[1], 2),
        (3, 7, times[2], 1),
        (4, 7, times[3], 5),
        (5, 8, times[4], 4),
        (6, 7, times[4], 5),
    ]
    bursts = group_bursts(list(reversed(flagged)), rule)
    assert [(burst.counter_id, burst.ids) for burst in bursts] == [(7, (1, 2, 3)), (7, (4, 6)), (8, (5,))]
    assert bursts[0].first_at == times[0]
    assert bursts[0].last_at == times[2]
    assert bursts[0].size == 3
    assert bursts[0].average == pytest.approx(4 / 3)


# ----------------------------------------------------------------------------- limits


def limits(**extra: object) -> AnswerLimits:
    return AnswerLimits(store=MemoryCounters(), prefix="t", **extra)  # type: ignore[arg-type]


def test_a_kiosk_cools_down_after_one_answer() -> None:
    chosen = limits(kiosk_device=Window(1, 10))
    kiosk = Device.kiosk("tablet-1")
    assert count_answer(chosen, kiosk, 1) is None
    refusal = count_answer(chosen, kiosk, 1)
    assert refusal is not None
    assert refusal.scope == "device"
    assert 1 <= refusal.retry_after <= 10


def test_devices_cool_down_apart() -> None:
    chosen = limits(kiosk_device=Window(1, 10))
    assert count_answer(chosen, Device.kiosk("a"), 1) is None
    assert count_answer(chosen, Device.kiosk("b"), 1) is None
    # The same name as an address is another device.
    assert count_answer(chosen, Device.address("a"), 1) is None


def test_an_address_gets_its_own_allowance() -> None:
    chosen = limits(address_device=Window(2, 60))
    phone = Device.address("203.0.113.9")
    assert count_answer(chosen, phone, 1) is None
    assert count_answer(chosen, phone, 1) is None
    refusal = count_answer(chosen, phone, 1)
    assert refusal is not None
    assert refusal.scope == "device"


def test_a_counter_refuses_beyond_its_minute_and_hour() -> None:
    chosen = limits(counter=(Window(3, 60), Window(4, 3600)))
    results = [count_answer(chosen, Device.kiosk(f"d{number}"), 5) for number in range(4)]
    assert results[:3] == [None, None, None]
    assert results[3] is not None
    assert results[3].scope == "counter"
    # Another counter is counted on its own.
    assert count_answer(chosen, Device.kiosk("d9"), 6) is None


def test_the_hour_limit_refuses_when_the_minute_one_does_not() -> None:
    chosen = limits(counter=(Window(10, 60), Window(2, 3600)))
    assert count_answer(chosen, Device.kiosk("a"), 5) is None
    assert count_answer(chosen, Device.kiosk("b"), 5) is None
    refusal = count_answer(chosen, Device.kiosk("c"), 5)
    assert refusal is not None
    assert refusal.scope == "counter"
    assert refusal.retry_after > 60


def test_a_device_told_to_wait_does_not_use_up_its_counter() -> None:
    chosen = limits(kiosk_device=Window(1, 10), counter=(Window(2, 60),))
    stuffer = Device.kiosk("stuffer")
    assert count_answer(chosen, stuffer, 5) is None
    for _tap in range(20):
        assert count_answer(chosen, stuffer, 5) is not None
    assert count_answer(chosen, Device.kiosk("visitor"), 5) is None


def test_keys_carry_the_prefix_and_never_the_address() -> None:
    store = MemoryCounters()
    chosen = AnswerLimits(store=store, prefix="site-a")
    count_answer(chosen, Device.address("198.51.100.7"), 3)
    keys = list(store._counters)
    assert keys
    assert all(key.startswith("site-a/counter-survey/") for key in keys)
    assert not any("198.51.100.7" in key for key in keys)


def test_limits_are_read_from_settings_with_defaults() -> None:
    store = MemoryCounters()
    default = limits_from({}, store)
    assert default.kiosk_device == Window(1, 10)
    assert default.address_device == Window(2, 60)
    assert default.counter == (Window(6, 60), Window(60, 3600))
    assert default.burst == BurstRule(8, 5)
    chosen = limits_from(
        {
            "RATELIMIT_KEY_PREFIX": "p",
            "COUNTER_SURVEY_KIOSK_LIMIT": "1 per 30 seconds",
            "COUNTER_SURVEY_ADDRESS_LIMIT": "5 per hour",
            "COUNTER_SURVEY_COUNTER_LIMITS": "3 per minute;20 per hour",
            "COUNTER_SURVEY_BURST": "4 per 2 minutes",
        },
        store,
    )
    assert chosen.prefix == "p"
    assert chosen.kiosk_device == Window(1, 30)
    assert chosen.address_device == Window(5, 3600)
    assert chosen.counter == (Window(3, 60), Window(20, 3600))
    assert chosen.burst == BurstRule(4, 2)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COUNTER_SURVEY_KIOSK_LIMIT", "often"),
        ("COUNTER_SURVEY_KIOSK_LIMIT", "1 per minute;2 per hour"),
        ("COUNTER_SURVEY_BURST", "8 per 30 seconds"),
    ],
)
def test_a_setting_that_is_no_limit_is_refused(name: str, value: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - limits' and our own messages differ
        limits_from({name: value}, MemoryCounters())


def test_windows_parse_in_order_given() -> None:
    assert parse_windows("6 per minute;60 per hour") == (Window(6, 60), Window(60, 3600))


# ----------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("5", 5),
        ("0", None),
        ("6", None),
        (" 3", None),
        ("", None),
        (None, None),
        ("３", None),
        ("3.0", None),
    ],
)
def test_a_score_is_read_strictly(raw: str | None, expected: int | None) -> None:
    assert parse_score(raw) == expected


def test_scores_and_reasons_are_checked() -> None:
    assert [valid_score(value) for value in (1, 5, 0, 6, True, "3", 3.0)] == [True, True] + [False] * 5
    assert all(valid_reason(code) for code in REASONS)
    assert valid_reason("")
    assert not valid_reason("我等了很久")
    assert not valid_reason(None)


# ----------------------------------------------------------------------------- figures


def figures(office_id: int, counter_id: int, **counts: int) -> CounterFigures:
    return CounterFigures(
        office_id, f"O{office_id}", "單位", "Office", counter_id, str(counter_id), "櫃台", "Counter", **counts
    )


def test_office_totals_sum_their_counters() -> None:
    rows = [
        figures(1, 10, count=2, score_sum=9, satisfied=2, flagged=1, excluded=0),
        figures(1, 11, count=2, score_sum=3, satisfied=0, flagged=0, excluded=4),
        figures(2, 20),
    ]
    totals = office_totals(rows)
    assert [(total.office_id, total.counter_id) for total in totals] == [(1, None), (2, None)]
    assert (
        totals[0].count,
        totals[0].score_sum,
        totals[0].satisfied,
        totals[0].flagged,
        totals[0].excluded,
    ) == (4, 12, 2, 1, 4)
    assert totals[0].average == 3
    assert totals[0].satisfied_share == 0.5
    assert totals[1].average is None
    assert totals[1].satisfied_share is None


def test_day_bounds_are_taipei_days() -> None:
    first, after = day_bounds(T0.date(), T0.date())
    assert first.astimezone(UTC) == datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
    assert after - first == timedelta(days=1)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COUNTER_SURVEY_KIOSK_LIMIT", "1 per 10 seconds;5 per minute"),  # one limit only
        ("COUNTER_SURVEY_ADDRESS_LIMIT", "twice a minute"),
        ("COUNTER_SURVEY_COUNTER_LIMITS", "6 per fortnight"),
        ("COUNTER_SURVEY_BURST", "8 per 90 seconds"),  # whole minutes only
    ],
)
def test_a_malformed_limit_setting_is_refused_by_its_name(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        check_settings({name: value})


def test_the_registered_defaults_are_sound_limits() -> None:
    from portal.config import SETTINGS

    defaults = {setting.name: setting.default for setting in SETTINGS if setting.name.startswith("COUNTER_")}
    assert len(defaults) == 4
    check_settings(defaults)
    limits = limits_from(defaults, MemoryCounters())
    assert (limits.kiosk_device.answers, limits.kiosk_device.seconds) == (1, 10)
    assert [(w.answers, w.seconds) for w in limits.counter] == [(6, 60), (60, 3600)]
    assert (limits.burst.answers, limits.burst.minutes) == (8, 5)
