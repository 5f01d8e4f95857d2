"""Protection every response gets: CSRF on forms, rate limits and security headers.

Rate limits (`portal.ratelimits`) count per client address in process memory, or in
Redis when `REDIS_URL` is set so that every worker and machine shares them. The content
security policy allows no inline script or style, so no page may contain either.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import ratelimits
from portal.ratelimits import current_limit_window, limit_endpoint

__all__ = ["SECURITY_HEADERS", "csrf", "current_limit_window", "init_app", "limit_endpoint"]

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


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.path.startswith("/staff"):
        # Staff pages hold personal data: never keep them in shared or browser caches.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Install CSRF protection, rate limits, security headers and proxy handling."""
    csrf.init_app(app)
    # After CSRF's hook: a form refused for its token is not counted.
    ratelimits.init_app(app)
    app.after_request(_add_security_headers)
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops
        )
