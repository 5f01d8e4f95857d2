"""Staff accounts: roles, permissions, sign-in, sessions and account management.

Views protect themselves with the decorators in `portal.auth.decorators`; the
signed-in staff member of a request is `g.staff`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, redirect, request, url_for

from portal.auth.decorators import no_login_required, permission_required, staff_required
from portal.auth.roles import Permission, Role

__all__ = ["Permission", "Role", "init_app", "no_login_required", "permission_required", "staff_required"]

# Where a staff member who must change their password may still go.
_ALLOWED_BEFORE_PASSWORD_CHANGE = frozenset({"auth.change_password", "auth.logout_view", "static"})


def _require_password_change() -> Any:
    staff = g.get("staff")
    if staff is None or not staff.must_change_password:
        return None
    if request.endpoint in _ALLOWED_BEFORE_PASSWORD_CHANGE or not request.path.startswith("/staff"):
        return None
    return redirect(url_for("auth.change_password"))


def init_app(app: Flask) -> None:
    """Register the staff blueprint, session loading and the `users` commands."""
    from portal.auth.cli import users_cli
    from portal.auth.sessions import load_signed_in_staff
    from portal.auth.views import bp, login_limit
    from portal.security import limit_endpoint

    app.register_blueprint(bp)
    limit_endpoint(app, "auth.login", login_limit, methods=["POST"])
    app.before_request(load_signed_in_staff)
    app.before_request(_require_password_change)
    app.cli.add_command(users_cli)
