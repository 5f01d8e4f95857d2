"""The citizen's pages: sending a case, confirming it, looking it up; every bad input refused in the visitor's language."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from feedback.cases.case_types import seed_case_types
from feedback.cases.models import Case, CaseMail
from portal.db import db
from tests.support.pages import PageClient

GOOD = {
    "case_type": "complaint",
    "district": "基隆市信義區",
    "office": "",
    "subject": "水壓不足",
    "description": "每天早上七點水壓很低",
    "contact_name": "王小明",
    "contact_email": "ming@example.org",
    "contact_phone": "",
    "consent": "y",
    "website": "",
}


@pytest.fixture
def seeded(app_context: None) -> None:
    seed_case_types(db.session)
    db.session.commit()


def cases_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Case)) or 0


def receipt(page: Any) -> tuple[str, str]:
    number, password = (item.get_text(strip=True) for item in page.select(".case-receipt strong"))
    return number, password


def test_a_case_sent_shows_its_number_and_password_once_and_waits_for_confirmation(
    pages: PageClient, seeded: None
) -> None:
    response = pages.post_form("/cases/new", GOOD)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    number, password = re.findall(r"<strong[^>]*>([^<]+)</strong>", response.get_data(as_text=True))[:2]
    case = db.session.scalar(select(Case).where(Case.number == number))
    assert case is not None
    assert (case.state, case.office_id is not None, case.language) == ("received", True, "zh")
    assert password not in case.password_hash
    kinds = sorted(
        mail.kind for mail in db.session.scalars(select(CaseMail).where(CaseMail.case_id == case.id))
    )
    assert kinds == ["confirmation", "receipt"]


def test_confirming_sends_the_case_on_and_lookup_shows_it(pages: PageClient, seeded: None, app: Any) -> None:
    response = pages.post_form("/cases/new", GOOD)
    number, password = re.findall(r"<strong[^>]*>([^<]+)</strong>", response.get_data(as_text=True))[:2]
    case = db.session.scalar(select(Case).where(Case.number == number))
    assert case is not None
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="feedback.cases.confirm").dumps(case.id)
    confirmed = pages.get(f"/cases/confirm/{token}")
    assert number in confirmed.get_text()
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == "assigned"
    found = pages.post_form(
        "/cases/lookup", {"number": number.replace("-", " "), "password": password.lower()}
    )
    assert found.status_code == 200
    text = found.get_data(as_text=True)
    assert "已分派" in text
    assert "水壓不足" in text
    assert "ming@example.org" not in text  # contact details are not shown back


def test_a_wrong_password_and_an_unknown_number_read_the_same(pages: PageClient, seeded: None) -> None:
    response = pages.post_form("/cases/new", GOOD)
    number = re.findall(r"<strong[^>]*>([^<]+)</strong>", response.get_data(as_text=True))[0]
    wrong = pages.post_form_page("/cases/lookup", {"number": number, "password": "ACDEFGHJ"}, 200)
    unknown = pages.post_form_page("/cases/lookup", {"number": "1150101-9999", "password": "ACDEFGHJ"}, 200)
    assert wrong.select_one(".error-message").get_text() == unknown.select_one(".error-message").get_text()
    assert wrong.select_one("#number")["value"] == number  # what was typed is kept


def test_guessing_is_locked_out_with_the_same_answer_for_any_number(pages: PageClient, seeded: None) -> None:
    for _ in range(5):
        pages.post_form("/cases/lookup", {"number": "1150101-0001", "password": "WRONGPWD"})
    locked = pages.post_form("/cases/lookup", {"number": "1150101-0001", "password": "WRONGPWD"})
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"description": "長" * 4001}, "description"),
        ({"contact_email": "", "contact_phone": ""}, "contact_phone"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"consent": ""}, "consent"),
        ({"case_type": "no-such-type"}, "case_type"),
        ({"office": "ZZ"}, "office"),
        ({"subject": "第一行\n第二行"}, "subject"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_what_was_typed_kept(
    pages: PageClient, seeded: None, changes: dict[str, str], field: str
) -> None:
    before = cases_stored()
    page = pages.post_form_page("/cases/new", {**GOOD, **changes}, 400)
    assert page.select_one(f"#{field}-error") is not None, field
    assert page.select_one("#contact_name")["value"] == "王小明"
    assert cases_stored() == before


def test_script_in_any_field_is_stored_as_text_and_never_run(pages: PageClient, seeded: None) -> None:
    attack = "<script>alert(1)</script>"
    response = pages.post_form("/cases/new", {**GOOD, "subject": attack, "contact_name": attack})
    assert response.status_code == 201
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_the_honeypot_and_a_forged_form_are_refused(pages: PageClient, seeded: None, client: Any) -> None:
    before = cases_stored()
    trapped = pages.post_form_page("/cases/new", {**GOOD, "website": "http://spam.example"}, 400)
    assert trapped.select_one(".error-summary") is not None
    forged = client.post("/cases/new", data=GOOD)  # no CSRF token
    assert forged.status_code == 400
    assert cases_stored() == before


def test_the_same_message_twice_is_recognised(pages: PageClient, seeded: None) -> None:
    first = pages.post_form("/cases/new", GOOD)
    number = re.findall(r"<strong[^>]*>([^<]+)</strong>", first.get_data(as_text=True))[0]
    again = pages.post_form_page("/cases/new", GOOD, 409)
    assert number in again.select_one(".error-summary").get_text()


def test_in_english_the_case_is_kept_in_english_and_errors_are_english(
    pages: PageClient, seeded: None
) -> None:
    page = pages.post_form_page("/en/cases/new", {**GOOD, "subject": ""}, 400)
    assert "Enter a subject." in page.get_text()
    sent = pages.post_form("/en/cases/new", GOOD)
    number = re.findall(r"<strong[^>]*>([^<]+)</strong>", sent.get_data(as_text=True))[0]
    assert db.session.scalar(select(Case.language).where(Case.number == number)) == "en"


def test_a_bad_or_expired_confirmation_link_says_so(pages: PageClient, seeded: None) -> None:
    pages.get("/cases/confirm/not-a-token", status=404)


@pytest.fixture
def limited_client(bound_app: Callable[..., Flask]) -> Callable[..., PageClient]:
    """Page clients of applications with changed limits, on the test's transaction."""
    return lambda **settings: PageClient(bound_app(**settings).test_client())


