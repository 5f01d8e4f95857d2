"""`requests` without a network: a transport adapter that hands each request to a WSGI test client.

Clients built on `requests` (such as `ckanapi.RemoteCKAN`) can then be pointed at the
application in the same process, inside the test's database transaction:

    session = wsgi_session(client)          # client: a Flask/werkzeug test client
    session.get("http://testserver/api/3/action/status_show")

Bodies the application gzips (it does when `requests` sends `Accept-Encoding: gzip`)
are decoded, as urllib3 decodes them, so `Response.content` is the plain body.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Mapping

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.test import Client

BASE_URL = "http://testserver/"


def _body(request: requests.PreparedRequest) -> bytes:
    body = request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if hasattr(body, "read"):
        data = body.read()
        return data.encode() if isinstance(data, str) else data
    if isinstance(body, Iterable):
        return b"".join(part.encode() if isinstance(part, str) else part for part in body)
    raise TypeError(f"cannot send a body of type {type(body).__name__}")


def _decode(content: bytes, encoding: str) -> bytes:
    encoding = encoding.strip().lower()
    if encoding == "gzip":
        return gzip.decompress(content)
    if encoding == "deflate":
        try:
            return zlib.decompress(content)
        except zlib.error:  # raw deflate, without the zlib header
            return zlib.decompress(content, -zlib.MAX_WBITS)
    return content


class WSGIAdapter(BaseAdapter):
    """A `requests` transport that answers through a werkzeug test client instead of a socket."""

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Run `request` in the application and return what it answered as a `requests.Response`."""
        headers = {name: value for name, value in request.headers.items() if name.lower() != "content-length"}
        answer = self.client.open(
            request.url or "/",
            method=request.method or "GET",
            headers=headers,
            data=_body(request),
            follow_redirects=False,
        )
        try:
            content = answer.get_data()
        finally:
            answer.close()
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.status.partition(" ")[2]
        response.headers = CaseInsensitiveDict(answer.headers.items())
        for coding in reversed(response.headers.get("Content-Encoding", "").split(",")):
            if coding.strip():
                content = _decode(content, coding)
        response._content = content
        response._content_consumed = True
        response.encoding = get_encoding_from_headers(response.headers)
        response.url = request.url or ""
        response.request = request
        response.connection = self
        return response

    def close(self) -> None:
        """Nothing to release: no connections are opened."""


def wsgi_session(
    client: Client, base_url: str = BASE_URL, headers: Mapping[str, str] | None = None
) -> requests.Session:
    """A `requests.Session` whose requests under `base_url` go to `client`; `headers` are sent with each."""
    session = requests.Session()
    session.mount(base_url, WSGIAdapter(client))
    session.headers.update(headers or {})
    return session
