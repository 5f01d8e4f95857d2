"""The audit log records every staff write, with before and after, and administrators can browse it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import func, select

from portal import audit
from portal.audit import AuditRecord
from portal.auth.roles import Role
from portal.db import db
from portal.offices.models import Office
from portal.pages.models import Page
from tests.conftest import StaffAccount
from tests.support.pages import PageClient


def count_records(**where: str) -> int:
    query = select(func.count(AuditRecord.id))
    for column, value in where.items():
        query = query.where(getattr(AuditRecord, column) == value)
    return db.session.scalar(query) or 0


def test_change_and_its_record_commit_together(app_context: None) -> None:
    with audit.acting_as("cli:tester"):
        office = Office(code="ZZ", name_zh="測試所", name_en="Test Office")
        db.session.add(office)
        db.session.commit()
        record = db.session.scalars(
            select(AuditRecord).where(AuditRecord.entity == "office", AuditRecord.entity_id == str(office.id))
        ).one()
    assert record.action == "create"
    assert record.actor_label == "cli:tester"
    assert record.actor_id is None
    assert record.after["code"] == "ZZ"


def test_rolled_back_change_leaves_no_record(app_context: None) -> None:
    before = count_records(entity="office")
    db.session.add(Office(code="YY", name_zh="不存在", name_en="Never"))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert count_records(entity="office") == before


def test_update_records_only_what_changed_and_delete_keeps_the_last_values(app_context: None) -> None:
    page = Page(slug="audit-test", title_zh="舊標題", title_en="Old", body_zh="內文", body_en="Body")
    db.session.add(page)
    db.session.commit()
    page.title_zh = "新標題"
    db.session.commit()
    update = db.session.scalars(
        select(AuditRecord).where(
            AuditRecord.entity_id == str(page.id),
            AuditRecord.action == "update",
            AuditRecord.entity == "page",
        )
    ).one()
    assert update.before["title_zh"] == "舊標題"
    assert update.after["title_zh"] == "新標題"
    assert "title_zh" in update.changed_fields()
    page_id = page.id
    db.session.delete(page)
    db.session.commit()
    deletion = db.session.scalars(
        select(AuditRecord).where(
            AuditRecord.entity_id == str(page_id),
            AuditRecord.action == "delete",
            AuditRecord.entity == "page",
        )
    ).one()
    assert deletion.before["title_zh"] == "新標題"
    assert deletion.after is None


def test_created_and_deleted_in_one_transaction_is_not_recorded(app_context: None) -> None:
    before = count_records(entity="page")
    page = Page(slug="fleeting", title_zh="暫時", title_en="Fleeting")
    db.session.add(page)
    db.session.flush()
    db.session.delete(page)
    db.session.commit()
    assert count_records(entity="page") == before


def test_browse_and_filter(pages: PageClient, sign_in: Callable[..., StaffAccount], app: Flask) -> None:
    admin = sign_in(Role.ADMINISTRATOR)
    listing = pages.get(f"/staff/audit/?actor={admin.username}&action=login")
    rows = listing.select("tbody tr")
    assert len(rows) == 1
    assert admin.username in rows[0].get_text()
    detail_link = rows[0].select_one("a")["href"]
    detail = pages.get(detail_link)
    assert "login" in detail.select_one(".details").get_text()
    pages.get("/staff/audit/?entity=staff&since=2000-01-01&until=2999-12-31")
    pages.get("/staff/audit/999999999", status=404)


def test_browse_shows_before_and_after(pages: PageClient, sign_in: Callable[..., StaffAccount]) -> None:
    sign_in(Role.ADMINISTRATOR)
    response = pages.post_form(
        "/staff/offices/new",
        {"code": "AU", "name_zh": "稽核所", "name_en": "Audit Office", "sort_order": "5", "active": "y"},
    )
    assert response.status_code == 302
    listing = pages.get("/staff/audit/?entity=office&action=create")
    detail = pages.get(listing.select_one("tbody a")["href"])
    changed = {
        row.th.contents[0].strip(): row.select("td")[1].get_text(strip=True)
        for row in detail.select("tbody tr.changed")
    }
    assert changed["code"].startswith("AU")


def test_bad_dates_get_a_message(pages: PageClient, sign_in: Callable[..., StaffAccount]) -> None:
    sign_in(Role.ADMINISTRATOR)
    page = pages.get("/staff/audit/?since=yesterday&until=2026-13-45", status=400)
    messages = page.select(".error-summary li")
    assert len(messages) == 2


def test_only_administrators_see_the_log(pages: PageClient, sign_in: Callable[..., StaffAccount]) -> None:
    sign_in(Role.PUBLISHER)
    pages.get("/staff/audit/", status=403)
