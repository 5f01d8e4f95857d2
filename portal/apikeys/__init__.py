"""API keys for staff automation: issued and revoked in the staff pages, checked on API calls.

`key_required(scope)` guards an API view: the key comes in `Authorization: Bearer ...`
(or `X-API-Key`), and changes the view makes are audit-logged as the key's owner, with
the key's prefix in the record. Keys follow their account (`portal.auth.events`): a
password reset or change suspends them until the owner confirms each one, and disabling
the account revokes them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, g, request
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.apikeys.models import ApiKey
from portal.apikeys.services import SCOPES, KeyRefusedError, authenticate, revoke_keys_of, suspend_keys_of
from portal.audit import Actor
from portal.auth import events
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
                    401,
                    _(
                        "需要有效的 API 金鑰（Authorization: Bearer ...）。金鑰可能有誤、已撤銷、已過期，"
                        "或在擁有者的密碼變更後暫停、尚待本人確認。"
                    ),
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
    suspended = db.session.scalar(
        select(func.count(ApiKey.id)).where(
            ApiKey.staff_id == staff.id, ApiKey.suspended_at.is_not(None), ApiKey.revoked_at.is_(None)
        )
    )
    note = (
        _("您有 %(count)d 把 API 金鑰在密碼變更後暫停，請確認或撤銷。", count=suspended) if suspended else ""
    )
    return DashboardCard(
        title=_l("自動化與 API"),
        links=[Link("apikeys.key_list", _l("API 金鑰")), Link("api_docs.developers", _l("開發者說明"))],
        note=note,
        order=80,
    )


def _suspend_after_password(_app: Flask, staff: Any, by_owner: bool, **_details: Any) -> str | None:
    keys = suspend_keys_of(staff)
    if not keys:
        return None
    prefixes = "、".join(key.prefix for key in keys)
    if by_owner:
        return _(
            "您的 %(count)d 把 API 金鑰（%(prefixes)s）已暫停，請到「API 金鑰」頁逐一確認仍要使用，或撤銷。",
            count=len(keys),
            prefixes=prefixes,
        )
    return _(
        "%(name)s 的 %(count)d 把 API 金鑰（%(prefixes)s）已暫停，待本人登入後逐一確認或撤銷。",
        name=staff.display_name,
        count=len(keys),
        prefixes=prefixes,
    )


def _revoke_when_disabled(_app: Flask, staff: Any, **_details: Any) -> str | None:
    keys = revoke_keys_of(staff)
    return _("已撤銷 %(count)d 把 API 金鑰。", count=len(keys)) if keys else None


def init_app(app: Flask) -> None:
    """Register the staff pages that manage keys, their dashboard card, and what keys do on account changes."""
    from portal.apikeys.views import bp

    app.register_blueprint(bp)
    add_dashboard_card(app, keys_card)
    events.password_replaced.connect(_suspend_after_password, sender=app, weak=False)
    events.account_disabled.connect(_revoke_when_disabled, sender=app, weak=False)
