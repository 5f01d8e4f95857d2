"""Rate limits per client address, with the IETF RateLimit header fields on every limited answer.

`RATELIMIT_DEFAULT` applies to every route, each route counting on its own (its GET,
HEAD and OPTIONS together); `limit_endpoint` gives a route a limit of its own for some
methods instead (login attempts). Static files and requests that match no route are
not counted. A request over a limit gets a 429 in the site's shape (`portal.errors`),
with `Retry-After`; every counted answer carries `RateLimit-Limit`, `-Remaining`,
`-Reset` (seconds until the window ends) and `-Policy`.

This is what Flask-Limiter did for the site, with the same windows, keys and header
values, in one hook before and one after each request: Flask-Limiter's general
machinery (resolving limits, scopes and exemptions afresh for every request, then
reading the window back from storage for the headers) cost about a quarter of a rows-API
request's time in the application. The counters are in `portal.ratelimit_storage`.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, g, request
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests

from portal.ratelimit_storage import Counters, counters_for

logger = logging.getLogger(__name__)
_EXTENSION_KEY = "portal.limiter"
_APPLIED = "_rate_limit_applied"
# Where a WSGI shortcut (`portal.shortcuts`) leaves a request it counted but did not answer.
COUNTED_KEY = "portal.ratelimit.counted"


@dataclass(frozen=True)
class Applied:
    """The limit that decided this request's RateLimit fields, and where its window stood."""

    item: RateLimitItem
    count: int
    window_end: float  # Unix time

    @property
    def remaining(self) -> int:
        """Hits left in the window."""
        return max(0, self.item.amount - self.count)

    @property
    def reset_at(self) -> int:
        """The whole second after the window ends, as the RateLimit fields count it."""
        return int(self.window_end + 1)

    @property
    def exceeded(self) -> bool:
        """Whether this request was one too many."""
        return self.count > self.item.amount

    def fields(self, now: float) -> list[tuple[str, str]]:
        """The RateLimit header fields of an answer given at Unix time `now`."""
        return [
            ("RateLimit-Limit", str(self.item.amount)),
            ("RateLimit-Remaining", str(self.remaining)),
            ("RateLimit-Reset", str(max(0, math.ceil(self.reset_at - now)))),
            ("RateLimit-Policy", f"{self.item.amount};w={self.item.get_expiry()}"),
        ]


class RateLimitExceeded(TooManyRequests):
    """A request over its limit (answered 429 by `portal.errors`)."""

    def __init__(self, item: RateLimitItem) -> None:
        super().__init__(description=str(item))
        self.item = item


class RateLimiter:
    """The limits of one application and the counters they use."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        self.enabled = bool(config.get("RATELIMIT_ENABLED", True))
        self.storage: Counters = counters_for(config["RATELIMIT_STORAGE_URI"])
        # The narrowest window first: it decides the header fields while nothing is exceeded.
        self.defaults = sorted(parse_many(config["RATELIMIT_DEFAULT"]))
        prefix = config.get("RATELIMIT_KEY_PREFIX") or ""
        self._prefix: tuple[str, ...] = (prefix,) if prefix else ()
        # endpoint -> (its limit, read at request time; the methods it applies to)
        self.routes: dict[str, tuple[Callable[[], str], frozenset[str]]] = {}

    def count(self, items: list[RateLimitItem], address: str, endpoint: str) -> Applied:
        """Count one request from `address` at `endpoint` against `items`, up to the first one exceeded.

        Returns the limit that names the RateLimit fields: the narrowest window, unless
        another one is exceeded (then that one, and `Applied.exceeded` says so).
        """
        applied: Applied | None = None
        for position, item in enumerate(items):
            key = item.key_for(*self._prefix, address, endpoint)
            count, window_end = self.storage.hit(key, item.get_expiry())
            if position == 0 or count > item.amount:
                applied = Applied(item, count, window_end)
            if count > item.amount:
                logger.info("ratelimit %s (%s) exceeded at endpoint: %s", item, address, endpoint)
                break
        if applied is None:
            raise ValueError("a rate limit needs at least one window")
        return applied

    def check(self, items: list[RateLimitItem], endpoint: str) -> None:
        """Count this request against `items`; raise `RateLimitExceeded` at the first one exceeded."""
        self._apply(self.count(items, request.remote_addr or "127.0.0.1", endpoint))

    @staticmethod
    def _apply(applied: Applied) -> None:
        setattr(g, _APPLIED, applied)
        if applied.exceeded:
            raise RateLimitExceeded(applied.item)

    def before_request(self) -> None:
        """Count the request against the default limits, unless its route has limits of its own.

        A request a WSGI shortcut counted and then left to Flask is not counted again.
        """
        counted: Applied | None = request.environ.get(COUNTED_KEY)
        if counted is not None:
            self._apply(counted)
            return
        endpoint = request.endpoint
        if not self.enabled or not endpoint or endpoint.rsplit(".", 1)[-1] == "static":
            return
        own = self.routes.get(endpoint)
        if own is not None and request.method in own[1]:
            return  # counted by the route's own limit, as the view is called
        self.check(self.defaults, endpoint)

    def after_request(self, response: Response) -> Response:
        """Add the RateLimit fields of the limit that applied; only a refusal keeps `Retry-After`."""
        if response.status_code not in {429, 503}:
            response.headers.pop("Retry-After", None)
        applied: Applied | None = g.get(_APPLIED)
        if applied is None:
            return response
        now = time.time()
        headers = response.headers
        for name, value in applied.fields(now):
            if name != "RateLimit-Policy" or name not in headers:
                headers[name] = value
        if response.status_code == 429:
            headers["Retry-After"] = str(int(_retry_at(headers.get("Retry-After"), applied, now) - now))
        return response


def _retry_at(existing: str | None, applied: Applied, now: float) -> int:
    """When a refused client may try again.

    The window's end when this limit is used up, later if the answer already said so; a
    view's own refusal (a login wait) within a limit not used up keeps its own time.
    """
    try:
        own = int(now + int(existing)) if existing is not None else None
    except ValueError:
        own = None
    if own is None:
        return applied.reset_at
    return own if applied.remaining > 0 else max(own, applied.reset_at)


def limiter_of(app: Flask) -> RateLimiter:
    """The application's rate limiter."""
    return app.extensions[_EXTENSION_KEY]


def current_limit_window() -> int | None:
    """The length in seconds of the window of the limit that applied to this request."""
    applied: Applied | None = g.get(_APPLIED)
    return int(applied.item.get_expiry()) if applied is not None else None


def limit_endpoint(app: Flask, endpoint: str, limit: Callable[[], str], methods: list[str]) -> None:
    """Give `endpoint` a limit of its own (read from `limit()` at request time) for `methods`.

    The route's requests by those methods are counted against it instead of the default
    limits, as the view is called (after every before-request hook).
    """
    limiter = limiter_of(app)
    allowed = frozenset(method.upper() for method in methods)
    limiter.routes[endpoint] = (limit, allowed)
    view = app.view_functions[endpoint]

    @wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        active = limiter_of(current_app)
        if active.enabled and request.method in allowed:
            active.check(sorted(parse_many(limit())), endpoint)
        return view(*args, **kwargs)

    app.view_functions[endpoint] = limited


def init_app(app: Flask) -> None:
    """Give the application its limiter: count before each request, add the fields after it."""
    limiter = RateLimiter(app)
    app.extensions[_EXTENSION_KEY] = limiter
    app.before_request(limiter.before_request)
    app.after_request(limiter.after_request)
