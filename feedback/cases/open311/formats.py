"""Open311 GeoReport v2 documents, and their JSON and XML renderings (pure).

A document is built once as plain data (dicts in the specification's field order, lists,
strings, numbers, booleans and None) and then written in either format, so the two can
never say different things. JSON is a list at the top (`[{...}]`) except for discovery
and a service definition, as the specification shows them; XML names its root and
repeats one element per list item (`<service_requests><request>…`). Every code and id
is a string; datetimes are ISO 8601 in Taipei's offset (`+08:00`); None is JSON's null
and an empty XML element. Both are UTF-8.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ("json", "xml")
MEDIA_TYPES = {"json": "application/json", "xml": "text/xml"}
COORDINATE_DECIMALS = 3  # about 110 m: the street, never the house
# The element each list item is written as, by the list's own name.
ITEM_NAMES = {
    "service_requests": "request",
    "services": "service",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}

Document = Any  # dicts, lists, str, int, float, bool and None


@dataclass(frozen=True)
class Service:
    """A case type as Open311 lists it, already in the request's language."""

    code: str
    name: str
    description: str
    group: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class PublicRequest:
    """What Open311 publishes of one case: nothing that names, reaches or quotes the citizen."""

    number: str
    status: str  # open | closed
    status_notes: str
    service_code: str
    service_name: str
    agency: str
    requested: datetime
    updated: datetime | None
    expected: datetime | None
    district: str  # the address's district only, "" when unknown
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Problem:
    """One error of an answer: its HTTP-like code and a description in the request's language."""

    code: int
    description: object  # a str or a lazy string, rendered as text


def iso_datetime(moment: datetime) -> str:
    """`moment` (aware) in Taipei time, ISO 8601 with its offset: 2026-12-02T20:34:31+08:00."""
    return moment.astimezone(TAIPEI).replace(microsecond=0).isoformat()


def end_of_day(day: date) -> datetime:
    """The last second of `day` in Taipei: a due date means "by the end of that day"."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=TAIPEI)


def rounded(coordinate: float | None) -> float | None:
    """A published coordinate: COORDINATE_DECIMALS places, or None when there is none to publish."""
    if coordinate is None or not math.isfinite(coordinate):
        return None
    return round(coordinate, COORDINATE_DECIMALS)


def services_document(services: Iterable[Service]) -> list[dict[str, Any]]:
    """GET services: each service with the specification's fields (no attributes defined: metadata false)."""
    return [
        {
            "service_code": service.code,
            "service_name": service.name,
            "description": service.description,
            "metadata": False,
            "type": "batch",
            "keywords": ",".join(service.keywords),
            "group": service.group,
        }
        for service in services
    ]


def definition_document(code: str) -> dict[str, Any]:
    """GET services/{code}: the service's definition; no service asks for attributes."""
    return {"service_code": code, "attributes": []}


def request_document(case: PublicRequest) -> dict[str, Any]:
    """One request as GET requests and requests/{id} give it, every field the specification lists.

    The description, the exact address, the address id, the post code and any media are
    never published (null); the address is the district alone.
    """
    return {
        "service_request_id": case.number,
        "status": case.status,
        "status_notes": case.status_notes,
        "service_name": case.service_name,
        "service_code": case.service_code,
        "description": None,
        "agency_responsible": case.agency,
        "service_notice": None,
        "requested_datetime": iso_datetime(case.requested),
        "updated_datetime": iso_datetime(case.updated) if case.updated else None,
        "expected_datetime": iso_datetime(case.expected) if case.expected else None,
        "address": case.district or None,
        "address_id": None,
        "zipcode": None,
        "lat": rounded(case.latitude),
        "long": rounded(case.longitude),
        "media_url": None,
    }


def submitted_document(token: str, notice: str) -> list[dict[str, Any]]:
    """POST requests: the token to follow the request by (never the id as well), and the notice."""
    return [{"token": token, "service_notice": notice, "account_id": None}]


def token_document(token: str, number: str) -> list[dict[str, Any]]:
    """GET tokens/{token}: the request id the token stands for."""
    return [{"service_request_id": number, "token": token}]


def errors_document(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """An error answer: every problem at once, each with its code (a number) and description."""
    return [{"code": problem.code, "description": str(problem.description)} for problem in problems]


def discovery_document(
    *, changeset: datetime, contact: str, key_service: str, url: str, formats: Iterable[str]
) -> dict[str, Any]:
    """GET discovery: where this endpoint is and what it speaks."""
    return {
        "changeset": iso_datetime(changeset),
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": iso_datetime(changeset),
                "type": "production",
                "formats": list(formats),
            }
        ],
    }


def render_json(document: Document) -> bytes:
    """The document as UTF-8 JSON (characters as themselves, not escaped)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for name, child in value.items():
            _fill(ElementTree.SubElement(element, name), child)
    elif isinstance(value, list):
        item = ITEM_NAMES[element.tag]
        for child in value:
            _fill(ElementTree.SubElement(element, item), child)
    else:
        element.text = _text(value)


def render_xml(root: str, document: Document) -> bytes:
    """The document as UTF-8 XML under `root`; a list's items are named by ITEM_NAMES."""
    element = ElementTree.Element(root)
    _fill(element, document)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def render(fmt: str, root: str, document: Document) -> tuple[bytes, str]:
    """The body and media type of `document` in `fmt` ("json" or "xml"; XML for anything else)."""
    if fmt == "json":
        return render_json(document), MEDIA_TYPES["json"]
    return render_xml(root, document), MEDIA_TYPES["xml"]