def test_one_address_sending_too_many_cases_is_told_to_wait(
    limited_client: Callable[..., PageClient], seeded: None
) -> None:
    pages = limited_client(RATELIMIT_CASES="2 per hour")
    statuses = [
        pages.post_form("/cases/new", {**GOOD, "subject": f"第 {n} 件"}).status_code for n in range(3)
    ]
    assert statuses == [201, 201, 429]
    before = cases_stored()
    refused = pages.post_form("/cases/new", {**GOOD, "subject": "再一件"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "保護網站不被大量自動要求影響" in refused.get_data(as_text=True)
    assert cases_stored() == before


def test_one_email_sending_too_many_cases_is_told_so_with_what_was_typed_kept(
    limited_client: Callable[..., PageClient], seeded: None
) -> None:
    pages = limited_client(CASES_PER_EMAIL_PER_DAY=2)
    for n in range(2):
        assert pages.post_form("/cases/new", {**GOOD, "subject": f"第 {n} 件"}).status_code == 201
    before = cases_stored()
    response = pages.post_form("/cases/new", {**GOOD, "subject": "第三件"})
    assert response.status_code == 429
    assert "今天已送出多件案件" in response.get_data(as_text=True)
    assert 'value="第三件"' in response.get_data(as_text=True)
    assert cases_stored() == before
    other = pages.post_form("/cases/new", {**GOOD, "subject": "別人", "contact_email": "other@example.org"})
    assert other.status_code == 201
