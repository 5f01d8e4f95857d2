"""API keys for staff automation: issued and revoked in the staff pages, checked on API calls.

`key_required(scope)` guards an API view: the key comes in `Authorization: Bearer ...`
(or `X-API-Key`), and changes the view makes are audit-logged as the key's owner, with
the key's prefix in the record.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, g, request
from sqlalchemy.exc import OperationalError

from portal.apikeys.services import SCOPES, KeyRefusedError, authenticate
from portal.audit import Actor
from portal.auth.roles import Permission
from portal.db import db
from portal.i18n import _, _l
from portal.web.registry import DashboardCard, Link, add_dashboard_card

F = TypeVar("F", bound=Callable[..., Any])


def _presented_token() -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("X-API-Key", "").strip()


def key_required(scope: str) -> Callable[[F], F]:
    """Admit requests whose API key is valid and may act in `scope`; others get 401 or 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from portal.errors import problem_response

            token = _presented_token()
            try:
                if not token:
                    raise KeyRefusedError(401, "missing")
                key = authenticate(token, scope)
            except KeyRefusedError as refused:
                db.session.rollback()
                if refused.status == 403:
                    return problem_response(403, _("這把 API 金鑰沒有執行這項操作的權限。"))
                response = problem_response(
                    401, _("需要有效的 API 金鑰（Authorization: Bearer ...）。金鑰可能有誤、已撤銷或已過期。")
                )
                response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
                return response
            try:
                db.session.commit()  # keeps last_used_at
            except OperationalError:
                # The database is busy with a writer (SQLite): the call goes on without the hint.
                db.session.rollback()
            g.api_key = key
            g.audit_actor = Actor(label=f"{key.staff.username} (API key {key.prefix})", staff_id=key.staff_id)
            return view(*args, **kwargs)

        wrapper.required_scope = scope  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def keys_card(staff: Any) -> DashboardCard | None:
    """A dashboard card linking to the keys page, for staff whose work a key can do."""
    if not staff.can(Permission.MANAGE_STAFF) and not any(
        staff.can(permission) for _label, permission in SCOPES.values()
    ):
        return None
    return DashboardCard(
        title=_l("自動化與 API"),
        links=[Link("apikeys.key_list", _l("API 金鑰")), Link("api_docs.developers", _l("開發者說明"))],
        order=80,
    )


def init_app(app: Flask) -> None:
    """Register the staff pages that manage keys, and their dashboard card."""
    from portal.apikeys.views import bp

    app.register_blueprint(bp)
    add_dashboard_card(app, keys_card)
