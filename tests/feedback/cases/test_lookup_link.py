"""The one-time lookup link by e-mail: the same answer whether or not the details match, used once, locked like a lookup."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from feedback.cases.case_types import seed_case_types
from feedback.cases.lookup_links import LINK_MINUTES, discard_spent_links, token_hash
from feedback.cases.models import CaseLinkToken, CaseMail
from feedback.cases.states import CaseState
from portal.db import db, utcnow
from tests.feedback.cases.citizen_cases import Made, new_case
from tests.support.pages import CSRF_FIELD, PageClient, check_page, csrf_token_of


@pytest.fixture
def seeded(app: Flask, db_transaction: Any) -> None:
    with app.app_context():
        seed_case_types(db.session)
        db.session.commit()


@pytest.fixture
def pages(app: Flask, bound_app: Callable[..., Flask]) -> PageClient:
    """Pages of an application with counters of its own: every link request counts as a failed lookup,
    and case numbers repeat from test to test (each test's cases are rolled back)."""
    keys = {name: app.config[name] for name in ("CASE_DATA_KEYS", "CASE_PASSWORD_KEY", "STORAGE_PATH")}
    return PageClient(bound_app(**keys).test_client())


def ask(pages: PageClient, number: str, email: str) -> Any:
    return pages.post_form("/cases/link", {"number": number, "email": email})


def mails(app: Flask, case: Made) -> list[CaseMail]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(CaseMail).where(CaseMail.case_id == case.id, CaseMail.kind == "lookup_link")
            )
        )


def token_from_mail(app: Flask, case: Made) -> str:
    (mail,) = mails(app, case)
    match = re.search(r"/cases/link/([A-Za-z0-9_-]+)", mail.body)
    assert match, mail.body
    return match.group(1)


def press(pages: PageClient, token: str) -> Any:
    """Press the link page's button (with a token from the request form, as the link may show no form)."""
    page = pages.client.get("/cases/link")
    return pages.client.post(
        f"/cases/link/{token}", data={CSRF_FIELD: csrf_token_of(page.get_data(as_text=True))}
    )


def main_text(response: Any, url: str) -> str:
    return check_page(response, url).select_one("main").get_text(" ", strip=True)


def test_the_lookup_page_offers_the_link_and_the_form_asks_for_number_and_email(
    pages: PageClient, seeded: None
) -> None:
    lookup = pages.get("/cases/lookup?number=1151126-0007")
    link = lookup.select_one("a[href*='/cases/link']")
    assert link is not None
    assert "number=1151126-0007" in link["href"]
    form = pages.get(link["href"])
    assert form.select_one("#number")["value"] == "1151126-0007"
    assert form.select_one("#email")["type"] == "email"


