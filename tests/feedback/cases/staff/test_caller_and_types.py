"""Looking a case up for a caller (identity checked, every attempt logged), and the case-type admin pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bs4 import BeautifulSoup
from sqlalchemy import select

from feedback.cases.models import CaseType
from feedback.cases.staff.caller import contact_matches
from portal.audit import AuditRecord
from portal.auth.roles import Role
from portal.db import db
from tests.feedback.cases.staff.conftest import forget_request_state, token
from tests.support.pages import PageClient


def ask(pages: PageClient, **fields: str) -> Any:
    return pages.client.post(
        "/staff/cases/caller", data={"csrf_token": token(pages), "method": "contact", **fields}
    )


def test_a_caller_who_gives_the_name_and_phone_on_the_case_hears_its_status(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    case = open_today("XZ", contact_name="李 小 華", contact_phone="0933-444-555").case
    pages, account = client_as(Role.CASE_OFFICER, office_code="KL")
    found = ask(pages, number=case.number, caller_name="李小華", caller_contact="0933444555")
    html = found.get_data(as_text=True)
    assert found.status_code == 200
    assert case.number in html
    assert "已分派" in html
    assert "開啟案件處理頁面" not in html  # another office's case: status only
    wrong = ask(pages, number=case.number, caller_name="李小華", caller_contact="0933444556")
    assert "資料不符" in wrong.get_data(as_text=True)
    assert "已分派" not in wrong.get_data(as_text=True)
    logged = db.session.scalars(
        select(AuditRecord).where(
            AuditRecord.action == "case.caller_lookup", AuditRecord.entity_id == case.number
        )
    ).all()
    assert [(entry.actor_id, entry.after["matched"]) for entry in logged] == [
        (account.id, True),
        (account.id, False),
    ]
    assert "0933" not in str([entry.after for entry in logged])


def test_a_caller_may_give_the_case_password_instead(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    opened = open_today("KL")
    pages, _account = client_as(Role.CASE_OFFICER, office_code="KL")
    right = pages.client.post(
        "/staff/cases/caller",
        data={
            "csrf_token": token(pages),
            "method": "password",
            "number": opened.case.number,
            "password": opened.password.lower(),
        },
    )
    assert "開啟案件處理頁面" in right.get_data(as_text=True)
    unknown = pages.client.post(
        "/staff/cases/caller",
        data={
            "csrf_token": token(pages),
            "method": "password",
            "number": "1150101-9999",
            "password": "AAAAAAAA",
        },
    )
    assert "資料不符" in unknown.get_data(as_text=True)
    bad = pages.client.post(
        "/staff/cases/caller", data={"csrf_token": token(pages), "method": "x", "number": ""}
    )
    assert bad.status_code == 400


def test_contact_matching_ignores_spaces_and_width_but_not_digits(open_today: Callable[..., Any]) -> None:
    case = open_today(
        "KL", contact_name="王小明", contact_email="Ming@Example.org", contact_phone="0912-345-678"
    ).case
    assert contact_matches(case, "王 小明", "０９１２３４５６７８")
    assert contact_matches(case, "王小明", "ming@example.org")
    assert not contact_matches(case, "王小明", "0912-345-679")
    assert not contact_matches(case, "王大明", "0912345678")
    assert not contact_matches(case, "王小明", "678")  # a few digits are not a check
    assert not contact_matches(case, "", "0912345678")


def test_administrators_add_and_change_case_types_and_officers_may_not(
    client_as: Callable[..., Any],
) -> None:
    admin, _account = client_as(Role.ADMINISTRATOR)
    form = {
        "code": "hydrant-report",
        "kind": "complaint",
        "name_zh": "消防栓損壞通報",
        "name_en": "Damaged fire hydrant",
        "working_days": "5",
        "pauses_when_waiting": "y",
        "office": "KL",
        "active": "y",
        "web_intake": "y",
    }
    created = admin.client.post(
        "/staff/cases/types/new", data={"csrf_token": token(admin, "/staff/cases/types/new"), **form}
    )
    assert created.status_code == 302
    kind = db.session.scalar(select(CaseType).where(CaseType.code == "hydrant-report"))
    assert kind is not None
    assert (kind.working_days, kind.pauses_when_waiting) == (5, True)
    again = admin.client.post("/staff/cases/types/new", data={"csrf_token": token(admin), **form})
    assert again.status_code == 400
    assert "這個代碼已有類別使用" in again.get_data(as_text=True)
    changed = admin.client.post(
        f"/staff/cases/types/{kind.id}",
        data={
            "csrf_token": token(admin),
            **form,
            "code": "renamed",
            "working_days": "8",
            "pauses_when_waiting": "",
        },
    )
    assert changed.status_code == 302
    db.session.expire_all()
    kind = db.session.get(CaseType, kind.id)
    assert kind is not None
    assert (kind.code, kind.working_days, kind.pauses_when_waiting) == ("hydrant-report", 8, False)
    for bad in ({"working_days": "0"}, {"working_days": "abc"}, {"name_zh": ""}, {"kind": "rant"}):
        refused = admin.client.post(
            f"/staff/cases/types/{kind.id}", data={"csrf_token": token(admin), **form, **bad}
        )
        assert refused.status_code == 400, bad
    audited = db.session.scalars(
        select(AuditRecord).where(AuditRecord.entity == "case_type", AuditRecord.entity_id == str(kind.id))
    ).all()
    assert {entry.action for entry in audited} >= {"create", "update"}
    officer, _other = client_as(Role.CASE_OFFICER, office_code="KL")
    assert officer.client.get("/staff/cases/types").status_code == 403


def test_a_check_left_empty_is_refused_with_what_is_missing_and_not_logged(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    case = open_today("KL").case
    pages, _account = client_as(Role.CASE_OFFICER, office_code="KL")
    no_contact = ask(pages, number=case.number, caller_name="王小明")
    assert no_contact.status_code == 400
    assert "請填寫來電者提供的電話或電子郵件" in no_contact.get_data(as_text=True)
    nothing = ask(pages, number=case.number)
    assert nothing.status_code == 400
    assert "請填寫來電者姓名" in nothing.get_data(as_text=True)
    no_password = pages.client.post(
        "/staff/cases/caller", data={"csrf_token": token(pages), "method": "password", "number": case.number}
    )
    assert no_password.status_code == 400
    assert "請填寫來電者提供的案件密碼" in no_password.get_data(as_text=True)
    assert not db.session.scalars(
        select(AuditRecord).where(
            AuditRecord.action == "case.caller_lookup", AuditRecord.entity_id == case.number
        )
    ).all()


def test_the_caller_hears_the_dates_of_the_timeline_in_taipei(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    opened = open_today("KL")
    received = opened.case.events[0]
    received.at = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 07:30 on 3 March in Taipei
    db.session.commit()
    pages, _account = client_as(Role.CASE_OFFICER, office_code="KL")
    found = pages.client.post(
        "/staff/cases/caller",
        data={
            "csrf_token": token(pages),
            "method": "password",
            "number": opened.case.number,
            "password": opened.password,
        },
    )
    timeline = BeautifulSoup(found.get_data(as_text=True), "html.parser").select_one(".timeline")
    assert timeline is not None
    assert "2026-03-03" in timeline.get_text()
    assert "2026-03-02" not in timeline.get_text()


def test_a_case_type_number_past_any_id_is_not_found(client_as: Callable[..., Any]) -> None:
    admin, _account = client_as(Role.ADMINISTRATOR)
    assert admin.client.get("/staff/cases/types/99999999999999999999999").status_code == 404
    assert admin.client.get("/staff/cases/types/2147483648").status_code == 404


def test_a_saved_case_type_is_confirmed_with_its_name_in_the_visitor_s_language(
    client_as: Callable[..., Any],
) -> None:
    admin, _account = client_as(Role.ADMINISTRATOR)
    kind = db.session.scalar(select(CaseType).where(CaseType.code == "meter-check"))
    assert kind is not None
    csrf = token(admin, f"/staff/cases/types/{kind.id}")
    forget_request_state()
    form = {
        "csrf_token": csrf,
        "kind": kind.kind,
        "name_zh": kind.name_zh,
        "name_en": kind.name_en,
        "working_days": str(kind.working_days),
        "active": "y",
    }
    saved = admin.client.post(f"/en/staff/cases/types/{kind.id}", data=form)
    assert saved.status_code == 302
    forget_request_state()
    flash = admin.get(saved.headers["Location"]).select_one(".flash")
    assert flash is not None
    assert kind.name_en in flash.get_text()
