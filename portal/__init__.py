"""The water utility's open-data and citizen-feedback site.

`create_app()` builds the Flask application: settings from the environment
(`portal.config`), then the shared parts (database, languages, security, staff
accounts, offices, pages, the shell), then each domain package's `init_app`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from portal.config import PROJECT_ROOT, build_config

# The domain packages, in the order their `init_app` runs after the house's own parts. Each
# exposes only `init_app(app)`; `migrations/env.py` finds their models by these names.
DOMAINS = ("datasets", "feedback", "disclosure", "search")

__all__ = ["create_app"]


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its serializer built once per set of keys.

    Flask builds the serializer for every request, cookie or not: about 2% of a rows-API
    request's time in the application, profiled. The keys are read on every call, so a
    changed `SECRET_KEY` or `SECRET_KEY_FALLBACKS` takes effect as before.
    """

    def __init__(self) -> None:
        self._kept: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """The serializer for the application's current keys (built again when they change)."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self._kept
        if kept is None or kept[0] != keys:
            kept = (keys, super().get_signing_serializer(app))
            self._kept = kept
        return kept[1]


class PortalFlask(Flask):
    """Flask with static URLs kept free of the language prefix.

    `/en/static/...` would work too, but would make browsers and proxies cache every
    file twice.
    """

    def url_for(self, endpoint: str, /, **values: Any) -> str:  # type: ignore[override]
        from portal.i18n import strip_language_prefix

        url = super().url_for(endpoint, **values)
        if endpoint == "static" or endpoint.endswith(".static"):
            return strip_language_prefix(url)
        return url


def create_app(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """Build the application.

    `overrides` replace settings (tests use them); `environ` replaces the process environment.
    """
    config = build_config(environ, overrides)
    app = PortalFlask(
        __name__,
        instance_path=config["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "site" / "templates"),
        static_folder=str(PROJECT_ROOT / "site" / "static"),
    )
    app.config.update(config)
    app.session_interface = KeptSerializerSessionInterface()  # one per application: its keys
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]  # rows keep their schema's field order
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    for noisy in ("alembic", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from portal import (
        apikeys,
        audit,
        auth,
        classification,
        cli,
        compression,
        errors,
        http,
        i18n,
        links,
        offices,
        page_views,
        pages,
        request_checks,
        request_limits,
        security,
        shortcuts,
        site_frame,
        storage,
        templating,
        web,
    )
    from portal.db import db

    db.init_app(app)
    audit.install_listeners()
    shortcuts.init_app(app)  # first: it wraps Flask's dispatch, inside the language and proxy middleware
    i18n.init_app(app)
    security.init_app(app)
    http.init_app(app)
    compression.init_app(app)
    storage.init_app(app)
    errors.init_app(app)
    request_checks.init_app(app)
    templating.init_app(app)
    auth.init_app(app)
    offices.init_app(app)
    apikeys.init_app(app)
    pages.init_app(app)
    classification.init_app(app)  # browsing by 主題, 施政 and 服務
    site_frame.init_app(app)  # the agency and footer pages every page's frame shows
    web.init_app(app)
    page_views.init_app(app)  # counts the public pages shown
    links.init_app(app)  # after web: its dashboard card joins the shell's
    cli.init_app(app)

    for domain in DOMAINS:
        importlib.import_module(domain).init_app(app)
    request_limits.init_app(app)  # last: the outermost middleware, before the proxy fix reads anything
    return app