def test_matching_details_mail_a_link_and_others_get_the_same_answer(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    case = new_case(app)
    other = new_case(app)
    wrong_email = ask(pages, case.number, "someone@example.org")
    unknown = ask(pages, "1150101-9999", "huang@example.org")
    matched = ask(pages, case.number.replace("-", " "), "  HUANG@example.org ")
    assert wrong_email.status_code == unknown.status_code == matched.status_code == 200
    assert matched.headers["Cache-Control"] == "no-store"
    texts = {main_text(response, "/cases/link") for response in (wrong_email, unknown, matched)}
    assert len(texts) == 1, "no answer tells whether the details matched"
    assert "如果案件編號與電子郵件相符" in texts.pop()
    (mail,) = mails(app, case)
    assert mail.to_address == "huang@example.org"
    assert case.number in mail.subject
    assert f"{LINK_MINUTES} 分鐘後失效" in mail.body
    assert mails(app, other) == []
    token = token_from_mail(app, case)
    with app.app_context():
        rows = list(db.session.scalars(select(CaseLinkToken).where(CaseLinkToken.case_id == case.id)))
        assert [row.token_hash for row in rows] == [token_hash(token)], "only a hash is kept"
        assert token not in rows[0].token_hash
        assert rows[0].expires_at - rows[0].created_at == timedelta(minutes=LINK_MINUTES)


def test_following_the_link_once_opens_the_lookup_session(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    case = new_case(app)
    ask(pages, case.number, "huang@example.org")
    token = token_from_mail(app, case)
    shown = pages.get(f"/cases/link/{token}")
    assert shown.select_one("form button, form input[type=submit]") is not None
    assert pages.get(f"/cases/link/{token}") is not None, "fetching the link (a mail scanner) does not use it"
    opened = press(pages, token)
    assert opened.status_code == 303
    assert opened.headers["Location"].endswith("/cases/status")
    status = pages.get("/cases/status")
    assert status.select_one("h1").get_text() == f"案件 {case.number}"
    again = PageClient(app.test_client())
    used = again.get(f"/cases/link/{token}", status=410)
    assert "已使用過" in used.get_text()
    fresh = pages.client.get("/cases/status").get_data(as_text=True)
    replayed = pages.client.post(f"/cases/link/{token}", data={CSRF_FIELD: csrf_token_of(fresh)})
    assert replayed.status_code == 410


def test_an_expired_or_unknown_link_says_so(app: Flask, pages: PageClient, seeded: None) -> None:
    case = new_case(app)
    ask(pages, case.number, "huang@example.org")
    token = token_from_mail(app, case)
    with app.app_context():
        row = db.session.scalar(select(CaseLinkToken).where(CaseLinkToken.token_hash == token_hash(token)))
        assert row is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    expired = pages.get(f"/cases/link/{token}", status=410)
    assert "已過期" in expired.get_text()
    assert expired.select_one("a[href$='/cases/link']") is not None, "it offers a new link"
    assert press(pages, token).status_code == 410
    assert pages.get_response("/cases/status").status_code == 303, "no session was opened"
    unknown = pages.get("/cases/link/not-a-real-token", status=404)
    assert "無法使用" in unknown.get_text()
    pages.get("/cases/link/" + "x" * 200, status=404)


def test_link_requests_are_counted_and_locked_like_lookups(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    case = new_case(app)
    for _ in range(5):
        assert ask(pages, case.number, "guess@example.org").status_code == 200
    locked = ask(pages, case.number, "huang@example.org")
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert mails(app, case) == [], "locked, even with the right address"
    lookup = pages.post_form("/cases/lookup", {"number": case.number, "password": case.password})
    assert lookup.status_code == 429, "one lock for both ways in"


def test_guessing_passwords_locks_the_link_form_too(app: Flask, pages: PageClient, seeded: None) -> None:
    case = new_case(app)
    for _ in range(5):
        pages.post_form("/cases/lookup", {"number": case.number, "password": "WRONGPWD"})
    assert ask(pages, case.number, "huang@example.org").status_code == 429


def test_a_case_without_email_or_purged_never_matches(app: Flask, pages: PageClient, seeded: None) -> None:
    closed = new_case(app, CaseState.CLOSED)
    with app.app_context():
        from feedback.cases.models import Case

        stored = db.session.get(Case, closed.id)
        assert stored is not None
        stored.purged_at = utcnow()
        db.session.commit()
    assert ask(pages, closed.number, "huang@example.org").status_code == 200
    assert mails(app, closed) == []


@pytest.mark.parametrize(
    ("number", "email", "field"),
    [
        ("", "a@example.org", "number"),
        ("1150101-0001", "not an address", "email"),
        ("1150101-0001", "", "email"),
    ],
)
def test_a_bad_request_names_the_field(
    pages: PageClient, seeded: None, number: str, email: str, field: str
) -> None:
    page = pages.post_form_page("/cases/link", {"number": number, "email": email}, 400)
    assert page.select_one(f"#{field}-error") is not None


def test_spent_links_are_deleted_a_day_later(app: Flask, pages: PageClient, seeded: None) -> None:
    case = new_case(app)
    ask(pages, case.number, "huang@example.org")
    with app.app_context():
        now = utcnow()
        assert discard_spent_links(db.session, now) == 0
        assert discard_spent_links(db.session, now + timedelta(days=1, minutes=LINK_MINUTES + 1)) == 1
