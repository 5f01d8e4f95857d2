"""Shortcuts: answers a domain gives to its busiest read-only requests before Flask dispatches them.

A request to the rows API costs more in Flask's dispatch (contexts, routing, the session,
a dozen hooks, the response object) than in its query. A domain may register a
shortcut: a callable that sees the WSGI environ (after the proxy and language
middleware, as Flask would) and returns the whole answer, or None to let Flask answer.
A shortcut answers only what it can answer exactly as Flask would: the same status,
headers and body. It declines everything else (errors included), so every message and
refusal still comes from the site's own views and handlers.

What every shortcut answer carries as Flask's hooks would add it is built here:
`common_headers` gives the security and CORS fields, `gzip_answer` the compression.
`WSGI_SHORTCUTS = False` turns all shortcuts off (tests compare both ways).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask

from portal.http import COMPRESSIBLE, EXPOSED_HEADERS, MIN_GZIP_BYTES, gzip_body, is_program_path
from portal.security import SECURITY_HEADERS

_KEY = "portal.shortcuts"
HSTS = "max-age=31536000; includeSubDomains"


@dataclass
class Answer:
    """A whole HTTP answer: status line, header fields and body."""

    status: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


Shortcut = Callable[[dict[str, Any]], Answer | None]


class ShortcutMiddleware:
    """Ask each registered shortcut in turn; the first answer is sent, else Flask answers."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], shortcuts: list[Shortcut]) -> None:
        self.wsgi_app = wsgi_app
        self.shortcuts = shortcuts

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        for shortcut in self.shortcuts:
            answer = shortcut(environ)
            if answer is not None:
                start_response(answer.status, answer.headers)
                return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [answer.body]
        return self.wsgi_app(environ, start_response)


def register(app: Flask, shortcut: Shortcut) -> None:
    """Ask `shortcut` before Flask for every request of `app` (unless `WSGI_SHORTCUTS` is off)."""
    app.extensions[_KEY].append(shortcut)


def common_headers(environ: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """The fields Flask's hooks add to a successful GET or HEAD answer at `path`: CORS, then security."""
    headers: list[tuple[str, str]] = []
    if is_program_path(path):
        headers += [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", EXPOSED_HEADERS)]
    headers += list(SECURITY_HEADERS.items())
    if environ.get("wsgi.url_scheme") == "https":
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


def compressed(environ: dict[str, Any], media_type: str, body: bytes) -> tuple[bytes, bool, bool]:
    """As `portal.http` compresses a 200: the body as sent, whether it is gzipped, and whether it varies by Accept-Encoding."""
    if (
        environ.get("REQUEST_METHOD") == "HEAD"
        or not media_type.startswith(COMPRESSIBLE)
        or "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", "").lower()
    ):
        return body, False, False
    if len(body) < MIN_GZIP_BYTES:
        return body, False, True
    return gzip_body(body), True, True


def init_app(app: Flask) -> None:
    """Put the shortcuts in front of Flask's own dispatch (run before the language middleware wraps it)."""
    shortcuts: list[Shortcut] = []
    app.extensions[_KEY] = shortcuts
    if app.config.get("WSGI_SHORTCUTS", True):
        app.wsgi_app = ShortcutMiddleware(app.wsgi_app, shortcuts)  # type: ignore[method-assign]
