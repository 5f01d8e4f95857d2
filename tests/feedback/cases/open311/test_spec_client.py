"""A client written from the GeoReport v2 specification alone, driving the whole exchange in both formats.

discovery -> services -> service definition -> POST a request -> the token -> GET it by id
and in the list. Every field the specification lists is checked, JSON and XML must say
the same, and no GET answer may hold anything personal the citizen sent: name, e-mail,
phone, the description or the full address.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedback.cases.open311.formats import MEDIA_TYPES
from tests.feedback.cases.open311.conftest import CITIZEN, good_form
from tests.feedback.cases.open311.spec_client import (
    Answer,
    SpecClient,
    check_discovery,
    check_request,
    check_service,
    normal,
    spec_datetime,
)

pytestmark = pytest.mark.usefixtures("app_context")

# What the citizen sent that no public answer may repeat, whole or in its telling parts.
PERSONAL = [
    CITIZEN["first_name"],
    CITIZEN["last_name"] + CITIZEN["first_name"],
    CITIZEN["email"],
    CITIZEN["email"].split("@")[0],
    CITIZEN["phone"],
    CITIZEN["phone"].replace("-", ""),
    "信二路",
    "266號",
    CITIZEN["address_string"],
    "巷口水管破裂",
    "路面已經積水",
]


def assert_nothing_personal(answer: Answer) -> None:
    text = answer.body.decode("utf-8")
    for secret in PERSONAL:
        assert secret not in text, f"{secret!r} published"
    assert "s1." not in text  # nor anything sealed


def both(ask: object, *args: str, **query: str) -> tuple[Answer, Answer]:
    """The same question in JSON and XML; they must say the same."""
    as_json = ask(*args, "json", **query)  # type: ignore[operator]
    as_xml = ask(*args, "xml", **query)  # type: ignore[operator]
    assert (as_json.media_type, as_xml.media_type) == (MEDIA_TYPES["json"], MEDIA_TYPES["xml"])
    assert as_json.status == as_xml.status
    return as_json, as_xml


def test_the_whole_exchange_from_the_specification(spec: SpecClient, key: str) -> None:
    # Discovery names this endpoint and both formats.
    found, found_xml = both(spec.discovery)
    assert found.status == 200
    endpoint = check_discovery(found.document)
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert normal(found.document) == found_xml.document

    # Services: each with the spec's fields; the definition of one.
    services, services_xml = both(spec.services)
    assert services.document
    for service in services.document:
        check_service(service)
    assert normal(services.document) == services_xml.document
    code = services.document[0]["service_code"]
    definition, definition_xml = both(spec.definition, code)
    assert definition.document == {"service_code": code, "attributes": []}
    assert definition_xml.document["service_code"] == code

    # POST: answered with a token (never with the id as well), then the token gives the id.
    posted = spec.submit("xml", good_form(key, service_code=code, lat="25.1276543", long="121.7391234"))
    assert posted.status == 201
    (receipt,) = posted.document
    assert "service_request_id" not in receipt
    assert receipt["token"]
    assert receipt["service_notice"]
    assert receipt["account_id"] == ""
    token_json, token_xml = both(spec.token, receipt["token"])
    (resolved,) = token_json.document
    assert resolved["token"] == receipt["token"]
    request_id = resolved["service_request_id"]
    assert isinstance(request_id, str)
    assert token_xml.document == [resolved]

    # GET it back by id and in the list, in both formats, with nothing personal anywhere.
    one, one_xml = both(spec.request, request_id)
    (item,) = one.document
    check_request(item)
    assert normal(one.document) == one_xml.document
    assert item["service_code"] == code
    assert item["status"] == "open"
    assert item["address"] == "基隆市信義區"
    assert (item["lat"], item["long"]) == (25.128, 121.739)
    assert item["description"] is None
    assert spec_datetime(item["expected_datetime"]) >= spec_datetime(item["requested_datetime"])
    assert item["requested_datetime"].endswith("+08:00")
    listed, listed_xml = both(spec.requests)
    assert listed.document[0]["service_request_id"] == request_id  # newest first
    for entry in listed.document:
        check_request(entry)
    assert normal(listed.document) == listed_xml.document
    by_ids, _xml = both(spec.requests, service_request_id=request_id)
    assert [entry["service_request_id"] for entry in by_ids.document] == [request_id]
    for answer in (
        found,
        found_xml,
        services,
        services_xml,
        one,
        one_xml,
        listed,
        listed_xml,
        token_json,
        token_xml,
    ):
        assert_nothing_personal(answer)


def test_the_default_list_holds_at_most_1000_requests_of_the_last_90_days(spec: SpecClient) -> None:
    now = datetime.now(UTC)
    listed = spec.requests("json")
    assert len(listed.document) <= 1000
    for entry in listed.document:
        check_request(entry)
        assert now - spec_datetime(entry["requested_datetime"]) <= timedelta(days=90, minutes=1)
