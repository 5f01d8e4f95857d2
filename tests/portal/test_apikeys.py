"""API keys in the staff pages: the secret is shown once and stored only as a hash, audits, revoking, English."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from portal.apikeys.models import ApiKey
from portal.apikeys.services import issue_key
from portal.audit import REDACTED, AuditRecord
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db, utcnow
from tests.conftest import StaffAccount, log_in
from tests.support.pages import PageClient, check_page, csrf_token_of

URL = "/staff/api-keys"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def create_key(
    pages: PageClient,
    name: str = "每日停水資料自動發布",
    scopes: tuple[str, ...] = ("datasets:publish",),
    prefix: str = "",
) -> TestResponse:
    """Submit the new-key form."""
    return pages.post_form(f"{prefix}{URL}", {"name": name, "scopes": list(scopes), "lifetime": "30"})


def keys_of(app: Flask, staff_id: int) -> list[ApiKey]:
    with app.app_context():
        return list(db.session.scalars(select(ApiKey).where(ApiKey.staff_id == staff_id)))


def audit_records(app: Flask, key_id: int) -> list[AuditRecord]:
    with app.app_context():
        query = select(AuditRecord).where(
            AuditRecord.entity == "api_key", AuditRecord.entity_id == str(key_id)
        )
        return list(db.session.scalars(query.order_by(AuditRecord.id)))


def issue_for(app: Flask, staff_id: int, name: str = "nightly") -> ApiKey:
    with app.app_context():
        issued = issue_key(db.session.get(Staff, staff_id), name, ["datasets:publish"])
        db.session.commit()
        return issued.key


def test_new_key_is_shown_once_and_stored_as_a_hash(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    account = sign_in(Role.PUBLISHER)
    response = create_key(pages)
    assert response.status_code == 200
    token = check_page(response, URL).select_one("code.token").get_text()
    assert re.fullmatch(r"pk_[0-9a-f]{12}_[A-Za-z0-9_-]{40,}", token)
    [key] = keys_of(app, account.id)
    assert key.secret_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert token.startswith(f"pk_{key.prefix}_")
    assert key.name == "每日停水資料自動發布"
    assert key.scopes == ["datasets:publish"]
    assert key.expires_at is not None
    assert abs(key.expires_at - (utcnow() + timedelta(days=30))) < timedelta(minutes=5)
    with app.app_context():
        row = db.session.execute(select(ApiKey.__table__).where(ApiKey.id == key.id)).one()
    assert all(token not in str(value) for value in row)

    later = pages.client.get(URL).get_data(as_text=True)
    assert token not in later
    assert key.prefix in later
    assert not pages.get(URL).select("code.token")

    [created] = audit_records(app, key.id)
    assert (created.action, created.actor_id) == ("create", account.id)
    assert created.after["secret_hash"] == REDACTED
    assert created.after["prefix"] == key.prefix
    with app.app_context():
        everything = db.session.scalars(select(AuditRecord)).all()
        dumped = json.dumps([[entry.before, entry.after] for entry in everything], ensure_ascii=False)
    assert token not in dumped
    assert key.secret_hash not in dumped


def test_analyst_has_no_scope_to_grant(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    account = sign_in(Role.ANALYST)
    page = pages.get(URL)
    assert not page.select('input[name="scopes"]')
    assert "您的角色沒有可以交給金鑰的權限" in page.select_one("main").get_text()
    response = create_key(pages)
    assert response.status_code == 400
    assert "pk_" not in response.get_data(as_text=True)
    assert keys_of(app, account.id) == []


def test_form_errors_keep_what_was_typed(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    account = sign_in(Role.PUBLISHER)
    empty_name = create_key(pages, name="  ")
    assert empty_name.status_code == 400
    page = check_page(empty_name, URL)
    assert "#name" in [link["href"] for link in page.select(".error-summary a")]
    assert "請說明這把金鑰的用途" in page.select_one(".error-summary").get_text()

    no_scope = create_key(pages, name="夜間排程", scopes=())
    assert no_scope.status_code == 400
    page = check_page(no_scope, URL)
    assert "#scopes" in [link["href"] for link in page.select(".error-summary a")]
    assert page.select_one("input#name")["value"] == "夜間排程"
    assert page.select_one('input[name="scopes"]').get("checked") is None
    assert not page.select("code.token")
    assert keys_of(app, account.id) == []


def revoke(pages: PageClient, key_id: int) -> TestResponse:
    token = csrf_token_of(pages.client.get(URL).get_data(as_text=True))
    return pages.client.post(f"{URL}/{key_id}/revoke", data={"csrf_token": token})


def test_only_the_owner_or_an_administrator_revokes(
    pages: PageClient,
    sign_in: Callable[..., StaffAccount],
    make_staff: Callable[..., StaffAccount],
    app: Flask,
) -> None:
    owner = make_staff(Role.PUBLISHER)
    key = issue_for(app, owner.id, name="owner's key")
    sign_in(Role.PUBLISHER)
    assert key.prefix not in pages.client.get(URL).get_data(as_text=True)
    assert revoke(pages, key.id).status_code == 403
    assert keys_of(app, owner.id)[0].revoked_at is None

    admin_pages = PageClient(app.test_client())
    admin = make_staff(Role.ADMINISTRATOR)
    assert log_in(admin_pages, admin.username, admin.password).status_code == 302
    assert key.prefix in admin_pages.get(URL).select_one("table").get_text()
    response = revoke(admin_pages, key.id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(URL)
    [revoked] = keys_of(app, owner.id)
    assert revoked.revoked_at is not None
    update = audit_records(app, key.id)[-1]
    assert (update.action, update.actor_id) == ("update", admin.id)
    assert update.before["revoked_at"] is None
    assert update.after["revoked_at"] is not None
    page = admin_pages.get(URL)
    assert f"已撤銷金鑰 {key.prefix}" in page.get_text()
    row = next(row for row in page.select("tbody tr") if key.prefix in row.get_text())
    assert "已撤銷" in row.get_text()
    assert not row.select("form")


def test_owner_revokes_their_own_key(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    account = sign_in(Role.PUBLISHER)
    key = issue_for(app, account.id)
    assert revoke(pages, key.id).status_code == 302
    assert keys_of(app, account.id)[0].revoked_at is not None
    assert revoke(pages, 2_000_000_000).status_code == 404


def main_text_without(page: BeautifulSoup, *own_data: str) -> str:
    text = page.select_one("main").get_text(" ")
    for value in own_data:
        text = text.replace(value, "")
    return text


def test_english_page_is_translated(
    pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask
) -> None:
    account = sign_in(Role.PUBLISHER)
    english = f"/en{URL}"
    with app.app_context():
        display_name = db.session.get(Staff, account.id).display_name
    errors = check_page(create_key(pages, name="", prefix="/en"), english)
    assert "Say what this key is for." in errors.select_one(".error-summary").get_text()
    assert not CJK.findall(main_text_without(errors, display_name))

    created = create_key(pages, name="Nightly outage upload", prefix="/en")
    assert created.status_code == 200
    page = check_page(created, english)
    assert page.select_one("code.token").get_text().startswith("pk_")
    assert not CJK.findall(main_text_without(page, display_name))
    [key] = keys_of(app, account.id)
    assert "Publish new releases of datasets" in page.select_one("tbody").get_text()

    token = csrf_token_of(pages.client.get(english).get_data(as_text=True))
    response = pages.client.post(f"{english}/{key.id}/revoke", data={"csrf_token": token})
    assert response.headers["Location"].endswith(english)
    page = pages.get(english)
    assert f"Key {key.prefix} revoked." in page.get_text()
    assert not CJK.findall(main_text_without(page, display_name))
    assert not CJK.findall(page.select_one("h1").get_text() + page.title.get_text())


def test_the_dashboard_links_publishers_to_their_keys(
    pages: PageClient, sign_in: Callable[..., StaffAccount]
) -> None:
    sign_in(Role.PUBLISHER)
    dashboard = pages.get("/staff/")
    assert dashboard.find("a", href=URL) is not None
    assert dashboard.find("a", href="/developers") is not None
    english = pages.get("/en/staff/")
    assert english.find("a", href=f"/en{URL}").get_text(strip=True) == "API keys"


def test_the_dashboard_shows_no_keys_card_to_staff_no_key_can_serve(
    pages: PageClient, sign_in: Callable[..., StaffAccount]
) -> None:
    sign_in(Role.ANALYST)
    assert pages.get("/staff/").find("a", href=URL) is None
