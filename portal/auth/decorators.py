"""Permission decorators for staff views.

Every view under `/staff` carries one of these; a test walks the URL map and fails
on any staff view without. `staff_required` admits any signed-in staff member,
`permission_required(P)` only those whose roles grant `P`, and `no_login_required`
marks the few staff pages a stranger must reach (the login page).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, url_for

from portal.auth.roles import Permission

F = TypeVar("F", bound=Callable[..., Any])

# Attribute set on decorated views; the route-walking test reads it.
PERMISSION_ATTRIBUTE = "required_permission"
ANY_STAFF = "any_staff"
NOBODY_SIGNED_IN = "no_login_required"


def _redirect_to_login() -> Any:
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _guard(requirement: str, view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        staff = g.get("staff")
        if requirement != NOBODY_SIGNED_IN:
            if staff is None:
                return _redirect_to_login()
            if requirement != ANY_STAFF and not staff.can(Permission(requirement)):
                abort(403)
        return view(*args, **kwargs)

    setattr(wrapper, PERMISSION_ATTRIBUTE, requirement)
    return wrapper  # type: ignore[return-value]


def staff_required(view: F) -> F:
    """Admit any signed-in staff member."""
    return _guard(ANY_STAFF, view)


def permission_required(permission: Permission) -> Callable[[F], F]:
    """Admit signed-in staff whose roles grant `permission`; others get 403."""

    def decorate(view: F) -> F:
        return _guard(permission.value, view)

    return decorate


def no_login_required(view: F) -> F:
    """Mark a staff-area view that strangers may reach on purpose."""
    return _guard(NOBODY_SIGNED_IN, view)


def safe_next_url(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target
