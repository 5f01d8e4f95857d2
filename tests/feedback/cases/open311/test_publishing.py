"""What Open311 GET publishes in the test client: which cases, which fields, the filters and their refusals."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from feedback.cases.models import Case
from feedback.cases.states import CaseState
from portal.db import db, utcnow
from tests.feedback.cases.open311.conftest import BASE, flask_transport, good_form
from tests.feedback.cases.open311.helpers import cases_stored, submitted
from tests.feedback.cases.open311.spec_client import SpecClient, check_errors

pytestmark = pytest.mark.usefixtures("app_context")


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
