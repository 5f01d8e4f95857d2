"""Limits on a request's line and header fields, checked before anything else reads the request.

The WSGI server (granian, see docs/deployment.md) reads a request into a bounded buffer
and refuses what it cannot parse (a malformed header, an unknown HTTP version, more than
100 header fields) with an empty answer of its own, which repeats nothing. What it
accepts within that buffer can still be far longer than any address the site makes, so
the outermost middleware here refuses, before the proxy fix, the language middleware or
Flask see it:

- a request line over `MAX_REQUEST_LINE` bytes: 414;
- more than `MAX_HEADER_FIELDS` header fields, or one over `MAX_HEADER_FIELD` bytes: 431.

Its answer is a fixed page in both languages (no language can be chosen from a request
refused unread) that repeats nothing of the request and carries the security headers of
every page of the site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from flask import Flask

from portal.security import SECURITY_HEADERS

# 4094 bytes hold every link the site makes, filters of the rows API included.
MAX_REQUEST_LINE = 4094
MAX_HEADER_FIELDS = 100
MAX_HEADER_FIELD = 8190

_CHINESE = {
    400: "無法處理這個要求",
    414: "網址太長",
    431: "要求的標頭太大",
}


def error_page(status: int) -> tuple[str, list[tuple[str, str]], bytes]:
    """The status line, header fields and fixed body of a refusal with `status`."""
    reason = HTTPStatus(status).phrase
    chinese = _CHINESE.get(status, _CHINESE[400])
    body = (
        '<!doctype html>\n<html lang="zh-Hant-TW">\n<head><meta charset="utf-8">'
        f"<title>{status} {chinese}</title></head>\n<body>\n<h1>{chinese}</h1>\n"
        f'<p lang="en">{status} {reason}</p>\n</body>\n</html>\n'
    ).encode()
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        *SECURITY_HEADERS.items(),
    ]
    return f"{status} {reason}", headers, body


def refusal(environ: dict[str, Any]) -> int | None:
    """The status a request breaking a limit is refused with, or None when it keeps them all."""
    # PATH_INFO holds the path's bytes decoded as Latin-1 (PEP 3333): encoded again, as sent.
    raw_path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    target = quote(raw_path, safe="/;=,:@!$&'()*+~-._")
    query = environ.get("QUERY_STRING", "")
    line = len(environ.get("REQUEST_METHOD", "")) + 1 + len(target) + (len(query) + 1 if query else 0) + 9
    if line > MAX_REQUEST_LINE:
        return 414
    fields = 0
    for name, value in environ.items():
        if name.startswith("HTTP_") or name in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
            fields += 1
            # Measured as sent ("X-Big: v"), not as the environ names it ("HTTP_X_BIG").
            sent_name = len(name) - 5 if name.startswith("HTTP_") else len(name)
            if sent_name + 2 + len(str(value)) > MAX_HEADER_FIELD:
                return 431
    return 431 if fields > MAX_HEADER_FIELDS else None


class RequestLimits:
    """WSGI middleware refusing requests over the limits with the fixed page."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        status = refusal(environ)
        if status is None:
            return self.wsgi_app(environ, start_response)
        line, headers, body = error_page(status)
        start_response(line, headers)
        return [body]


def init_app(app: Flask) -> None:
    """Check every request's line and header fields first (call after every other middleware is in place)."""
    app.wsgi_app = RequestLimits(app.wsgi_app)  # type: ignore[method-assign]
