"""Fixtures of the Open311 tests: a key that may send cases, and a specification-only client over the test client."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask_babel import refresh

from portal.apikeys.services import issue_key
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db
from tests.conftest import StaffAccount
from tests.feedback.cases.open311.spec_client import SpecClient

BASE = "/open311/v2"
CITIZEN = {
    "first_name": "雅婷",
    "last_name": "鄭",
    "email": "yating.cheng@example.org",
    "phone": "0912-345-678",
    "address_string": "基隆市信義區信二路266號3樓",
    "description": "巷口水管破裂，整晚都在漏水。\n路面已經積水。",
}


def flask_transport(
    client: Any, headers: Mapping[str, str] | None = None
) -> Callable[..., tuple[int, str, bytes]]:
    """A spec client's transport over a Flask test client."""

    def send(method: str, path: str, form: Mapping[str, str] | None) -> tuple[int, str, bytes]:
        if has_app_context():
            # The test's app context is shared by its requests: forget the last one's language.
            refresh()
        response = client.open(
            path, method=method, data=dict(form) if form is not None else None, headers=dict(headers or {})
        )
        return response.status_code, response.headers.get("Content-Type", ""), response.get_data()

    return send


@pytest.fixture
def make_key(app: Flask, make_staff: Callable[..., StaffAccount]) -> Callable[..., str]:
    """A key's token for a new account holding `roles`, with `scopes`."""

    def factory(*roles: Role, scopes: tuple[str, ...] = ("open311:submit",)) -> str:
        account = make_staff(*(roles or (Role.CASE_OFFICER,)))
        with app.app_context():
            staff = db.session.get(Staff, account.id)
            assert staff is not None
            issued = issue_key(staff, "city app", list(scopes))
            db.session.commit()
            return issued.token

    return factory


@pytest.fixture
def key(make_key: Callable[..., str]) -> str:
    return make_key()


@pytest.fixture
def spec(client: Any) -> SpecClient:
    return SpecClient(flask_transport(client), BASE)


def good_form(key: str, **changes: str) -> dict[str, str]:
    """A complete POST requests form for the complaint service."""
    return {"api_key": key, "service_code": "complaint", **CITIZEN, **changes}
