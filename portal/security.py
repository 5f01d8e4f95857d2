"""Protection every response gets: CSRF on forms, rate limits and security headers.

Rate limits count per client address in process memory, or in Redis when `REDIS_URL`
is set so that every worker and machine shares them. The content security policy
allows no inline script or style, so no page may contain either.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

csrf = CSRFProtect()
_LIMITER_KEY = "portal.limiter"


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.path.startswith("/staff"):
        # Staff pages hold personal data: never keep them in shared or browser caches.
        response.headers["Cache-Control"] = "no-store"
    return response


def _rate_limit_fields(response: Response) -> Response:
    """Express the window's reset as seconds from now and name the policy, as the RateLimit fields do."""
    if response.status_code not in {429, 503}:
        response.headers.pop("Retry-After", None)  # only a refusal tells a client to wait
    reset = response.headers.get("RateLimit-Reset")
    if reset is not None:
        try:
            seconds = max(0, math.ceil(float(reset) - time.time()))
        except ValueError:
            return response
        response.headers["RateLimit-Reset"] = str(seconds)
        limit = response.headers.get("RateLimit-Limit")
        if limit is not None and "RateLimit-Policy" not in response.headers:
            window = current_limit_window()
            if window:
                response.headers["RateLimit-Policy"] = f"{limit};w={window}"
    return response


def current_limit_window() -> int | None:
    """The length in seconds of the window of the limit that applied to this request."""
    limiter: Limiter | None = current_app.extensions.get(_LIMITER_KEY)
    applied = limiter.current_limit if limiter is not None else None
    return int(applied.limit.get_expiry()) if applied is not None else None


def limit_endpoint(app: Flask, endpoint: str, limit: Callable[[], str], methods: list[str]) -> None:
    """Apply an extra rate limit, read from the configuration at request time, to `endpoint`."""
    limiter: Limiter = app.extensions[_LIMITER_KEY]
    view = app.view_functions[endpoint]
    app.view_functions[endpoint] = limiter.limit(limit, methods=methods)(view)


def init_app(app: Flask) -> None:
    """Install CSRF protection, rate limits, security headers and proxy handling."""
    csrf.init_app(app)
    # Registered before the limiter's own hook, so it runs after it and sees its headers.
    app.after_request(_rate_limit_fields)
    # One limiter per application: Flask-Limiter keeps its storage and limits on the
    # instance, so a shared module-level one would mix the settings of several apps.
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    app.extensions[_LIMITER_KEY] = limiter
    app.after_request(_add_security_headers)
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops
        )
