"""The Open311 documents and their two renderings (pure): the same content in JSON and XML, the spec's shapes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from defusedxml import ElementTree

from feedback.cases.open311.formats import (
    Problem,
    PublicRequest,
    Service,
    definition_document,
    discovery_document,
    end_of_day,
    errors_document,
    iso_datetime,
    render,
    request_document,
    rounded,
    services_document,
    submitted_document,
    token_document,
)
from tests.feedback.cases.open311.spec_client import REQUEST_FIELDS, normal, parse

CASE = PublicRequest(
    number="1151202-0007",
    status="open",
    status_notes="處理中",
    service_code="complaint",
    service_name="陳情與申訴",
    agency="基隆服務所",
    requested=datetime(2026, 12, 2, 1, 30, 15, 123456, tzinfo=UTC),
    updated=None,
    expected=end_of_day(date(2026, 12, 10)),
    district="基隆市信義區",
    latitude=25.1276543,
    longitude=121.7391234,
)


def test_datetimes_are_iso_8601_in_taipei_with_their_offset() -> None:
    assert iso_datetime(datetime(2026, 12, 2, 1, 30, 15, 999, tzinfo=UTC)) == "2026-12-02T09:30:15+08:00"
    assert iso_datetime(datetime(2026, 12, 31, 20, 0, tzinfo=UTC)) == "2027-01-01T04:00:00+08:00"
    assert iso_datetime(end_of_day(date(2026, 12, 10))) == "2026-12-10T23:59:59+08:00"


def test_coordinates_are_rounded_to_about_a_hundred_metres() -> None:
    assert rounded(25.1276543) == 25.128
    assert rounded(-121.7394) == -121.739
    assert rounded(None) is None
    assert rounded(float("nan")) is None


def test_a_request_has_every_field_of_the_spec_and_publishes_nothing_personal() -> None:
    document = request_document(CASE)
    assert tuple(document) == REQUEST_FIELDS
    assert document["service_request_id"] == "1151202-0007"
    assert document["requested_datetime"] == "2026-12-02T09:30:15+08:00"
    assert document["updated_datetime"] is None
    assert document["expected_datetime"] == "2026-12-10T23:59:59+08:00"
    assert (document["lat"], document["long"]) == (25.128, 121.739)
    assert document["address"] == "基隆市信義區"
    for withheld in ("description", "address_id", "zipcode", "media_url", "service_notice"):
        assert document[withheld] is None


def test_an_unknown_district_is_null_not_empty_text() -> None:
    document = request_document(PublicRequest(**{**CASE.__dict__, "district": "", "latitude": None}))
    assert document["address"] is None
    assert document["lat"] is None


@pytest.mark.parametrize(
    ("root", "document"),
    [
        ("service_requests", [request_document(CASE)]),
        (
            "services",
            services_document(
                [Service("complaint", "陳情與申訴", "不滿 & <抱怨>", "陳情與申訴", ("complaint", "陳情"))]
            ),
        ),
        ("service_definition", definition_document("complaint")),
        ("errors", errors_document([Problem(400, "a"), Problem(400, "b")])),
        ("service_requests", submitted_document("tok-1", "已受理")),
        ("service_requests", token_document("tok-1", "1151202-0007")),
        (
            "discovery",
            discovery_document(
                changeset=datetime(2026, 12, 2, tzinfo=UTC),
                contact="c",
                key_service="k",
                url="https://example.org/open311/v2",
                formats=["application/json", "text/xml"],
            ),
        ),
    ],
)
def test_json_and_xml_say_the_same(root: str, document: object) -> None:
    as_json, json_type = render("json", root, document)
    as_xml, xml_type = render("xml", root, document)
    assert (json_type, xml_type) == ("application/json", "text/xml")
    assert as_xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert ElementTree.fromstring(as_xml).tag == root
    from_json = normal(json.loads(as_json))
    from_xml = parse("xml", as_xml)
    if root == "service_definition":
        from_xml = {**from_xml, "attributes": []}  # an empty list reads back as an empty element
    assert from_xml == from_json


def test_characters_are_written_as_themselves_in_utf8() -> None:
    body, _type = render("json", "services", [{"service_name": "陳情"}])
    assert "陳情".encode() in body
    xml, _type = render("xml", "services", [{"service_name": "陳情 & <x>"}])
    assert "陳情 &amp; &lt;x&gt;".encode() in xml


def test_xml_uses_the_specs_element_names() -> None:
    errors, _type = render("xml", "errors", errors_document([Problem(403, "沒有金鑰")]))
    assert errors.endswith(
        b"<errors><error><code>403</code><description>\xe6\xb2\x92\xe6\x9c\x89\xe9\x87\x91\xe9\x91\xb0</description></error></errors>"
    )
    requests_xml, _type = render("xml", "service_requests", submitted_document("t", "n"))
    assert (
        b"<service_requests><request><token>t</token><service_notice>n</service_notice><account_id /></request></service_requests>"
        in requests_xml
    )


def test_errors_in_json_carry_the_code_as_a_number() -> None:
    body, _type = render("json", "errors", errors_document([Problem(404, "找不到")]))
    assert json.loads(body) == [{"code": 404, "description": "找不到"}]


def test_anything_but_json_is_written_as_xml() -> None:
    body, media_type = render("csv", "errors", errors_document([Problem(404, "x")]))
    assert media_type == "text/xml"
    assert body.startswith(b"<?xml")


def test_services_are_batch_without_metadata_and_their_codes_are_strings() -> None:
    (service,) = services_document([Service("meter-check", "水錶檢驗", "d", "申請", ("application", "申請"))])
    assert service == {
        "service_code": "meter-check",
        "service_name": "水錶檢驗",
        "description": "d",
        "metadata": False,
        "type": "batch",
        "keywords": "application,申請",
        "group": "申請",
    }


def test_a_post_is_answered_with_a_token_never_the_id_as_well() -> None:
    (answer,) = submitted_document("abc", "已受理")
    assert "service_request_id" not in answer
    assert answer == {"token": "abc", "service_notice": "已受理", "account_id": None}
