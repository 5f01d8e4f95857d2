"""A case's staff page: masked contact and its logged opening, the timeline, and each handling action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, select

from feedback.cases.calendar import office_calendar
from feedback.cases.handling import local_day
from feedback.cases.intake import CaseDraft, open_case
from feedback.cases.models import Case, CaseMail, OfficeDay
from feedback.cases.states import Channel
from portal.audit import AuditRecord
from portal.auth.roles import Role
from portal.db import db, utcnow
from portal.offices.models import Office
from tests.feedback.cases.staff.conftest import forget_request_state, keys, reload, token
from tests.support.pages import PageClient

Officer = Role.CASE_OFFICER


@pytest.fixture
def officer(client_as: Callable[..., Any]) -> tuple[PageClient, Any]:
    return client_as(Officer, office_code="KL")


def post(pages: PageClient, url: str, data: dict[str, Any]) -> Any:
    return pages.client.post(url, data={"csrf_token": token(pages), **data})


def mails_of(case: Case) -> list[CaseMail]:
    return list(db.session.scalars(select(CaseMail).where(CaseMail.case_id == case.id).order_by(CaseMail.id)))


def test_the_page_masks_the_contact_until_asked_and_the_opening_is_audited(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL", contact_name="陳大文", contact_email="tai.man@example.org").case
    pages, account = officer
    html = str(pages.get(f"/staff/cases/{case.number}"))
    assert "陳○文" in html
    assert "tai.man@example.org" not in html
    assert "0912-345-678" not in html
    assert "信二路100號" not in html
    assert "每天早上七點水壓很低" in html  # the officer reads what the case is about
    response = post(pages, f"/staff/cases/{case.number}/contact", {})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    shown = response.get_data(as_text=True)
    assert "陳大文" in shown
    assert "tai.man@example.org" in shown
    assert "基隆市信義區信二路100號" in shown
    audit = db.session.scalars(
        select(AuditRecord).where(
            AuditRecord.action == "case.contact_viewed", AuditRecord.entity_id == case.number
        )
    ).all()
    assert [entry.actor_id for entry in audit] == [account.id]
    assert "陳大文" not in str(audit[0].after)


def test_opening_the_contact_without_the_form_s_token_is_refused(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL").case
    pages, _account = officer
    assert pages.client.post(f"/staff/cases/{case.number}/contact").status_code == 400
    assert not db.session.scalars(
        select(AuditRecord).where(AuditRecord.action == "case.contact_viewed")
    ).all()


def test_a_reply_moves_the_case_is_shown_to_the_citizen_and_mailed(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL").case
    pages, account = officer
    assert post(pages, f"/staff/cases/{case.number}/move", {"move-target": "in_progress"}).status_code == 302
    response = post(
        pages, f"/staff/cases/{case.number}/move", {"move-target": "replied", "move-reply": "已調整水壓"}
    )
    assert response.status_code == 302
    case = reload(case)
    assert case.state == "replied"
    assert case.completed_in_time is True
    reply = next(event for event in case.events if event.kind == "reply")
    assert (reply.public, reply.body, reply.staff_id) == (True, "已調整水壓", account.id)
    assert any("已調整水壓" in mail.body for mail in mails_of(case))


def test_replying_without_a_reply_or_moving_where_the_lifecycle_forbids_is_refused(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL").case
    pages, _account = officer
    empty = post(pages, f"/staff/cases/{case.number}/move", {"move-target": "replied", "move-reply": ""})
    assert empty.status_code == 400
    assert "請填寫回覆民眾的內容" in empty.get_data(as_text=True)
    backwards = post(pages, f"/staff/cases/{case.number}/move", {"move-target": "received"})
    assert backwards.status_code == 400
    assert reload(case).state == "assigned"
    csrf = token(pages)
    forget_request_state()
    english = pages.client.post(
        f"/en/staff/cases/{case.number}/move", data={"csrf_token": csrf, "move-target": "replied"}
    )
    assert english.status_code == 400
    assert "please write the reply" in english.get_data(as_text=True).lower()


def test_an_internal_note_is_on_the_staff_timeline_only(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL").case
    pages, _account = officer
    assert (
        post(pages, f"/staff/cases/{case.number}/note", {"note-note": "已請工務課查看管線"}).status_code
        == 302
    )
    assert "已請工務課查看管線" in str(pages.get(f"/staff/cases/{case.number}"))
    note = next(event for event in reload(case).events if event.kind == "note")
    assert note.public is False
    assert post(pages, f"/staff/cases/{case.number}/note", {"note-note": "   "}).status_code == 400


def test_an_extension_needs_a_reason_and_moves_the_due_date(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL").case
    due = case.due_on
    pages, _account = officer
    refused = post(pages, f"/staff/cases/{case.number}/extend", {"extend-days": "3", "extend-reason": ""})
    assert refused.status_code == 400
    assert "延長處理期限必須說明原因" in refused.get_data(as_text=True)
    too_many = post(pages, f"/staff/cases/{case.number}/extend", {"extend-days": "999", "extend-reason": "x"})
    assert too_many.status_code == 400
    assert reload(case).due_on == due
    done = post(
        pages,
        f"/staff/cases/{case.number}/extend",
        {"extend-days": "3", "extend-reason": "需會同工務單位現勘"},
    )
    assert done.status_code == 302
    case = reload(case)
    assert case.due_on is not None
    assert due is not None
    assert case.due_on > due
    extension = next(event for event in case.events if event.kind == "extension")
    assert (extension.public, extension.days, extension.body) == (True, 3, "需會同工務單位現勘")


def test_a_transfer_moves_the_case_out_of_the_officer_s_reach(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL").case
    pages, _account = officer
    assert post(pages, f"/staff/cases/{case.number}/transfer", {"transfer-office": "KL"}).status_code == 400
    response = post(pages, f"/staff/cases/{case.number}/transfer", {"transfer-office": "XZ"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/cases/")
    case = reload(case)
    assert (case.transfers, case.misdirected) == (1, True)  # re-routed on the day it came in
    pages.get(f"/staff/cases/{case.number}", status=404)


def test_merging_needs_a_case_the_officer_may_see(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    duplicate, original, elsewhere = open_today("KL").case, open_today("KL").case, open_today("XZ").case
    pages, _account = officer
    for target in ("9999999-9999", elsewhere.number, duplicate.number):
        refused = post(pages, f"/staff/cases/{duplicate.number}/merge", {"merge-into": target})
        assert refused.status_code == 400, target
    assert reload(duplicate).merged_into_id is None
    assert (
        post(pages, f"/staff/cases/{duplicate.number}/merge", {"merge-into": original.number}).status_code
        == 302
    )
    merged = reload(duplicate)
    assert (merged.state, merged.merged_into_id) == ("closed", original.id)


def test_a_section_173_closure_records_its_reason(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL").case
    pages, _account = officer
    assert (
        post(pages, f"/staff/cases/{case.number}/no-reply", {"no_reply-reason": "bogus"}).status_code == 400
    )
    response = post(
        pages,
        f"/staff/cases/{case.number}/no-reply",
        {"no_reply-reason": "repeated", "no_reply-note": "同一事由已答覆"},
    )
    assert response.status_code == 302
    closed = reload(case)
    assert (closed.state, closed.no_reply_reason) == ("closed", "repeated")
    assert "同一事由已適當處理" in str(pages.get(f"/staff/cases/{case.number}"))


def test_assigning_on_the_page_and_back_to_the_office(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any], make_staff: Callable[..., Any]
) -> None:
    case = open_today("KL").case
    pages, account = officer
    colleague = make_staff(Officer, office_code="KL")
    assert (
        post(pages, f"/staff/cases/{case.number}/assign", {"assign-officer": str(colleague.id)}).status_code
        == 302
    )
    assert reload(case).assigned_to_id == colleague.id
    assert post(pages, f"/staff/cases/{case.number}/assign", {"assign-officer": ""}).status_code == 302
    assert reload(case).assigned_to_id is None
    assert post(pages, f"/staff/cases/{case.number}/assign", {"assign-officer": "999999"}).status_code == 400
    assert account.id != colleague.id


def test_the_pages_work_in_english(open_today: Callable[..., Any], officer: tuple[PageClient, Any]) -> None:
    case = open_today("KL").case
    pages, _account = officer
    forget_request_state()
    page = pages.get(f"/en/staff/cases/{case.number}")
    assert "Case" in page.h1.get_text()
    forget_request_state()
    pages.get("/en/staff/cases/")


def test_a_closed_case_is_not_transferred(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL").case
    pages, _account = officer
    assert post(pages, f"/staff/cases/{case.number}/move", {"move-target": "closed"}).status_code == 302
    refused = post(pages, f"/staff/cases/{case.number}/transfer", {"transfer-office": "XZ"})
    assert refused.status_code == 400
    assert "只有處理中的案件可以移轉" in refused.get_data(as_text=True)
    case = reload(case)
    assert (case.office_id, case.transfers) == (open_today("KL").case.office_id, 0)
    assert not [event for event in case.events if event.kind == "transfer"]


def test_a_day_missing_from_the_office_calendar_refuses_a_transfer_or_reopening_with_the_reason(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case, closed = open_today("KL").case, open_today("KL").case
    pages, _account = officer
    assert post(pages, f"/staff/cases/{closed.number}/move", {"move-target": "closed"}).status_code == 302
    today = local_day(utcnow())
    closed, case = reload(closed), db.session.get(Case, case.id)
    assert closed is not None
    assert case is not None
    closed.closed_at = utcnow() - timedelta(days=5)
    case.queued_on = today - timedelta(days=5)
    db.session.execute(delete(OfficeDay).where(OfficeDay.day == today - timedelta(days=2)))
    db.session.commit()
    missing = (today - timedelta(days=2)).isoformat()
    moved = post(pages, f"/staff/cases/{case.number}/transfer", {"transfer-office": "XZ"})
    assert moved.status_code == 400
    assert f"辦公日曆缺少 {missing}" in moved.get_data(as_text=True)
    reopened = post(pages, f"/staff/cases/{closed.number}/move", {"move-target": "in_progress"})
    assert reopened.status_code == 400
    assert f"辦公日曆缺少 {missing}" in reopened.get_data(as_text=True)
    assert (reload(case).transfers, reload(closed).state) == (0, "closed")


def test_a_merged_case_is_not_reopened(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    duplicate, original = open_today("KL").case, open_today("KL").case
    pages, _account = officer
    assert (
        post(pages, f"/staff/cases/{duplicate.number}/merge", {"merge-into": original.number}).status_code
        == 302
    )
    page = pages.get(f"/staff/cases/{duplicate.number}")
    assert not page.select_one("#move-target")  # the original carries it on
    refused = post(pages, f"/staff/cases/{duplicate.number}/move", {"move-target": "in_progress"})
    assert refused.status_code == 400
    assert reload(duplicate).state == "closed"


def test_the_transfer_is_confirmed_with_the_office_s_name_in_the_visitor_s_language(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case = open_today("KL").case
    pages, _account = officer
    xizhi = db.session.scalar(select(Office).where(Office.code == "XZ"))
    assert xizhi is not None
    csrf = token(pages)
    forget_request_state()
    moved = pages.client.post(
        f"/en/staff/cases/{case.number}/transfer", data={"csrf_token": csrf, "transfer-office": "XZ"}
    )
    assert moved.status_code == 302
    forget_request_state()
    flash = pages.get(moved.headers["Location"]).select_one(".flash")
    assert flash is not None
    assert xizhi.name_en in flash.get_text()
    assert xizhi.name_zh not in flash.get_text()


def test_the_citizen_s_mail_links_to_the_lookup_page_in_the_citizen_s_language_not_the_officer_s(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    chinese, english = open_today("KL").case, open_today("KL", language="en").case
    pages, _account = officer
    csrf = token(pages)
    forget_request_state()
    moved = pages.client.post(
        f"/en/staff/cases/{chinese.number}/move", data={"csrf_token": csrf, "move-target": "in_progress"}
    )
    assert moved.status_code == 302
    forget_request_state()
    assert (
        post(pages, f"/staff/cases/{english.number}/move", {"move-target": "in_progress"}).status_code == 302
    )
    (to_chinese,) = [mail.body for mail in mails_of(chinese) if mail.kind != "receipt"]
    (to_english,) = [mail.body for mail in mails_of(english) if mail.kind != "receipt"]
    assert f"/cases/lookup?number={chinese.number}" in to_chinese
    assert "/en/cases/lookup" not in to_chinese
    assert f"/en/cases/lookup?number={english.number}" in to_english


def test_an_unconfirmed_web_case_taken_on_by_an_officer_starts_its_clock(
    app: Flask, officer: tuple[PageClient, Any]
) -> None:
    today = local_day(utcnow())
    draft = CaseDraft(
        type_code="complaint",
        office_code="KL",
        channel=Channel.WEB,
        subject="水壓不足",
        description="每天早上七點水壓很低",
        contact_name="王小明",
        contact_email="ming@example.org",
    )
    case = open_case(
        db.session, draft, today=today, calendar=office_calendar(), keys=keys(app), needs_confirmation=True
    ).case
    db.session.commit()
    assert (case.state, case.due_on) == ("received", None)
    pages, _account = officer
    assert post(pages, f"/staff/cases/{case.number}/move", {"move-target": "assigned"}).status_code == 302
    case = reload(case)
    assert (case.state, case.queued_on) == ("assigned", today)
    assert case.due_on is not None
    assert case.due_on > today


def test_a_closed_case_refused_a_merge_or_a_section_173_closure_keeps_nothing_of_either(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    case, original = open_today("KL").case, open_today("KL").case
    pages, _account = officer
    assert post(pages, f"/staff/cases/{case.number}/move", {"move-target": "closed"}).status_code == 302
    merged = post(pages, f"/staff/cases/{case.number}/merge", {"merge-into": original.number})
    assert merged.status_code == 400
    section_173 = post(pages, f"/staff/cases/{case.number}/no-reply", {"no_reply-reason": "repeated"})
    assert section_173.status_code == 400
    case = reload(case)
    assert (case.merged_into_id, case.no_reply_reason) == (None, None)
    assert not [event for event in case.events if event.kind in {"merged", "no_reply"}]


def test_every_workbench_post_without_the_session_s_token_is_refused_and_changes_nothing(
    open_today: Callable[..., Any], officer: tuple[PageClient, Any]
) -> None:
    """The page's forms carry no token of their own (`PageForm`): the application's CSRF check is the guard."""
    case, other = open_today("KL").case, open_today("KL").case
    pages, account = officer
    number = case.number
    posts: dict[str, dict[str, Any]] = {
        "/staff/cases/assign": {"assign-cases": [number], "assign-officer": str(account.id)},
        f"/staff/cases/{number}/contact": {},
        f"/staff/cases/{number}/move": {"move-target": "in_progress"},
        f"/staff/cases/{number}/note": {"note-note": "x"},
        f"/staff/cases/{number}/assign": {"assign-officer": str(account.id)},
        f"/staff/cases/{number}/extend": {"extend-days": "2", "extend-reason": "x"},
        f"/staff/cases/{number}/transfer": {"transfer-office": "XZ"},
        f"/staff/cases/{number}/merge": {"merge-into": other.number},
        f"/staff/cases/{number}/no-reply": {"no_reply-reason": "repeated"},
        f"/staff/cases/{number}/receipt.pdf": {"password": "AAAAAAAA"},
        "/staff/cases/new": {"channel": "letter", "save": "y"},
        "/staff/cases/caller": {"number": number, "method": "password", "password": "AAAAAAAA"},
    }
    events = len(case.events)
    for url, data in posts.items():
        tokens: tuple[dict[str, str], ...] = ({}, {"csrf_token": "forged"})
        for token_given in tokens:
            response = pages.client.post(url, data={**token_given, **data})
            assert response.status_code == 400, url
            assert "表單已逾時或來源不明" in response.get_data(as_text=True), url
    case = reload(case)
    assert (case.state, case.assigned_to_id, case.transfers, len(case.events)) == (
        "assigned",
        None,
        0,
        events,
    )
    assert not db.session.scalars(
        select(AuditRecord).where(AuditRecord.entity_id == number, AuditRecord.action.like("case.%"))
    ).all()
