"""The rows API's shortcut: a page of the current release answered without Flask's dispatch.

Most requests to `/api/v1/datasets/<slug>/rows` ask a recently looked-up release for a
page whose total is already counted. For those, Flask's contexts, routing, session and
hooks cost more than the query itself, so this shortcut (`portal.shortcuts`) answers
them from the same parts the view uses: the release lookups, the parser, the count
store, the page cache and `rows_page.render_page`, with the headers Flask's hooks
would add (rate-limit fields included: the request is counted as every request is).

It declines, and the view answers, whatever it cannot answer exactly as the view would:
any method but GET and HEAD, a cookie (a staff session), a conditional request, a
numbered release, a cursor, a release not looked up lately, a total not yet counted, a
parameter the parser refuses or one holding a control character, and a request over
its rate limit (left counted, so that Flask refuses it without counting it twice).
"""

from __future__ import annotations

import re
import time
from typing import Any

from flask import Flask
from werkzeug.exceptions import SecurityError
from werkzeug.http import http_date
from werkzeug.wrappers import Request

from datasets.api import count_cache
from datasets.api.page_cache import page_cache
from datasets.api.release_lookups import kept_source, schema_fields
from datasets.api.rowquery import QueryError, parse_rest
from datasets.api.rows_page import render_page, rows_etag, rows_max_age
from portal.db import db
from portal.i18n import language_of
from portal.ratelimits import COUNTED_KEY, Applied, limiter_of
from portal.request_checks import CONTROL_BUT_LINE_BREAKS
from portal.shortcuts import Answer, common_headers, compressed

ROWS_PATH = re.compile(r"/api/v1/datasets/([^/]+)/rows")
ENDPOINT = "datasets_api.rows"
MEDIA_TYPE = "application/json"
DECLINED_HEADERS = ("HTTP_COOKIE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE")


def _has_control_characters(request: Request) -> bool:
    return any(
        CONTROL_BUT_LINE_BREAKS.search(name) or CONTROL_BUT_LINE_BREAKS.search(value)
        for name, value in request.args.items(multi=True)
    )


def _host_is_trusted(request: Request) -> bool:
    try:
        request.host  # noqa: B018 - reading it checks it
    except SecurityError:
        return False
    return True


class RowsShortcut:
    """Answers the commonest rows requests of one application (see the module docstring)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.answered = 0  # how many requests it answered, for tests and the curious

    def __call__(self, environ: dict[str, Any]) -> Answer | None:
        if environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}:
            return None
        match = ROWS_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or any(name in environ for name in DECLINED_HEADERS):
            return None
        source = kept_source(self.app, match.group(1))
        if source is None:
            return None
        request = Request(environ)
        request.trusted_hosts = self.app.config.get("TRUSTED_HOSTS")  # as Flask gives its requests
        if request.trusted_hosts and not _host_is_trusted(request):
            return None
        if _has_control_characters(request):
            return None
        try:
            query = parse_rest(request.args, {"fields": schema_fields(source)})
        except QueryError:
            return None
        if query.cursor:
            return None
        total = (
            count_cache.kept_total(self.app, source.target.cache_key, query.count_key())
            if query.count
            else None
        )
        if query.count and total is None:
            return None
        applied = self._count(request)
        if applied is not None and applied.exceeded:
            environ[COUNTED_KEY] = applied
            return None
        path = request.path
        etag = rows_etag(source, query, language_of(environ, path).code, path)
        cache = page_cache(self.app)
        cache_key = f"{etag} {request.host_url}"
        body = cache.get(cache_key) if cache is not None else None
        if body is None:
            with db.reading(self.app) as connection:
                body = render_page(
                    connection,
                    source,
                    query,
                    total,
                    after=None,
                    base_url=request.base_url,
                    args=request.args.items(multi=True),
                    secret=self.app.config["SECRET_KEY"],
                )
            if cache is not None:
                cache.put(cache_key, body)
        self.answered += 1
        return self._answer(request, body, etag, rows_max_age(source, path), applied)

    def _count(self, request: Request) -> Applied | None:
        limiter = limiter_of(self.app)
        if not limiter.enabled:
            return None
        own = limiter.routes.get(ENDPOINT)
        if own is not None and request.method in own[1]:
            return None  # never so today; the view would count it against its own limit
        return limiter.count(limiter.defaults, request.remote_addr or "127.0.0.1", ENDPOINT)

    @staticmethod
    def _answer(request: Request, body: bytes, etag: str, max_age: int, applied: Applied | None) -> Answer:
        environ = request.environ
        sent, gzipped, varies = compressed(environ, MEDIA_TYPE, body)
        headers = [
            ("Content-Type", MEDIA_TYPE),
            ("Content-Length", str(len(sent))),
            ("ETag", f'W/"{etag}"'),
            ("Cache-Control", f"public, max-age={max_age}"),
            ("Vary", "Accept-Language, Accept-Encoding" if varies else "Accept-Language"),
            ("Date", http_date()),
            *common_headers(environ, request.path),
        ]
        if gzipped:
            headers.append(("Content-Encoding", "gzip"))
        if applied is not None:
            headers += applied.fields(time.time())
        return Answer("200 OK", headers, sent)


def init_app(app: Flask) -> None:
    """Register the shortcut with `portal.shortcuts`."""
    from portal import shortcuts

    shortcuts.register(app, RowsShortcut(app))
