"""The Open311 endpoint in the test client: sending cases with a key, what GET publishes, and every refusal.

Each refusal is checked for its status, the specification's errors shape in the format
asked, a description a program's author can act on, and that nothing was stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from feedback.cases.models import Case, CaseMail
from feedback.cases.states import CaseState
from portal.apikeys.models import ApiKey
from portal.apikeys.services import revoke_key
from portal.audit import AuditRecord
from portal.auth.roles import Role
from portal.db import db, utcnow
from tests.feedback.cases.open311.conftest import BASE, CITIZEN, flask_transport, good_form
from tests.feedback.cases.open311.spec_client import SpecClient, check_errors

pytestmark = pytest.mark.usefixtures("app_context")


def cases_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Case)) or 0


def submitted(spec: SpecClient, key: str, fmt: str = "json", **changes: str) -> Case:
    """POST a good form; the stored case."""
    answer = spec.submit(fmt, good_form(key, **changes))
    assert answer.status == 201, answer.body
    token = answer.document[0]["token"]
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.open311_token == token))
    assert case is not None
    return case


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
    from feedback.cases.models import CaseType

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


def test_unknown_format_extensions_are_404(spec: SpecClient, client: Any, key: str) -> None:
    for path in (
        "services.csv",
        "discovery.html",
        "requests.JSON",
        "services/complaint.yaml",
        "tokens/abc.txt",
    ):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 404, path
        assert response.mimetype == "text/xml"
        assert b"<errors><error><code>404</code>" in response.get_data()
    before = cases_stored()
    response = client.post(f"{BASE}/requests.php", data=good_form(key))
    assert response.status_code == 404
    assert cases_stored() == before


def test_an_unknown_service_definition_or_request_is_404(spec: SpecClient) -> None:
    (description,) = check_errors(spec.definition("no-such-service", "json"), 404)
    assert "no-such-service" in description
    check_errors(spec.request("1010101-0001", "xml"), 404)
    check_errors(spec.request("not-a-number", "json"), 404)


def _hidden(case: Case, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(case, name, value)
    db.session.commit()


@pytest.mark.parametrize(
    "changes",
    [
        {"state": CaseState.RECEIVED.value},
        {"purged_at": utcnow()},
    ],
)
def test_unconfirmed_and_purged_cases_are_not_published(
    spec: SpecClient, key: str, changes: dict[str, Any]
) -> None:
    case = submitted(spec, key)
    _hidden(case, **changes)
    check_errors(spec.request(case.number, "json"), 404)
    assert case.number not in {item["service_request_id"] for item in spec.requests("json").document}
    assert spec.requests("json", service_request_id=case.number).document == []


def test_merged_cases_are_not_published(spec: SpecClient, key: str) -> None:
    kept = submitted(spec, key)
    duplicate = submitted(spec, key)
    _hidden(duplicate, merged_into_id=kept.id, state=CaseState.CLOSED.value)
    check_errors(spec.request(duplicate.number, "xml"), 404)
    assert spec.request(kept.number, "xml").status == 200


def test_status_maps_open_and_closed(spec: SpecClient, key: str) -> None:
    case = submitted(spec, key)
    (item,) = spec.request(case.number, "json").document
    assert (item["status"], item["status_notes"]) == ("open", "已分派")
    _hidden(case, state=CaseState.CLOSED.value, closed_at=utcnow())
    (item,) = spec.request(case.number, "json").document
    assert (item["status"], item["status_notes"]) == ("closed", "已結案")
    open_ids = {item["service_request_id"] for item in spec.requests("json", status="open").document}
    closed_ids = {item["service_request_id"] for item in spec.requests("json", status="closed").document}
    assert case.number in closed_ids
    assert case.number not in open_ids
    both = {item["service_request_id"] for item in spec.requests("json", status="open,closed").document}
    assert open_ids | closed_ids == both


def test_filters_by_service_code_and_window(spec: SpecClient, key: str) -> None:
    case = submitted(spec, key)
    inquiries = spec.requests("json", service_code="inquiry").document
    assert all(item["service_code"] == "inquiry" for item in inquiries)
    assert case.number in {
        item["service_request_id"]
        for item in spec.requests("json", service_code="complaint,inquiry").document
    }
    today = (utcnow() + timedelta(hours=8)).date()
    window = {"start_date": (today - timedelta(days=1)).isoformat(), "end_date": today.isoformat()}
    assert case.number in {item["service_request_id"] for item in spec.requests("json", **window).document}
    old = {"start_date": "2020-01-01", "end_date": "2020-02-01"}
    assert spec.requests("xml", **old).document == []


def test_ids_override_the_other_filters(spec: SpecClient, key: str) -> None:
    first, second = submitted(spec, key), submitted(spec, key)
    answer = spec.requests(
        "json", service_request_id=f"{first.number},{second.number}", status="closed", start_date="2020-01-01"
    )
    assert {item["service_request_id"] for item in answer.document} == {first.number, second.number}


def test_an_empty_parameter_counts_as_absent(spec: SpecClient, key: str) -> None:
    submitted(spec, key)
    plain = spec.requests("json").document
    empty = spec.requests(
        "json", service_request_id="", service_code="", start_date="", end_date="", status=""
    )
    assert empty.document == plain


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"start_date": "2026-01-01", "end_date": "2026-04-11"}, "90"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-02-30"}, "end_date"),
        ({"start_date": "2026-03-01", "end_date": "2026-02-01"}, "start_date"),
        ({"status": "pending"}, "status"),
        ({"service_code": "no-such-service"}, "no-such-service"),
        ({"service_request_id": "abc"}, "abc"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_400(spec: SpecClient, fmt: str, query: dict[str, str], words: str) -> None:
    descriptions = check_errors(spec.requests(fmt, **query), 400)
    assert any(words in description for description in descriptions), descriptions


def test_english_is_chosen_by_accept_language_or_the_prefix(client: Any, key: str) -> None:
    english = SpecClient(flask_transport(client, {"Accept-Language": "en"}), BASE)
    prefixed = SpecClient(flask_transport(client), "/en" + BASE)
    case = submitted(SpecClient(flask_transport(client), BASE), key)
    for spec in (english, prefixed):
        (item,) = spec.request(case.number, "json").document
        assert item["status_notes"] == "Assigned"
        assert item["service_name"] == "Complaint"
        assert item["address"] == "Xinyi District, Keelung City"
        assert item["agency_responsible"] == "Keelung Service Office"
    (chinese,) = SpecClient(flask_transport(client), BASE).request(case.number, "json").document
    assert chinese["service_name"] == "陳情與申訴"


def test_a_case_sent_in_english_keeps_its_language_for_the_mail(client: Any, key: str) -> None:
    english = SpecClient(flask_transport(client, {"Accept-Language": "en"}), BASE)
    case = submitted(english, key)
    assert case.language == "en"


def test_no_listed_case_publishes_what_its_citizen_told_us(spec: SpecClient, key: str) -> None:
    submitted(spec, key)
    for fmt in ("json", "xml"):
        answer = spec.requests(fmt)
        body = answer.body.decode("utf-8")
        numbers = re.findall(r"\d{7}-\d{4}", body)
        assert numbers
        for case in db.session.scalars(select(Case).where(Case.number.in_(numbers))):
            told = [
                case.contact_name,
                case.contact_email,
                case.contact_phone,
                case.address,
                case.subject,
                case.description,
            ]
            for value in told:
                if value and len(value) >= 3:
                    assert value not in body, f"{case.number}: {value!r} published"
