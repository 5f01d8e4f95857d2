"""Fixtures shared by the whole suite.

- `app`: one application for the run, on the suite's database (migrated, demo loaded).
- `db_transaction`: every test runs inside a transaction that is rolled back afterwards,
  so tests see the demo content and never each other's changes.
- `pages`: a client whose every page is checked (status, title, ids, lang, forms).
- `make_staff` / `sign_in`: staff accounts and signed-in clients for any role.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import Connection

from portal import create_app, migrate
from portal.auth.roles import Role
from portal.auth.services import StaffDetails, create_staff
from portal.db import db
from portal.demo import load_demo
from portal.offices.models import Office
from tests.support.databases import main_database_url
from tests.support.pages import PageClient, csrf_token_of

STAFF_PASSWORD = "correct-horse-battery-staple-42"
IN_CI = os.environ.get("CI") == "true"


def app_overrides(database_url: str, instance_path: Path, **extra: Any) -> dict[str, Any]:
    """Settings of an application under test; rate limits high unless a test lowers them."""
    return {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "RATELIMIT_DEFAULT": "100000 per minute",
        "RATELIMIT_LOGIN": "100000 per minute",
        "RATELIMIT_CASES": "100000 per minute",
        "RATELIMIT_OPEN311": "100000 per minute",
        "CASES_PER_EMAIL_PER_DAY": 100000,
        # Every test signs in from 127.0.0.1; tests/portal/test_login_throttle.py lowers it.
        "LOGIN_ADDRESS_FREE_FAILURES": 100000,
        # Redis keeps counters between runs; a fresh prefix keeps every run independent.
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "JOBS_QUEUE": f"test-{uuid.uuid4().hex}",
        "TESTING": True,
        # The suite rolls every test's data back, which a site never does: a release looked up by one
        # test must not answer the next one's. tests/datasets/api/test_release_lookups.py turns it on.
        "API_RELEASE_LOOKUP_SECONDS": 0,
        # Case mail waits for an explicit send: a background thread would share the test's connection.
        "CASE_MAIL_BACKGROUND": False,
        # Page views are written when a worker finds them due, in whatever test runs then;
        # tests/portal/test_page_views.py turns them on.
        "PAGE_VIEWS": False,
        **extra,
    }


@pytest.fixture(scope="session")
def suite_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("suite")


@pytest.fixture(scope="session")
def database_url(suite_tmp: Path) -> str:
    url = main_database_url(suite_tmp)
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def app(database_url: str, suite_tmp: Path) -> Iterator[Flask]:
    application = create_app(app_overrides(database_url, suite_tmp / "instance"))
    with application.app_context():
        load_demo()
    yield application
    application.extensions["portal.db"].engine.dispose()


@pytest.fixture
def make_app(suite_tmp: Path, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build an extra application with changed settings (on the suite's database by default)."""
    built: list[Flask] = []

    def factory(**extra: Any) -> Flask:
        url = extra.pop("DATABASE_URL", database_url)
        application = create_app(app_overrides(url, suite_tmp / f"instance-{len(built)}", **extra))
        built.append(application)
        return application

    yield factory
    for application in built:
        application.extensions["portal.db"].engine.dispose()


@pytest.fixture
def bound_app(make_app: Callable[..., Flask], db_transaction: Connection) -> Iterator[Callable[..., Flask]]:
    """Build extra applications with changed settings that see the test's own data (its transaction)."""
    built: list[Flask] = []

    def factory(**extra: Any) -> Flask:
        application = make_app(**extra)
        db.bind_to(application, db_transaction)
        built.append(application)
        return application

    yield factory
    for application in built:
        db.unbind(application)


def _bind(application: Flask) -> tuple[Connection, Any]:
    connection = application.extensions["portal.db"].engine.connect()
    transaction = connection.begin()
    db.bind_to(application, connection)
    return connection, transaction


@pytest.fixture
def db_transaction(app: Flask) -> Iterator[Connection]:
    connection, transaction = _bind(app)
    yield connection
    db.unbind(app)
    transaction.rollback()
    connection.close()


@pytest.fixture
def app_context(app: Flask, db_transaction: Connection) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def client(app: Flask, db_transaction: Connection) -> Any:
    return app.test_client()


@pytest.fixture
def pages(client: Any) -> PageClient:
    return PageClient(client)


@dataclass(frozen=True)
class StaffAccount:
    """A staff account made for a test."""

    id: int
    username: str
    password: str


@pytest.fixture
def make_staff(app: Flask, db_transaction: Connection) -> Callable[..., StaffAccount]:
    numbers = itertools.count(1)

    def factory(
        *roles: Role,
        office_code: str | None = None,
        password: str = STAFF_PASSWORD,
        must_change_password: bool = False,
        username: str | None = None,
    ) -> StaffAccount:
        chosen = roles or (Role.ANALYST,)
        if Role.CASE_OFFICER in chosen and office_code is None:
            office_code = "KL"
        name = username or f"tester{next(numbers)}.{'-'.join(role.value for role in chosen)}".replace(
            "_", "-"
        )
        with app.app_context():
            office_id = None
            if office_code:
                office_id = db.session.scalar(select(Office.id).where(Office.code == office_code))
            staff = create_staff(
                StaffDetails(
                    username=name,
                    display_name=f"測試人員 {name}",
                    email=None,
                    office_id=office_id,
                    roles=frozenset(chosen),
                ),
                password,
                must_change_password=must_change_password,
            )
            db.session.commit()
            return StaffAccount(staff.id, staff.username, password)

    return factory


def log_in(pages: PageClient, username: str, password: str, prefix: str = "") -> Any:
    """Submit the login form; returns the response."""
    url = f"{prefix}/staff/login"
    html = pages.client.get(url).get_data(as_text=True)
    return pages.client.post(
        url, data={"csrf_token": csrf_token_of(html), "username": username, "password": password}
    )


@pytest.fixture
def sign_in(pages: PageClient, make_staff: Callable[..., StaffAccount]) -> Callable[..., StaffAccount]:
    """Create an account with `roles` and sign the `pages` client in as it."""

    def factory(*roles: Role, **kwargs: Any) -> StaffAccount:
        account = make_staff(*roles, **kwargs)
        response = log_in(pages, account.username, account.password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return account

    return factory


# ----------------------------------------------------------------------------- tests run once

# On its PostgreSQL pass `.ci/run` sets SUITE_DATABASE_ONLY=1: the tests whose outcome cannot
# depend on the database or Redis (pure functions, writers, the scanner, the browser and axe
# checks) ran in the SQLite pass already. A test depends on them when it uses a database
# fixture, starts the real server, or sits in a module marked `services` (one that opens
# databases or Redis by itself).
DATABASE_FIXTURES = frozenset({"database_url", "app", "make_app", "db_transaction", "live_server"})


def database_independent(item: pytest.Item) -> bool:
    """Whether a collected test's outcome cannot depend on the database or Redis it runs with."""
    if item.get_closest_marker("browser"):
        return True
    if item.get_closest_marker("server") or item.get_closest_marker("services"):
        return False
    return not DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the database-independent tests when asked to run only the others."""
    if os.environ.get("SUITE_DATABASE_ONLY") != "1":
        return
    kept = [item for item in items if not database_independent(item)]
    config.hook.pytest_deselected(items=[item for item in items if database_independent(item)])
    items[:] = kept
