"""An Open311 GeoReport v2 client that knows only the specification, for testing the endpoint from outside.

It knows the URLs (`discovery`, `services`, `services/{code}`, `requests`,
`requests/{id}`, `tokens/{token}`, each `.json` or `.xml`), the parameters, the field
names and the shape of errors, nothing of this site. Every answer is parsed in its
format (XML with defusedxml) into the same plain structure, so a test can ask both
formats and compare: XML text is kept as text, JSON values as given, and `normal()`
makes the two comparable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
ENDPOINT_FIELDS = ("specification", "url", "changeset", "type", "formats")
ROOTS = {"service_requests", "services", "errors", "discovery", "service_definition"}
LISTS = {"endpoints", "formats", "attributes", "values"}

# What sends a request: (method, path with query, form or None) -> (status, Content-Type, body).
Transport = Callable[[str, str, Mapping[str, str] | None], tuple[int, str, bytes]]


@dataclass(frozen=True)
class Answer:
    """A parsed answer: its status, media type, the raw body and the parsed document."""

    status: int
    media_type: str
    body: bytes
    document: Any


def _element(element: Element) -> Any:
    children = list(element)
    if element.tag in LISTS or (
        element.tag in ROOTS and element.tag not in {"discovery", "service_definition"}
    ):
        return [_element(child) for child in children]
    if not children:
        return element.text or ""
    return {child.tag: _element(child) for child in children}


def parse(fmt: str, body: bytes) -> Any:
    """A body in `fmt` as plain data; XML's root is unwrapped (`<services><service>` is a list)."""
    if fmt == "json":
        return json.loads(body.decode("utf-8"))
    root = ElementTree.fromstring(body)
    assert root.tag in ROOTS, f"unexpected XML root {root.tag}"
    return _element(root)


def normal(value: Any) -> Any:
    """A parsed value as text, as XML would carry it: null is "", true is "true", numbers as written."""
    if isinstance(value, dict):
        return {key: normal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normal(item) for item in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def spec_datetime(text: str) -> datetime:
    """An ISO 8601 datetime as the specification requires it: with its offset."""
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, f"datetime without a time zone: {text}"
    return moment


class SpecClient:
    """Drives an Open311 GeoReport v2 endpoint at `base` (such as `/open311/v2`) through `transport`."""

    def __init__(self, transport: Transport, base: str) -> None:
        self.transport = transport
        self.base = base.rstrip("/")

    def _ask(
        self,
        method: str,
        resource: str,
        fmt: str,
        query: Mapping[str, str] | None,
        form: Mapping[str, str] | None,
    ) -> Answer:
        path = f"{self.base}/{resource}.{fmt}"
        if query:
            path += "?" + urlencode(query)
        status, content_type, body = self.transport(method, path, form)
        media_type = content_type.split(";")[0].strip()
        if fmt in {"json", "xml"}:
            assert "charset=utf-8" in content_type.lower().replace(" ", ""), content_type
        parsed = parse("json" if media_type == "application/json" else "xml", body)
        return Answer(status, media_type, body, parsed)

    def discovery(self, fmt: str) -> Answer:
        """GET discovery."""
        return self._ask("GET", "discovery", fmt, None, None)

    def services(self, fmt: str) -> Answer:
        """GET services."""
        return self._ask("GET", "services", fmt, None, None)

    def definition(self, code: str, fmt: str) -> Answer:
        """GET services/{code}."""
        return self._ask("GET", f"services/{code}", fmt, None, None)

    def requests(self, fmt: str, **query: str) -> Answer:
        """GET requests with filters (service_request_id, service_code, start_date, end_date, status)."""
        return self._ask("GET", "requests", fmt, query, None)

    def request(self, request_id: str, fmt: str) -> Answer:
        """GET requests/{id}."""
        return self._ask("GET", f"requests/{request_id}", fmt, None, None)

    def token(self, token: str, fmt: str) -> Answer:
        """GET tokens/{token}."""
        return self._ask("GET", f"tokens/{token}", fmt, None, None)

    def submit(self, fmt: str, form: Mapping[str, str]) -> Answer:
        """POST requests, form-encoded."""
        return self._ask("POST", "requests", fmt, None, form)


def check_errors(answer: Answer, status: int) -> list[str]:
    """The descriptions of an errors answer, after checking its shape and that each code is `status`."""
    assert answer.status == status, (answer.status, answer.body[:300])
    assert isinstance(answer.document, list), answer.document
    assert answer.document, "an errors answer without an error"
    descriptions = []
    for error in answer.document:
        assert set(error) == {"code", "description"}, error
        assert str(error["code"]) == str(status), error
        assert isinstance(error["description"], str), error
        assert error["description"].strip(), error
        descriptions.append(error["description"])
    return descriptions


def check_request(request: Mapping[str, Any]) -> None:
    """One request as GET requests gives it: every field the specification lists, each well formed."""
    assert set(REQUEST_FIELDS) <= set(request), sorted(set(REQUEST_FIELDS) - set(request))
    assert isinstance(request["service_request_id"], str)
    assert request["service_request_id"]
    assert isinstance(request["service_code"], str)
    assert request["service_code"]
    assert request["status"] in {"open", "closed"}
    spec_datetime(request["requested_datetime"])
    for name in ("updated_datetime", "expected_datetime"):
        if request[name]:
            spec_datetime(request[name])
    for name in ("lat", "long"):
        if request[name] not in (None, ""):
            float(request[name])


def check_service(service: Mapping[str, Any]) -> None:
    """One service as GET services gives it."""
    assert tuple(service) == SERVICE_FIELDS or set(SERVICE_FIELDS) <= set(service), service
    assert isinstance(service["service_code"], str)
    assert service["service_code"]
    assert str(service["metadata"]).lower() in {"true", "false"}
    assert service["type"] in {"realtime", "batch", "blackbox"}


def check_discovery(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """Discovery's fields; returns the production endpoint of this specification."""
    for name in ("changeset", "contact", "key_service", "endpoints"):
        assert name in document, name
    spec_datetime(document["changeset"])
    endpoints = [
        endpoint
        for endpoint in document["endpoints"]
        if endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    ]
    assert endpoints, document["endpoints"]
    endpoint = endpoints[0]
    assert set(ENDPOINT_FIELDS) <= set(endpoint), endpoint
    assert endpoint["type"] in {"production", "test"}
    return endpoint
