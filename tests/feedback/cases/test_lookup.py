"""Lookups by number and password: found with both, the same refusal otherwise, locked out after guessing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from feedback.cases import lookup as lookups
from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.intake import CaseDraft, IntakeKeys, OpenedCase, open_case
from feedback.cases.lookup import LookupGuard, LookupLimits, Outcome, look_up, number_key
from feedback.cases.states import Channel
from portal.db import db
from portal.ratelimit_storage import MemoryCounters

KEYS = IntakeKeys(password_key="p" * 40, email_key="e" * 40)
DAY = date(2034, 5, 2)
HOME = "203.0.113.7"


class Clock:
    def __init__(self) -> None:
        self.now = 2_000_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    ticking = Clock()
    monkeypatch.setattr(lookups.time, "time", ticking)
    monkeypatch.setattr("portal.ratelimit_storage.time.time", ticking)
    return ticking


@pytest.fixture
def guard(clock: Clock) -> LookupGuard:
    return LookupGuard(MemoryCounters(), LookupLimits(per_number=5, per_address=12, window_seconds=900))


@pytest.fixture
def opened(app_context: None) -> OpenedCase:
    seed_case_types(db.session)
    calendar = OfficeCalendar({DAY + timedelta(n): False for n in range(60)})
    draft = CaseDraft(
        "inquiry", "KL", Channel.PHONE, "帳單", "帳單金額有疑問", "黃志偉", contact_phone="0933-111-222"
    )
    return open_case(db.session, draft, today=DAY, calendar=calendar, keys=KEYS, needs_confirmation=True)


def ask(guard: LookupGuard, number: str, password: str, address: str = HOME) -> lookups.LookupAnswer:
    return look_up(db.session, guard, KEYS.password_key, address, number, password)


def test_the_number_and_password_as_people_type_them_find_the_case(
    opened: OpenedCase, guard: LookupGuard
) -> None:
    typed_number = opened.case.number.replace("-", " － ")
    typed_password = " ".join([opened.password[:4].lower(), opened.password[4:]])
    answer = ask(guard, typed_number, typed_password)
    assert answer.outcome == Outcome.FOUND
    assert answer.case is not None
    assert answer.case.id == opened.case.id


def test_a_wrong_password_and_an_unknown_number_get_the_same_answer(
    opened: OpenedCase, guard: LookupGuard
) -> None:
    wrong = ask(guard, opened.case.number, "ACDEFGHJ" if opened.password != "ACDEFGHJ" else "KMNPQRTU")
    unknown = ask(guard, "1230502-0999", opened.password)
    malformed = ask(guard, "<script>", opened.password)
    assert wrong == unknown == malformed == lookups.LookupAnswer(Outcome.REFUSED)


def test_a_hundred_wrong_passwords_lock_the_number_even_for_the_right_one(
    opened: OpenedCase, guard: LookupGuard, clock: Clock
) -> None:
    outcomes = [ask(guard, opened.case.number, f"WRONG{n:03d}").outcome for n in range(100)]
    assert outcomes[:4] == [Outcome.REFUSED] * 4
    assert set(outcomes[4:]) == {Outcome.LOCKED}
    locked = ask(guard, opened.case.number, opened.password, address="198.51.100.9")
    assert locked.outcome == Outcome.LOCKED
    assert 0 < locked.retry_after <= 900
    clock.now += 901
    assert ask(guard, opened.case.number, opened.password).outcome == Outcome.FOUND


def test_an_unknown_number_locks_exactly_as_a_known_one(guard: LookupGuard, app_context: None) -> None:
    outcomes = [ask(guard, "1230502-0999", f"WRONG{n:03d}").outcome for n in range(6)]
    assert outcomes == [Outcome.REFUSED] * 4 + [Outcome.LOCKED] * 2


def test_guessing_across_numbers_from_one_address_is_locked_too(
    opened: OpenedCase, guard: LookupGuard
) -> None:
    outcomes = [ask(guard, f"1230502-{n:04d}", "WRONGPWD").outcome for n in range(1, 14)]
    assert outcomes[:11] == [Outcome.REFUSED] * 11
    assert outcomes[11:] == [Outcome.LOCKED] * 2
    assert ask(guard, opened.case.number, opened.password).outcome == Outcome.LOCKED
    assert ask(guard, opened.case.number, opened.password, address="198.51.100.9").outcome == Outcome.FOUND


def test_a_success_forgets_the_numbers_failures(opened: OpenedCase, guard: LookupGuard) -> None:
    for _ in range(4):
        ask(guard, opened.case.number, "WRONGPWD")
    assert ask(guard, opened.case.number, opened.password).outcome == Outcome.FOUND
    assert ask(guard, opened.case.number, "WRONGPWD").outcome == Outcome.REFUSED


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("1151126-0007", "1151126-0007"),
        ("１１５１１２６ ７", "1151126-0007"),
        ("1151126 0007", "1151126-0007"),
    ],
)
def test_failures_on_one_number_typed_differently_count_together(typed: str, key: str) -> None:
    assert number_key(typed) == key
    assert number_key("nonsense").startswith("typed-")
