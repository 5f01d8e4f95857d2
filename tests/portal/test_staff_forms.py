"""Every staff form, found by walking the staff pages, sent with its optional fields empty.

Each staff page that answers GET is opened (URL parameters filled from the demo), and
every form on it is sent twice: with its optional fields left blank, as a browser sends
them, and with them left out, as a program may send them. Either way the answer is the
form again with its errors (400), a redirect or a page, never a server error.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from werkzeug.datastructures import MultiDict

from portal.apikeys.services import SCOPES, issue_key
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db
from tests.conftest import StaffAccount
from tests.support.forms import forms_on, submissions
from tests.support.pages import PageClient
from tests.support.routes import demo_values, staff_pages

SIGN_OUT = "/staff/logout"


def test_every_staff_form_takes_its_optional_fields_empty(
    app: Flask, pages: PageClient, sign_in: Callable[..., StaffAccount]
) -> None:
    account = sign_in(*Role)
    with app.app_context():  # a key, so that the key list shows its revoke form
        issue_key(db.session.get(Staff, account.id), "巡檢金鑰", list(SCOPES))
        db.session.commit()
    paths, unknown = staff_pages(app, demo_values(app))
    assert not unknown, (
        f"staff pages the walk cannot fill in (add them to tests/support/routes.py): {unknown}"
    )
    sent = 0
    for path in paths:
        page = pages.client.get(path)
        assert page.status_code == 200, f"GET {path}: {page.status_code}"
        if page.mimetype != "text/html":
            continue  # a download (CSV, ODS, PDF) carries no form
        for form in forms_on(page.get_data(as_text=True), path):
            if form.action.endswith(SIGN_OUT):
                continue
            for way, data in submissions(form).items():
                fields = MultiDict(data)
                if form.method == "GET":
                    response = pages.client.get(form.action, query_string=fields)
                else:
                    response = pages.client.post(form.action, data=fields)
                body = response.get_data(as_text=True)
                assert response.status_code < 500, (
                    f"{form.method} {form.action} ({way}, from {path}): {body[:300]}"
                )
                if response.status_code == 400 and form.method == "POST":
                    assert "error-summary" in body, f"{form.action} ({way}): 400 without an error summary"
                sent += 1
    assert sent >= 20, f"only {sent} submissions: the walk found too few forms"
