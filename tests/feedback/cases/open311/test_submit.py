"""Sending cases through Open311 in the test client: with a key, straight to an office, and every refusal.

Each refusal is checked for its status, the specification's errors shape in the format
asked, a description a program's author can act on, and that nothing was stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from feedback.cases.calendar import office_calendar
from feedback.cases.figures import case_figures
from feedback.cases.labels import CHANNEL_LABELS
from feedback.cases.models import Case, CaseMail, CaseType
from feedback.cases.states import CaseState, Channel
from portal.apikeys.models import ApiKey
from portal.apikeys.services import revoke_key
from portal.audit import AuditRecord
from portal.auth.roles import Role
from portal.db import db
from tests.feedback.cases.open311.conftest import BASE, CITIZEN, flask_transport, good_form
from tests.feedback.cases.open311.helpers import cases_stored, submitted
from tests.feedback.cases.open311.spec_client import SpecClient, check_errors

pytestmark = pytest.mark.usefixtures("app_context")


def test_a_case_sent_with_a_key_goes_straight_to_its_office(spec: SpecClient, key: str) -> None:
    before = cases_stored()
    case = submitted(spec, key, lat="25.1276543", long="121.7391234")
    assert cases_stored() == before + 1
    assert (case.channel, case.state, case.district) == ("open311", CaseState.ASSIGNED, "基隆市信義區")
    assert case.office_id is not None
    assert case.queued_on is not None
    assert case.confirmed_at is None  # never asked: the key vouches for it
    assert (case.contact_name, case.contact_email, case.contact_phone) == (
        "鄭雅婷",
        CITIZEN["email"],
        CITIZEN["phone"],
    )
    assert case.address == CITIZEN["address_string"]
    assert case.subject == "巷口水管破裂，整晚都在漏水。"
    assert case.description == CITIZEN["description"]
    assert (case.latitude, case.longitude) == (25.1276543, 121.7391234)  # kept exact, published rounded
    key_row = db.session.scalar(select(ApiKey).where(ApiKey.id == case.api_key_id))
    assert key_row is not None
    assert key.startswith(f"pk_{key_row.prefix}_")


def test_the_receipt_with_the_password_goes_to_the_citizen_never_to_the_client(
    spec: SpecClient, key: str
) -> None:
    answer = spec.submit("json", good_form(key))
    token = answer.document[0]["token"]
    case = db.session.scalar(select(Case).where(Case.open311_token == token))
    assert case is not None
    (mail,) = db.session.scalars(select(CaseMail).where(CaseMail.case_id == case.id))
    assert (mail.kind, mail.to_address) == ("receipt", CITIZEN["email"])
    password = re.search(r"案件密碼：(\S+)", mail.body)
    assert password is not None
    assert case.number in mail.body
    assert password.group(1).encode() not in answer.body
    assert case.number.encode() not in answer.body  # the token, never the id as well
    assert set(answer.document[0]) == {"token", "service_notice", "account_id"}
    assert "電子郵件" in answer.document[0]["service_notice"]


def test_without_an_e_mail_nothing_is_mailed_and_the_notice_does_not_promise_it(
    spec: SpecClient, key: str
) -> None:
    answer = spec.submit("xml", good_form(key, email=""))
    assert answer.status == 201
    notice = answer.document[0]["service_notice"]
    assert "處理" in notice
    assert "電子郵件" not in notice
    token = answer.document[0]["token"]
    case_id = db.session.scalar(select(Case.id).where(Case.open311_token == token))
    assert (
        db.session.scalar(select(func.count()).select_from(CaseMail).where(CaseMail.case_id == case_id)) == 0
    )


def test_the_token_answers_with_the_request_id(spec: SpecClient, key: str) -> None:
    case = submitted(spec, key)
    for fmt in ("json", "xml"):
        answer = spec.token(case.open311_token or "", fmt)
        assert answer.status == 200
        assert answer.document == [{"service_request_id": case.number, "token": case.open311_token}]
    check_errors(spec.token("no-such-token", "json"), 404)
    check_errors(spec.token("x" * 41, "xml"), 404)


def test_the_post_is_audited_as_the_keys_owner(spec: SpecClient, key: str) -> None:
    case = submitted(spec, key)
    prefix = key.split("_")[1]
    record = db.session.scalar(
        select(AuditRecord).where(AuditRecord.entity == "case", AuditRecord.entity_id == str(case.id))
    )
    assert record is not None
    assert f"API key {prefix}" in record.actor_label
    assert "鄭" not in str(record.after)  # what the citizen told us is recorded as changed, never by value


def test_an_address_in_no_known_district_goes_to_the_first_office(spec: SpecClient, key: str) -> None:
    case = submitted(spec, key, address_string="宜蘭縣頭城鎮青雲路", lat="", long="")
    assert case.district == ""
    assert case.office_id is not None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_key_is_403(spec: SpecClient, key: str, fmt: str) -> None:
    before = cases_stored()
    form = good_form(key)
    del form["api_key"]
    (description,) = check_errors(spec.submit(fmt, form), 403)
    assert "api_key" in description
    assert cases_stored() == before


@pytest.mark.parametrize("token", ["pk_nope_nope", "not-a-key", "pk_" + "a" * 60])
def test_a_bad_key_is_403(spec: SpecClient, token: str) -> None:
    before = cases_stored()
    (description,) = check_errors(spec.submit("json", good_form(token)), 403)
    assert "api_key" in description
    assert cases_stored() == before


def test_a_revoked_key_and_a_key_for_publishing_only_are_403(
    spec: SpecClient, key: str, make_key: Callable[..., str]
) -> None:
    publisher = make_key(Role.PUBLISHER, scopes=("datasets:publish",))
    check_errors(spec.submit("json", good_form(publisher)), 403)
    prefix = key.split("_")[1]
    row = db.session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    assert row is not None
    revoke_key(row)
    db.session.commit()
    check_errors(spec.submit("xml", good_form(key)), 403)


def test_a_key_whose_owner_lost_the_right_to_handle_cases_is_403(
    spec: SpecClient, make_key: Callable[..., str]
) -> None:
    analyst_key = make_key(Role.ANALYST, scopes=("open311:submit",))
    check_errors(spec.submit("json", good_form(analyst_key)), 403)


def test_a_bad_key_is_refused_before_the_form_is_judged(spec: SpecClient) -> None:
    (description,) = check_errors(spec.submit("json", {"api_key": "pk_a_b"}), 403)
    assert "api_key" in description


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"service_code": "no-such-service"}, "no-such-service"),
        ({"service_code": ""}, "service_code"),
        ({"address_string": "", "lat": "", "long": ""}, "lat"),
        ({"address_string": "", "address_id": "17"}, "address_id"),
        ({"address_string": "", "lat": "25.1", "long": "east"}, "long"),
        ({"description": "水" * 4001}, "4000"),
        ({"description": "<p>水管破裂</p>"}, "HTML"),
        ({"description": ""}, "description"),
        ({"email": "yating@"}, "email"),
        ({"first_name": "名" * 61}, "first_name"),
        ({"attribute[depth]": "3"}, "depth"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_input_is_400_with_a_description_and_stores_nothing(
    spec: SpecClient, key: str, fmt: str, changes: dict[str, str], words: str
) -> None:
    before = cases_stored()
    descriptions = check_errors(spec.submit(fmt, good_form(key, **changes)), 400)
    assert any(words in description for description in descriptions), descriptions
    assert cases_stored() == before


def test_several_problems_are_reported_at_once(spec: SpecClient, key: str) -> None:
    form = {"api_key": key, "service_code": "nope", "description": "<b>x</b>"}
    descriptions = check_errors(spec.submit("json", form), 400)
    assert len(descriptions) == 3  # the service, the location, the markup


def test_a_service_staff_take_only_at_the_counter_cannot_be_sent(spec: SpecClient, key: str) -> None:

    kind = db.session.scalar(select(CaseType).where(CaseType.code == "complaint"))
    assert kind is not None
    kind.web_intake = False
    db.session.commit()
    check_errors(spec.submit("json", good_form(key)), 400)
    check_errors(spec.definition("complaint", "json"), 404)
    assert "complaint" not in {service["service_code"] for service in spec.services("json").document}


def test_a_control_character_is_refused_in_the_errors_shape(client: Any, key: str) -> None:
    response = client.post(f"{BASE}/requests.xml", data=good_form(key, description="漏水\x00"))
    assert response.status_code == 400
    assert response.mimetype == "text/xml"
    assert b"<errors><error><code>400</code>" in response.get_data()
    assert b"description" in response.get_data()
    response = client.get(f"{BASE}/requests.json?status=open\x01")
    assert response.status_code == 400
    assert response.get_json()[0]["code"] == 400


def test_a_wrong_method_keeps_its_status_in_the_errors_shape(client: Any) -> None:
    response = client.post(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response.get_json() == [{"code": 405, "description": response.get_json()[0]["description"]}]
    assert "GET" in response.headers["Allow"]


def test_sending_too_often_is_429_in_the_errors_shape(bound_app: Callable[..., Flask], key: str) -> None:
    limited = SpecClient(flask_transport(bound_app(RATELIMIT_OPEN311="2 per hour").test_client()), BASE)
    statuses = [limited.submit("json", good_form(key, description=f"第 {n} 件")).status for n in range(2)]
    assert statuses == [201, 201]
    before = cases_stored()
    answer = limited.submit("xml", good_form(key))
    (description,) = check_errors(answer, 429)
    assert description
    assert cases_stored() == before
    assert limited.requests("json").status == 200  # reading is not limited by sending


def test_the_post_needs_no_csrf_token_but_get_answers_cors(client: Any, key: str) -> None:
    response = client.post(f"{BASE}/requests.json", data=good_form(key))
    assert response.status_code == 201
    listed = client.get(f"{BASE}/services.json", headers={"Origin": "https://city.example"})
    assert listed.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept-Language" in listed.headers["Vary"]


def test_a_case_sent_in_english_is_mailed_in_english(client: Any, key: str) -> None:
    english = SpecClient(flask_transport(client, {"Accept-Language": "en"}), BASE)
    case = submitted(english, key)
    assert case.language == "en"
    (mail,) = db.session.scalars(select(CaseMail).where(CaseMail.case_id == case.id))
    assert mail.subject == f"We have received your case {case.number}"


def test_open311_cases_are_counted_in_the_figures_under_their_own_channel(spec: SpecClient, key: str) -> None:
    case = submitted(spec, key)
    day = case.received_on
    figures = case_figures(db.session, day, day, "channel", day, office_calendar())
    assert figures["open311"].received >= 1
    assert str(CHANNEL_LABELS[Channel(case.channel)]) == "Open311 應用程式"
