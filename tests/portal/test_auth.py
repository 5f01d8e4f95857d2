"""Signing in and out: passwords, session expiry, forced password change, rate limits (throttling: test_login_throttle.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal.audit import AuditRecord
from portal.auth.models import Staff, StaffSession
from portal.auth.passwords import hash_password, password_problems, verify_password
from portal.auth.roles import Role
from portal.db import db, utcnow
from tests.conftest import STAFF_PASSWORD, StaffAccount, log_in
from tests.support.pages import PageClient, check_page


def test_login_and_logout(pages: PageClient, make_staff: Callable[..., StaffAccount], app: Flask) -> None:
    account = make_staff(Role.ANALYST)
    response = log_in(pages, account.username, account.password)
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    dashboard = pages.get("/staff/")
    assert account.username in dashboard.get_text()
    logout_form = dashboard.select_one('form[action="/staff/logout"]')
    token = logout_form.select_one('input[name="csrf_token"]')["value"]
    response = pages.client.post("/staff/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert pages.get_response("/staff/").status_code == 302
    with app.app_context():
        actions = list(
            db.session.scalars(
                select(AuditRecord.action).where(
                    AuditRecord.entity == "staff", AuditRecord.entity_id == str(account.id)
                )
            )
        )
        sessions = db.session.scalars(select(StaffSession).where(StaffSession.staff_id == account.id)).all()
    assert "login" in actions
    assert "logout" in actions
    assert sessions == []


def test_logout_needs_a_csrf_token(pages: PageClient, sign_in: Callable[..., StaffAccount]) -> None:
    sign_in(Role.ANALYST)
    assert pages.client.post("/staff/logout").status_code == 400
    assert pages.get_response("/staff/").status_code == 200


def test_login_returns_to_the_page_asked_for(
    pages: PageClient, make_staff: Callable[..., StaffAccount]
) -> None:
    account = make_staff(Role.ADMINISTRATOR)
    redirect = pages.get_response("/en/staff/accounts")
    assert redirect.status_code == 302
    login_url = redirect.headers["Location"]
    assert login_url.startswith("/en/staff/login?next=")
    html = pages.client.get(login_url).get_data(as_text=True)
    from tests.support.pages import csrf_token_of

    response = pages.client.post(
        login_url,
        data={"csrf_token": csrf_token_of(html), "username": account.username, "password": account.password},
    )
    assert response.headers["Location"] == "/en/staff/accounts"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_never_redirects_off_site(
    pages: PageClient, make_staff: Callable[..., StaffAccount], target: str
) -> None:
    account = make_staff(Role.ANALYST)
    html = pages.client.get("/staff/login").get_data(as_text=True)
    from tests.support.pages import csrf_token_of

    response = pages.client.post(
        "/staff/login",
        query_string={"next": target},
        data={"csrf_token": csrf_token_of(html), "username": account.username, "password": account.password},
    )
    assert response.headers["Location"] == "/staff/"


def test_user_name_is_case_insensitive(pages: PageClient, make_staff: Callable[..., StaffAccount]) -> None:
    account = make_staff(Role.ANALYST)
    assert log_in(pages, "  " + account.username.upper() + " ", account.password).status_code == 302


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_wrong_password_is_refused_with_a_message(
    pages: PageClient, make_staff: Callable[..., StaffAccount], prefix: str
) -> None:
    account = make_staff(Role.ANALYST)
    response = log_in(pages, account.username, "not-the-password-at-all", prefix)
    assert response.status_code == 200
    page = check_page(response, f"{prefix}/staff/login")
    summary = page.select_one(".error-summary a")
    assert summary["href"] == "#password"
    expected = "incorrect" if prefix else "帳號或密碼不正確"
    assert expected in summary.get_text()
    assert page.select_one("#username")["value"] == account.username, "input kept on error"
    assert page.select_one("#password").get("value") in (None, ""), "password never echoed"


def test_unknown_user_gets_the_same_message(pages: PageClient) -> None:
    response = log_in(pages, "nobody-by-this-name", "whatever-password-123")
    page = check_page(response, "/staff/login")
    assert "帳號或密碼不正確" in page.select_one(".error-summary").get_text()


def test_empty_login_form_lists_both_fields(pages: PageClient) -> None:
    page = pages.post_form_page("/staff/login", {"username": "", "password": ""}, status=400)
    targets = [a["href"] for a in page.select(".error-summary a")]
    assert targets == ["#username", "#password"]
    assert page.select_one("#username")["aria-invalid"] == "true"


def test_disabling_ends_open_sessions(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    account = sign_in(Role.ANALYST)
    with app.app_context():
        db.session.execute(update(Staff).where(Staff.id == account.id).values(active=False))
        db.session.commit()
    assert pages.get_response("/staff/").status_code == 302


@pytest.mark.parametrize(
    ("column", "age"), [("last_seen_at", timedelta(minutes=31)), ("created_at", timedelta(hours=13))]
)
def test_session_expires(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask, column: str, age: timedelta
) -> None:
    account = sign_in(Role.ANALYST)
    with app.app_context():
        db.session.execute(
            update(StaffSession).where(StaffSession.staff_id == account.id).values({column: utcnow() - age})
        )
        db.session.commit()
    response = pages.get_response("/staff/")
    assert response.status_code == 302
    page = pages.get(response.headers["Location"])
    assert "逾時" in page.select_one(".flash-notice").get_text()
    with app.app_context():
        assert db.session.scalar(select(StaffSession).where(StaffSession.staff_id == account.id)) is None


def test_active_session_is_kept_alive(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    account = sign_in(Role.ANALYST)
    with app.app_context():
        db.session.execute(
            update(StaffSession)
            .where(StaffSession.staff_id == account.id)
            .values(last_seen_at=utcnow() - timedelta(minutes=29))
        )
        db.session.commit()
    assert pages.get_response("/staff/").status_code == 200
    with app.app_context():
        seen = db.session.scalar(select(StaffSession.last_seen_at).where(StaffSession.staff_id == account.id))
        assert utcnow() - seen < timedelta(minutes=1)


def test_forged_session_cookie_is_ignored(pages: PageClient) -> None:
    pages.client.set_cookie("portal_session", "eyJzdGFmZl90b2tlbiI6ImZvcmdlZCJ9.forged.signature")
    assert pages.get_response("/staff/").status_code == 302


def test_must_change_password_before_anything_else(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    account = sign_in(Role.ADMINISTRATOR, must_change_password=True)
    response = pages.get_response("/staff/accounts")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/account/password"
    page = pages.get("/staff/account/password")
    assert page.select_one(".notice")
    new_password = "a-sentence-only-i-remember-77"
    response = pages.post_form(
        "/staff/account/password",
        {
            "current_password": account.password,
            "new_password": new_password,
            "confirm_password": new_password,
        },
    )
    assert response.status_code == 302
    assert pages.get_response("/staff/accounts").status_code == 200
    with app.app_context():
        staff = db.session.get(Staff, account.id)
        assert not staff.must_change_password
        assert verify_password(staff.password_hash, new_password)


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field"),
    [
        ("wrong-current-password", "a-fine-new-passphrase-1", "a-fine-new-passphrase-1", "current_password"),
        (STAFF_PASSWORD, "short", "short", "new_password"),
        (STAFF_PASSWORD, "a-fine-new-passphrase-1", "a-different-passphrase-2", "confirm_password"),
        (STAFF_PASSWORD, STAFF_PASSWORD, STAFF_PASSWORD, "new_password"),
    ],
)
def test_password_change_refusals(
    pages: PageClient,
    sign_in: Callable[..., StaffAccount],
    app: Flask,
    current: str,
    new: str,
    confirm: str,
    field: str,
) -> None:
    account = sign_in(Role.ANALYST)
    page = pages.post_form_page(
        "/staff/account/password",
        {"current_password": current, "new_password": new, "confirm_password": confirm},
        status=400,
    )
    assert [a["href"] for a in page.select(".error-summary a")] == [f"#{field}"]
    with app.app_context():
        assert verify_password(db.session.get(Staff, account.id).password_hash, STAFF_PASSWORD)


def test_password_change_ends_other_sessions(
    pages: PageClient, make_staff: Callable[..., StaffAccount], app: Flask
) -> None:
    account = make_staff(Role.ANALYST)
    other = PageClient(app.test_client())
    log_in(other, account.username, account.password)
    log_in(pages, account.username, account.password)
    new_password = "another-long-passphrase-88"
    pages.post_form(
        "/staff/account/password",
        {
            "current_password": account.password,
            "new_password": new_password,
            "confirm_password": new_password,
        },
    )
    assert pages.get_response("/staff/").status_code == 200
    assert other.get_response("/staff/").status_code == 302


@pytest.mark.parametrize(
    ("password", "username", "ok"),
    [
        ("correct-horse-battery-staple", "", True),
        ("一句只有我自己記得的中文密碼", "", True),
        ("short-one", "", False),
        ("aaaaaaaaaaaaaaaa", "", False),
        ("abcdefghijklmnop", "", False),
        ("my-Password-is-long", "", False),
        ("qwertyuiop-long-enough", "", False),
        ("wang.ming-is-my-password-x", "wang.ming", False),
        ("x" * 129, "", False),
    ],
)
def test_password_policy(app: Flask, password: str, username: str, ok: bool) -> None:
    with app.test_request_context("/"):
        assert (password_problems(password, username) == []) is ok


def test_full_width_password_matches_half_width() -> None:
    stored = hash_password("Ｐａｓｓ-phrase-for-test-1")
    assert verify_password(stored, "Pass-phrase-for-test-1")
    assert stored.startswith("$argon2id$")
    assert not verify_password(None, "anything")


def test_login_attempts_are_rate_limited(make_app: Callable[..., Flask], make_staff, db_transaction) -> None:
    application = make_app(RATELIMIT_LOGIN="3 per minute")
    db.bind_to(application, db_transaction)  # the failures it counts are rolled back with the test
    client = PageClient(application.test_client())
    statuses = [log_in(client, "nobody-at-all", "wrong-password-xx", "/en").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    response = log_in(client, "nobody-at-all", "wrong-password-xx", "/en")
    page = check_page(response, "/en/staff/login")
    assert "too many" in page.h1.get_text().lower()
    assert response.headers["RateLimit-Remaining"] == "0"
