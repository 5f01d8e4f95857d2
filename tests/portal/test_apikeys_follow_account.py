"""API keys follow their account: suspended by a password reset or change until the owner
confirms each one, revoked when the account is disabled."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.apikeys.models import ApiKey
from portal.apikeys.services import issue_key
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.auth.services import reset_password, set_active
from portal.db import db
from tests.conftest import StaffAccount, log_in
from tests.support.pages import PageClient, csrf_token_of


def issue(app: Flask, staff_id: int, name: str) -> str:
    with app.app_context():
        token = issue_key(db.session.get(Staff, staff_id), name, ["datasets:publish"]).token
        db.session.commit()
        return token


def answer_to(client: FlaskClient, token: str) -> int:
    """What the API answers the key: 404 for a job that does not exist when the key works, 401 when it does not."""
    return client.get("/api/v1/jobs/987654", headers={"Authorization": f"Bearer {token}"}).status_code


def key_rows(app: Flask, staff_id: int) -> list[ApiKey]:
    with app.app_context():
        return list(db.session.scalars(select(ApiKey).where(ApiKey.staff_id == staff_id).order_by(ApiKey.id)))


def test_an_administrators_reset_suspends_the_keys_until_the_owner_confirms_each(
    pages: PageClient,
    sign_in: Callable[..., StaffAccount],
    make_staff: Callable[..., StaffAccount],
    app: Flask,
) -> None:
    owner = make_staff(Role.PUBLISHER)
    first, second = issue(app, owner.id, "nightly"), issue(app, owner.id, "weekly")
    client = app.test_client()
    assert answer_to(client, first) == 404
    sign_in(Role.ADMINISTRATOR)
    page = pages.get(f"/staff/accounts/{owner.id}")
    form = {field["name"]: field.get("value", "") for field in page.select("form:not([action]) input")}
    form.update(
        {"password": "a-temporary-passphrase-77", "roles": ["publisher"], "office_id": "", "active": "y"}
    )
    response = pages.client.post(f"/staff/accounts/{owner.id}", data=form, follow_redirects=True)
    assert "已暫停" in response.get_data(as_text=True), "the administrator is told which keys wait"
    assert [answer_to(client, token) for token in (first, second)] == [401, 401]
    assert all(row.suspended_at is not None for row in key_rows(app, owner.id))

    owner_browser = PageClient(app.test_client())
    assert log_in(owner_browser, owner.username, "a-temporary-passphrase-77").status_code == 302
    new = "the-owners-own-passphrase-19"
    token = csrf_token_of(owner_browser.client.get("/staff/account/password").get_data(as_text=True))
    owner_browser.client.post(
        "/staff/account/password",
        data={
            "csrf_token": token,
            "current_password": "a-temporary-passphrase-77",
            "new_password": new,
            "confirm_password": new,
        },
    )
    keys_page = owner_browser.get("/staff/api-keys")
    confirm_forms = keys_page.select('form[action$="/confirm"]')
    assert len(confirm_forms) == 2, "each suspended key has its own confirmation"
    first_row = key_rows(app, owner.id)[0]
    action = f"/staff/api-keys/{first_row.id}/confirm"
    csrf = keys_page.select_one(f'form[action="{action}"] input[name="csrf_token"]')["value"]
    assert owner_browser.client.post(action, data={"csrf_token": csrf}).status_code == 302
    assert [answer_to(client, token) for token in (first, second)] == [404, 401]


def test_nobody_but_the_owner_confirms_a_key(
    pages: PageClient,
    sign_in: Callable[..., StaffAccount],
    make_staff: Callable[..., StaffAccount],
    app: Flask,
) -> None:
    owner = make_staff(Role.PUBLISHER)
    issue(app, owner.id, "nightly")
    with app.app_context():
        reset_password(db.session.get(Staff, owner.id), "a-temporary-passphrase-77")
        db.session.commit()
    key = key_rows(app, owner.id)[0]
    sign_in(Role.ADMINISTRATOR)
    page = pages.get("/staff/api-keys")
    assert not page.select(f'form[action="/staff/api-keys/{key.id}/confirm"]')
    csrf = page.select_one('input[name="csrf_token"]')["value"]
    assert (
        pages.client.post(f"/staff/api-keys/{key.id}/confirm", data={"csrf_token": csrf}).status_code == 403
    )
    assert key_rows(app, owner.id)[0].suspended_at is not None


def test_the_owners_own_change_suspends_the_keys_and_says_so(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    owner = sign_in(Role.PUBLISHER)
    token = issue(app, owner.id, "nightly")
    new = "another-long-passphrase-55"
    csrf = csrf_token_of(pages.client.get("/staff/account/password").get_data(as_text=True))
    response = pages.client.post(
        "/staff/account/password",
        data={
            "csrf_token": csrf,
            "current_password": owner.password,
            "new_password": new,
            "confirm_password": new,
        },
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "API 金鑰" in text
    assert "已暫停" in text
    assert answer_to(app.test_client(), token) == 401
    assert "暫停" in pages.get("/staff/").get_text(), "the dashboard card says keys wait"


def test_disabling_an_account_revokes_its_keys(make_staff: Callable[..., StaffAccount], app: Flask) -> None:
    owner = make_staff(Role.PUBLISHER)
    token = issue(app, owner.id, "nightly")
    with app.app_context():
        set_active(db.session.get(Staff, owner.id), False)
        db.session.commit()
        set_active(db.session.get(Staff, owner.id), True)
        db.session.commit()
    assert key_rows(app, owner.id)[0].revoked_at is not None
    assert answer_to(app.test_client(), token) == 401, (
        "enabling the account again does not bring the key back"
    )
