"""Every staff route checks permissions: a walk over the URL map, then requests to prove it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask

from portal.auth.decorators import ANY_STAFF, NOBODY_SIGNED_IN, PERMISSION_ATTRIBUTE
from portal.auth.roles import ROLE_PERMISSIONS, Permission, Role
from tests.conftest import StaffAccount
from tests.support.pages import PageClient

STAFF_PREFIX = "/staff"
# The staff routes today, and those of them a role may be refused by a GET (no parameter
# needed for the admitted walk). A walk that sees fewer has lost routes: raise these
# numbers when routes are added, never lower them to make a walk pass.
MIN_STAFF_ROUTES = 30
MIN_PERMISSION_GETS = 20
MIN_PLAIN_PERMISSION_GETS = 10


def staff_rules(app: Flask) -> list:
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(STAFF_PREFIX)]


def concrete_path(rule_text: str) -> str:
    """A path for `rule_text` with every variable filled in (ids that need not exist)."""
    return re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "1", rule_text)


def test_every_staff_route_declares_a_permission(app: Flask) -> None:
    unchecked = [
        rule.endpoint
        for rule in staff_rules(app)
        if getattr(app.view_functions[rule.endpoint], PERMISSION_ATTRIBUTE, None) is None
    ]
    assert len(staff_rules(app)) >= MIN_STAFF_ROUTES, "the walk lost staff routes"
    assert unchecked == [], f"staff routes without a permission decorator: {unchecked}"


def test_every_guarded_view_is_in_the_walk(app: Flask) -> None:
    guarded = {
        endpoint for endpoint, view in app.view_functions.items() if hasattr(view, PERMISSION_ATTRIBUTE)
    }
    walked = {rule.endpoint for rule in staff_rules(app)}
    assert guarded - walked == set(), "views with a permission outside the staff prefix escape the walk"


def test_declared_permissions_exist(app: Flask) -> None:
    known = {permission.value for permission in Permission} | {ANY_STAFF, NOBODY_SIGNED_IN}
    for rule in staff_rules(app):
        assert getattr(app.view_functions[rule.endpoint], PERMISSION_ATTRIBUTE) in known


def test_only_the_login_page_is_open_to_strangers(app: Flask) -> None:
    open_endpoints = {
        rule.endpoint
        for rule in staff_rules(app)
        if getattr(app.view_functions[rule.endpoint], PERMISSION_ATTRIBUTE) == NOBODY_SIGNED_IN
    }
    assert open_endpoints == {"auth.login"}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_strangers_are_sent_to_login(app: Flask, pages: PageClient, prefix: str) -> None:
    walked = 0
    for rule in staff_rules(app):
        if rule.endpoint == "auth.login":
            continue
        walked += 1
        path = prefix + concrete_path(rule.rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = pages.client.open(path, method=method)
        if method == "POST":
            # No CSRF token: refused before anything else happens.
            assert response.status_code in (302, 400), path
        else:
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith(f"{prefix}/staff/login?next="), path
    assert walked == len(staff_rules(app)) - 1
    assert walked >= MIN_STAFF_ROUTES - 1


def _role_without(permission: Permission) -> Role:
    for role in Role:
        if permission not in ROLE_PERMISSIONS[role]:
            return role
    raise AssertionError(f"every role has {permission}")


def test_staff_without_the_permission_are_refused(
    app: Flask, pages: PageClient, make_staff: Callable[..., StaffAccount]
) -> None:
    from tests.conftest import log_in

    checked = 0
    for rule in staff_rules(app):
        requirement = getattr(app.view_functions[rule.endpoint], PERMISSION_ATTRIBUTE)
        if requirement in (ANY_STAFF, NOBODY_SIGNED_IN) or "GET" not in rule.methods:
            continue
        role = _role_without(Permission(requirement))
        client = PageClient(app.test_client())
        account = make_staff(role)
        log_in(client, account.username, account.password)
        response = client.client.get(concrete_path(rule.rule))
        assert response.status_code == 403, f"{rule.rule} admitted a {role.value}"
        checked += 1
    assert checked >= MIN_PERMISSION_GETS, f"the walk checked {checked} routes"


def test_staff_with_the_permission_are_admitted(
    app: Flask, pages: PageClient, make_staff: Callable[..., StaffAccount]
) -> None:
    from tests.conftest import log_in

    admitted = 0
    for rule in staff_rules(app):
        requirement = getattr(app.view_functions[rule.endpoint], PERMISSION_ATTRIBUTE)
        if requirement in (ANY_STAFF, NOBODY_SIGNED_IN) or "GET" not in rule.methods or "<" in rule.rule:
            continue
        role = next(role for role in Role if Permission(requirement) in ROLE_PERMISSIONS[role])
        client = PageClient(app.test_client())
        account = make_staff(role)
        log_in(client, account.username, account.password)
        client.get(rule.rule)
        admitted += 1
    assert admitted >= MIN_PLAIN_PERMISSION_GETS, f"the walk admitted {admitted} routes"
