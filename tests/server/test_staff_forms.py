"""The staff area through the real server: every staff page, and every form with its optional fields empty.

The same walk as tests/portal/test_staff_forms.py, over HTTP. Ticked boxes stay ticked
here: the server's database is shared by the whole run, and unticking "published" would
take datasets away from the other server tests.
"""

from __future__ import annotations

import pytest
import requests
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from portal.apikeys.services import SCOPES, issue_key
from portal.auth.roles import Role
from portal.auth.services import StaffDetails, create_staff
from portal.db import db
from portal.offices.models import Office
from tests.server.answers import missing_security_headers
from tests.server.conftest import Server
from tests.support.forms import forms_on, submissions
from tests.support.routes import demo_values, staff_pages

pytestmark = pytest.mark.server

USERNAME = "server.walker"
PASSWORD = "walk-every-staff-form-17"
SIGN_OUT = "/staff/logout"


@pytest.fixture(scope="module")
def staff_client(server: Server, site_app: Flask) -> requests.Session:
    """A client signed in to the server with every role."""
    with site_app.app_context():
        office_id = db.session.scalar(select(Office.id).order_by(Office.id).limit(1))
        details = StaffDetails(USERNAME, "巡檢測試人員", None, office_id, frozenset(Role))
        walker = create_staff(details, PASSWORD, must_change_password=False)
        issue_key(walker, "巡檢金鑰", list(SCOPES))  # so that the key list shows its revoke form
        db.session.commit()
    client = requests.Session()
    login = client.get(server.url + "/staff/login", timeout=10)
    token = BeautifulSoup(login.text, "html.parser").find("input", attrs={"name": "csrf_token"})["value"]
    answer = client.post(
        server.url + "/staff/login",
        data={"csrf_token": token, "username": USERNAME, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:300]
    return client


def test_every_staff_page_and_form(server: Server, site_app: Flask, staff_client: requests.Session) -> None:
    paths, unknown = staff_pages(site_app, demo_values(site_app))
    assert not unknown, unknown
    sent = 0
    for path in paths:
        page = staff_client.get(server.url + path, timeout=30, allow_redirects=False)
        assert page.status_code == 200, f"GET {path}: {page.status_code}"
        assert not missing_security_headers(page), path
        assert page.headers["Cache-Control"] == "no-store", path
        for form in forms_on(page.text, path):
            if form.action.endswith(SIGN_OUT):
                continue
            for way, data in submissions(form, untick=False).items():
                field = "params" if form.method == "GET" else "data"
                answer = staff_client.request(
                    form.method,
                    server.url + form.action,
                    timeout=30,
                    allow_redirects=False,
                    **{field: data},  # type: ignore[arg-type]
                )
                where = f"{form.method} {form.action} ({way}, from {path})"
                assert answer.status_code < 500, f"{where}: {answer.text[:300]}"
                assert not missing_security_headers(answer), where
                sent += 1
    assert sent >= 20, f"only {sent} submissions"
