"""Login refusals that tell nothing, and throttling that no stranger can turn into a lock-out."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, select, update

from portal.audit import AuditRecord
from portal.auth.models import Staff
from portal.auth.throttle import LoginThrottle, Schedule
from portal.db import db, utcnow
from tests.conftest import StaffAccount, log_in
from tests.support.pages import PageClient, check_page, csrf_token_of

THROTTLED_WORDS = {"": "嘗試次數過多", "/en": "Too many attempts"}


def refusal_of(response, prefix: str = "") -> str:
    """The words of a refused login's error summary."""
    page = check_page(response, f"{prefix}/staff/login")
    return page.select_one(".error-summary").get_text(" ", strip=True)


def expire_waits(app: Flask) -> None:
    """Let every wait end, as time passing would."""
    with app.app_context():
        db.session.execute(update(LoginThrottle).values(wait_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()


@pytest.fixture(autouse=True)
def no_earlier_failures(app: Flask, db_transaction) -> None:
    """Start from no counted failures (inside the test's transaction, so nothing is lost)."""
    with app.app_context():
        db.session.execute(delete(LoginThrottle))
        db.session.commit()


def fresh_client(app: Flask) -> PageClient:
    """Another browser: no cookies, so no known device."""
    return PageClient(app.test_client())


# ---------------------------------------------------------------------------- the schedule


def test_failures_are_free_then_the_wait_doubles_up_to_the_longest() -> None:
    schedule = Schedule(free=5, first_delay=30, longest_delay=900)
    assert [schedule.delay_after(n) for n in range(1, 5)] == [0, 0, 0, 0]
    assert [schedule.delay_after(n) for n in range(5, 11)] == [30, 60, 120, 240, 480, 900]
    assert schedule.delay_after(10_000) == 900


def test_no_free_failures_means_a_wait_from_the_first() -> None:
    assert Schedule(free=1, first_delay=2, longest_delay=3).delay_after(1) == 2
    assert Schedule(free=1, first_delay=2, longest_delay=3).delay_after(2) == 3


# ------------------------------------------------------------------- refusals look the same


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_unknown_wrong_and_disabled_look_the_same(
    pages: PageClient, make_staff: Callable[..., StaffAccount], app: Flask, prefix: str
) -> None:
    wrong = make_staff()
    disabled = make_staff()
    with app.app_context():
        db.session.execute(update(Staff).where(Staff.id == disabled.id).values(active=False))
        db.session.commit()
    answers = [
        log_in(pages, "no-such-person", "some-password-123", prefix),
        log_in(pages, wrong.username, "not-the-password", prefix),
        log_in(pages, disabled.username, disabled.password, prefix),
    ]
    assert {response.status_code for response in answers} == {200}
    words = {refusal_of(response, prefix) for response in answers}
    assert len(words) == 1, words
    assert ("incorrect" if prefix else "帳號或密碼不正確") in words.pop()
    with app.app_context():
        reasons = db.session.scalars(
            select(AuditRecord.after).where(
                AuditRecord.action == "login_failed", AuditRecord.entity_id.isnot(None)
            )
        ).all()
    assert {"bad_credentials", "disabled"} <= {reason.get("reason") for reason in reasons}


def test_unknown_and_real_names_take_the_same_time(
    pages: PageClient, make_staff: Callable[..., StaffAccount]
) -> None:
    accounts = [make_staff() for _ in range(6)]
    known: list[float] = []
    unknown: list[float] = []
    for number, account in enumerate(accounts):
        for name, timings in ((account.username, known), (f"nobody-{number}", unknown)):
            started = time.perf_counter()
            log_in(pages, name, "a-wrong-password-here")
            timings.append(time.perf_counter() - started)
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.6 < ratio < 1.6, (known, unknown)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_throttled_real_name_and_a_throttled_unknown_name_look_the_same(
    pages: PageClient, make_staff: Callable[..., StaffAccount], prefix: str
) -> None:
    account = make_staff()
    answers = []
    for name in (account.username, "nobody-at-all"):
        for _ in range(5):
            assert log_in(pages, name, "wrong-password-guess", prefix).status_code == 200
        answers.append(log_in(pages, name, "wrong-password-guess", prefix))
    assert [response.status_code for response in answers] == [429, 429]
    assert all(25 <= int(response.headers["Retry-After"]) <= 30 for response in answers)
    words = {refusal_of(response, prefix) for response in answers}
    assert len(words) == 1
    assert THROTTLED_WORDS[prefix] in words.pop()


# --------------------------------------------------------------------- no lock-out for anyone


def test_a_stranger_cannot_keep_the_owner_out_of_a_known_device(
    pages: PageClient, make_staff: Callable[..., StaffAccount], app: Flask
) -> None:
    account = make_staff()
    assert log_in(pages, account.username, account.password).status_code == 302  # the owner's browser
    pages.client.delete_cookie("portal_session")  # signed out; the device cookie stays
    stranger = fresh_client(app)
    for _ in range(8):
        expire_waits(app)  # the stranger waits out every delay and goes on
        assert log_in(stranger, account.username, "guessing-away-123").status_code == 200
    assert log_in(stranger, account.username, "guessing-away-123").status_code == 429
    assert log_in(stranger, account.username, account.password).status_code == 429, "unknown device waits"
    assert log_in(pages, account.username, account.password).status_code == 302, "the owner's browser gets in"


def test_the_right_password_gets_in_once_the_wait_is_over(
    pages: PageClient, make_staff: Callable[..., StaffAccount], app: Flask
) -> None:
    account = make_staff()
    for _ in range(5):
        log_in(pages, account.username, "wrong-password-guess")
    assert log_in(pages, account.username, account.password).status_code == 429
    expire_waits(app)
    assert log_in(pages, account.username, account.password).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(LoginThrottle.failures)).all() == [5], (
            "only the address still counts"
        )


def test_each_failure_after_a_wait_doubles_the_next_one(
    pages: PageClient, make_staff: Callable[..., StaffAccount], app: Flask
) -> None:
    account = make_staff()
    for _ in range(5):
        log_in(pages, account.username, "wrong-password-guess")
    expire_waits(app)
    log_in(pages, account.username, "wrong-password-guess")
    response = log_in(pages, account.username, "wrong-password-guess")
    assert response.status_code == 429
    assert 55 <= int(response.headers["Retry-After"]) <= 60


def test_an_administrator_clears_the_wait(
    pages: PageClient,
    sign_in: Callable[..., StaffAccount],
    make_staff: Callable[..., StaffAccount],
    app: Flask,
) -> None:
    from portal.auth.roles import Role

    target = make_staff()
    stranger = fresh_client(app)
    for _ in range(5):
        log_in(stranger, target.username, "wrong-password-guess")
    sign_in(Role.ADMINISTRATOR)
    page = pages.get(f"/staff/accounts/{target.id}")
    assert "須等到" in page.select_one(".notice").get_text()
    form = page.select_one(f'form[action="/staff/accounts/{target.id}/unlock"]')
    token = form.select_one('input[name="csrf_token"]')["value"]
    assert (
        pages.client.post(f"/staff/accounts/{target.id}/unlock", data={"csrf_token": token}).status_code
        == 302
    )
    assert log_in(fresh_client(app), target.username, target.password).status_code == 302


def test_one_address_guessing_many_names_is_slowed(make_app, db_transaction) -> None:
    # The suite's own setting lets every test sign in from one address; the default is 30.
    application = make_app(LOGIN_ADDRESS_FREE_FAILURES=3)
    db.bind_to(application, db_transaction)
    client = fresh_client(application)
    codes = [log_in(client, f"sprayed-name-{number}", "Summer2026!!").status_code for number in range(4)]
    assert codes == [200, 200, 200, 429]
    other_address = PageClient(application.test_client())
    other_address.client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert log_in(other_address, "sprayed-name-9", "Summer2026!!").status_code == 200


def test_the_owner_is_told_once_when_their_name_starts_waiting(
    pages: PageClient, make_staff: Callable[..., StaffAccount], app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr("portal.auth.login.send_mail", lambda to, subject, body: sent.append((to, subject)))
    account = make_staff()
    with app.app_context():
        db.session.execute(update(Staff).where(Staff.id == account.id).values(email="owner@example.org"))
        db.session.commit()
    for _ in range(7):
        log_in(pages, account.username, "wrong-password-guess")
        expire_waits(app)
    assert [to for to, _subject in sent] == ["owner@example.org"]


# ------------------------------------------------------------------ the current password


def change_password(pages: PageClient, current: str, new: str = "a-brand-new-passphrase-42"):
    token = csrf_token_of(pages.client.get("/staff/account/password").get_data(as_text=True))
    return pages.client.post(
        "/staff/account/password",
        data={"csrf_token": token, "current_password": current, "new_password": new, "confirm_password": new},
    )


def test_guessing_the_current_password_is_throttled_like_a_login(
    sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    account = sign_in()
    # A stolen session on a browser the owner never used: no known-device cookie.
    thief = fresh_client(app)
    assert log_in(thief, account.username, account.password).status_code == 302
    thief.client.delete_cookie("staff_device")
    codes = [change_password(thief, f"guess-number-{number}").status_code for number in range(5)]
    assert codes == [400] * 5
    response = change_password(thief, account.password)
    assert response.status_code == 429, "the right password waits too"
    assert "嘗試次數過多" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(select(AuditRecord).where(AuditRecord.action == "password_change_throttled"))
            is not None
        )
        failures = db.session.scalars(
            select(AuditRecord).where(AuditRecord.action == "password_change_failed")
        ).all()
    assert len(failures) == 5
