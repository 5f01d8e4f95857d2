"""Fixtures of the staff case pages: cases opened today at an office, and signed-in clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, g, has_app_context

from feedback.cases.calendar import office_calendar
from feedback.cases.handling import local_day
from feedback.cases.intake import CaseDraft, IntakeKeys, OpenedCase, open_case
from feedback.cases.models import Case
from feedback.cases.states import Channel
from portal.auth.roles import Role
from portal.db import db, utcnow
from tests.conftest import StaffAccount, log_in
from tests.support.pages import PageClient, csrf_token_of


def keys(app: Flask) -> IntakeKeys:
    return IntakeKeys(password_key=app.config["CASE_PASSWORD_KEY"], email_key=app.config["SECRET_KEY"])


@pytest.fixture
def open_today(app: Flask, app_context: None) -> Callable[..., OpenedCase]:
    """Open a case received today (Taipei) at `office`, committed on the test's transaction."""

    def factory(office: str = "KL", type_code: str = "complaint", **fields: Any) -> OpenedCase:
        values: dict[str, Any] = {
            "subject": "水壓不足",
            "description": "每天早上七點水壓很低",
            "contact_name": "王小明",
            "contact_email": "ming@example.org",
            "contact_phone": "0912-345-678",
            "address": "基隆市信義區信二路100號",
            "channel": Channel.COUNTER,
        }
        values.update(fields)
        draft = CaseDraft(type_code=type_code, office_code=office, **values)
        opened = open_case(
            db.session,
            draft,
            today=local_day(utcnow()),
            calendar=office_calendar(),
            keys=keys(app),
            needs_confirmation=False,
        )
        db.session.commit()
        return opened

    return factory


@pytest.fixture
def client_as(
    app: Flask, app_context: None, make_staff: Callable[..., StaffAccount]
) -> Callable[..., tuple[PageClient, StaffAccount]]:
    """A fresh signed-in client for a new account with `roles` (several may be used in one test)."""

    def factory(*roles: Role, **kwargs: Any) -> tuple[PageClient, StaffAccount]:
        account = make_staff(*roles, **kwargs)
        forget_request_state()
        pages = PageClient(app.test_client())
        response = log_in(pages, account.username, account.password)
        assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
        return pages, account

    return factory


def forget_request_state() -> None:
    """Drop what Flask-WTF and Flask-Babel keep in `g` (the CSRF token, the locale).

    Requests of the test client share the test's application context (and its `g`), so
    one client's token would be offered to the next client, and one request's language
    would answer the next.
    """
    if has_app_context():
        g.pop("csrf_token", None)
        g.pop("_flask_babel", None)


def token(pages: PageClient, url: str = "/staff/cases/") -> str:
    """A CSRF token of the client's session (every form of the session shares it)."""
    forget_request_state()
    return csrf_token_of(pages.client.get(url).get_data(as_text=True))


def reload(case: Case) -> Case:
    db.session.expire_all()
    found = db.session.get(Case, case.id)
    assert found is not None
    return found
