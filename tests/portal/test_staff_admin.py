"""Administrators manage staff accounts; every change is audited; the rules hold."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from portal.audit import REDACTED, AuditRecord
from portal.auth.models import Staff
from portal.auth.passwords import verify_password
from portal.auth.roles import Role
from portal.db import db
from portal.offices.models import Office
from tests.conftest import StaffAccount, log_in
from tests.support.pages import PageClient

NEW_PASSWORD = "temporary-start-phrase-31"


def office_id(app: Flask, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Office.id).where(Office.code == code))


def new_account_form(app: Flask, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "username": "chen.mei",
        "display_name": "陳美",
        "email": "chen.mei@example.gov.tw",
        "office_id": str(office_id(app, "XZ")),
        "roles": ["case_officer"],
        "active": "y",
        "password": NEW_PASSWORD,
    }
    form.update(changes)
    return form


def test_create_account(pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask) -> None:
    admin = sign_in(Role.ADMINISTRATOR)
    response = pages.post_form("/staff/accounts/new", new_account_form(app))
    assert response.status_code == 302
    listing = pages.get("/staff/accounts?q=chen")
    assert "chen.mei" in listing.select_one("table").get_text()
    with app.app_context():
        staff = db.session.scalar(select(Staff).where(Staff.username == "chen.mei"))
        assert staff.roles == {Role.CASE_OFFICER}
        assert staff.office.code == "XZ"
        assert staff.must_change_password
        record = db.session.scalar(
            select(AuditRecord).where(
                AuditRecord.entity == "staff",
                AuditRecord.action == "create",
                AuditRecord.entity_id == str(staff.id),
            )
        )
        assert record.actor_label == admin.username
        assert record.actor_id == admin.id
        assert record.before is None
        assert record.after["password_hash"] == REDACTED
        assert NEW_PASSWORD not in str(record.after)
        assert record.after["role_rows"] == ["case_officer"]
    # The new colleague signs in and must first choose a password.
    other = PageClient(app.test_client())
    assert log_in(other, "chen.mei", NEW_PASSWORD).status_code == 302
    assert other.get_response("/staff/").headers["Location"] == "/staff/account/password"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": ""}, "username"),
        ({"username": "Bad Name!"}, "username"),
        ({"username": "admin"}, "username"),
        ({"display_name": ""}, "display_name"),
        ({"email": "not-an-address"}, "email"),
        ({"roles": []}, "roles"),
        ({"roles": ["case_officer"], "office_id": ""}, "office_id"),
        ({"roles": ["superuser"]}, "roles"),
        ({"password": ""}, "password"),
        ({"password": "password12345"}, "password"),
        ({"password": "chen.mei-is-my-name"}, "password"),
        ({"office_id": "99999"}, "office_id"),
        ({"display_name": "名" * 121}, "display_name"),
    ],
)
def test_create_account_refusals(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask, changes: dict, field: str
) -> None:
    sign_in(Role.ADMINISTRATOR)
    form = new_account_form(app, **changes)
    page = pages.post_form_page("/staff/accounts/new", form, status=400)
    assert f"#{field}" in [a["href"] for a in page.select(".error-summary a")]
    if form["display_name"]:
        assert page.select_one("#display_name")["value"] == form["display_name"], "input kept"
    with app.app_context():
        count = db.session.scalar(select(Staff.id).where(Staff.display_name == "陳美"))
        assert count is None


def test_edit_roles_and_disable(
    pages: PageClient, sign_in: Callable[..., StaffAccount], make_staff, app: Flask
) -> None:
    sign_in(Role.ADMINISTRATOR)
    target = make_staff(Role.ANALYST)
    page = pages.get(f"/staff/accounts/{target.id}")
    assert page.select_one('input[value="analyst"]').has_attr("checked")
    response = pages.post_form(
        f"/staff/accounts/{target.id}",
        {
            "username": target.username,
            "display_name": "改名",
            "email": "",
            "office_id": "",
            "roles": ["publisher", "analyst"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        staff = db.session.get(Staff, target.id)
        assert staff.roles == {Role.PUBLISHER, Role.ANALYST}
        assert not staff.active
        record = db.session.scalars(
            select(AuditRecord).where(
                AuditRecord.entity == "staff",
                AuditRecord.entity_id == str(target.id),
                AuditRecord.action == "update",
            )
        ).one()
        assert record.before["active"] is True
        assert record.after["active"] is False
        assert record.before["role_rows"] == ["analyst"]
        assert record.after["role_rows"] == ["analyst", "publisher"]
        assert set(record.changed_fields()) == {"active", "display_name", "role_rows"}
    other = PageClient(app.test_client())
    assert log_in(other, target.username, target.password).status_code == 200


def test_reset_password_from_the_edit_form(pages: PageClient, sign_in, make_staff, app: Flask) -> None:
    sign_in(Role.ADMINISTRATOR)
    target = make_staff(Role.ANALYST)
    pages.post_form(
        f"/staff/accounts/{target.id}",
        {
            "username": target.username,
            "display_name": "x",
            "roles": ["analyst"],
            "active": "y",
            "password": NEW_PASSWORD,
        },
    )
    with app.app_context():
        staff = db.session.get(Staff, target.id)
        assert verify_password(staff.password_hash, NEW_PASSWORD)
        assert staff.must_change_password


def test_last_administrator_cannot_be_removed(pages: PageClient, sign_in, app: Flask) -> None:
    admin = sign_in(Role.ADMINISTRATOR)
    with app.app_context():
        others = db.session.scalars(select(Staff).where(Staff.id != admin.id)).all()
        for staff in others:
            staff.active = False
        db.session.commit()
    page = pages.post_form_page(
        f"/staff/accounts/{admin.id}",
        {"username": admin.username, "display_name": "x", "roles": ["analyst"], "active": "y"},
        status=400,
    )
    assert "#roles" in [a["href"] for a in page.select(".error-summary a")]
    with app.app_context():
        assert db.session.get(Staff, admin.id).roles == {Role.ADMINISTRATOR}


def test_unlock(pages: PageClient, sign_in, make_staff, app: Flask) -> None:
    sign_in(Role.ADMINISTRATOR)
    target = make_staff(Role.ANALYST)
    locked_out = PageClient(app.test_client())
    for _ in range(5):
        log_in(locked_out, target.username, "wrong-guess-password")
    page = pages.get(f"/staff/accounts/{target.id}")
    unlock_form = page.select_one(f'form[action="/staff/accounts/{target.id}/unlock"]')
    assert unlock_form is not None
    token = unlock_form.select_one('input[name="csrf_token"]')["value"]
    assert (
        pages.client.post(f"/staff/accounts/{target.id}/unlock", data={"csrf_token": token}).status_code
        == 302
    )
    assert log_in(locked_out, target.username, target.password).status_code == 302
    with app.app_context():
        assert db.session.scalar(
            select(AuditRecord).where(AuditRecord.action == "unlock", AuditRecord.entity_id == str(target.id))
        )


def test_unknown_account_is_not_found(pages: PageClient, sign_in) -> None:
    sign_in(Role.ADMINISTRATOR)
    pages.get("/staff/accounts/987654", status=404)
    pages.get("/staff/accounts/not-a-number", status=404)


def test_account_list_pages_and_searches(pages: PageClient, sign_in, make_staff) -> None:
    sign_in(Role.ADMINISTRATOR)
    for _ in range(22):
        make_staff(Role.ANALYST)
    first = pages.get("/staff/accounts")
    assert len(first.select("tbody tr")) == 20
    assert first.select_one('a[rel="next"]')["href"].endswith("page=2")
    last = pages.get("/staff/accounts?page=999")
    assert last.select("tbody tr"), "a page past the end shows the last page"
    pages.get("/staff/accounts?page=abc")
    nothing = pages.get("/staff/accounts?q=%25%25nobody")
    assert "沒有符合" in nothing.select_one("tbody").get_text()
