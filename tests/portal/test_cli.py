"""Command-line tools: staff accounts, migrations, set-up and the demo content."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal import migrate
from portal.audit import AuditRecord
from portal.auth.models import Staff
from portal.auth.passwords import verify_password
from portal.auth.roles import Role
from portal.db import db
from portal.offices.models import Agency, Office
from portal.pages.models import Page
from tests.support.databases import drop_schema, isolated_database_url

# Opens databases or services of its own: runs on each database.
pytestmark = pytest.mark.services

PASSWORD = "quiet-river-under-stone-1"


@pytest.fixture
def runner(app: Flask, db_transaction):
    return app.test_cli_runner()


def test_create_list_disable_enable(runner, app: Flask) -> None:
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Lin.Hui",
            "--name",
            "林慧",
            "--role",
            "case_officer",
            "--office",
            "XZ",
            "--email",
            "lin.hui@example.gov.tw",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "created lin.hui" in result.output
    with app.app_context():
        staff = db.session.scalar(select(Staff).where(Staff.username == "lin.hui"))
        assert staff.roles == {Role.CASE_OFFICER}
        assert staff.office.code == "XZ"
        assert staff.must_change_password
        assert verify_password(staff.password_hash, PASSWORD)
        record = db.session.scalar(
            select(AuditRecord).where(
                AuditRecord.entity == "staff",
                AuditRecord.entity_id == str(staff.id),
                AuditRecord.action == "create",
            )
        )
        assert record.actor_label.startswith("cli:")
    listing = runner.invoke(args=["users", "list"])
    assert "lin.hui\tactive\tXZ\tcase_officer" in listing.output
    assert runner.invoke(args=["users", "disable", "lin.hui"]).exit_code == 0
    assert "lin.hui\tdisabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "enable", "LIN.HUI"]).exit_code == 0
    assert "lin.hui\tactive" in runner.invoke(args=["users", "list"]).output


def test_generated_password_is_shown_once(runner, app: Flask) -> None:
    result = runner.invoke(
        args=["users", "create", "wu.an", "--name", "吳安", "--role", "analyst", "--generate-password"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("temporary password: ")[1].strip()
    with app.app_context():
        staff = db.session.scalar(select(Staff).where(Staff.username == "wu.an"))
        assert verify_password(staff.password_hash, password)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "create", "x", "--name", "X", "--role", "analyst", "--password-stdin"], PASSWORD, "帳號"),
        (
            ["users", "create", "officer.new", "--name", "X", "--role", "case_officer", "--password-stdin"],
            PASSWORD,
            "所屬單位",
        ),
        (
            [
                "users",
                "create",
                "someone",
                "--name",
                "X",
                "--role",
                "analyst",
                "--office",
                "NOPE",
                "--password-stdin",
            ],
            PASSWORD,
            "no office",
        ),
        (
            ["users", "create", "someone", "--name", "X", "--role", "analyst", "--password-stdin"],
            "short",
            "12",
        ),
        (
            ["users", "create", "admin", "--name", "X", "--role", "analyst", "--password-stdin"],
            PASSWORD,
            "已有人",
        ),
        (
            ["users", "create", "someone", "--name", "X", "--role", "wizard", "--password-stdin"],
            PASSWORD,
            "wizard",
        ),
        (["users", "disable", "nobody"], "", "no staff account"),
        (["users", "set-password", "nobody", "--password-stdin"], PASSWORD, "no staff account"),
    ],
)
def test_bad_input_exits_non_zero_with_a_message(runner, args, stdin, message) -> None:
    result = runner.invoke(args=args, input=stdin + "\n")
    assert result.exit_code != 0
    assert message in result.output


def test_last_administrator_cannot_be_disabled(runner, app: Flask) -> None:
    with app.app_context():
        admins = db.session.scalars(select(Staff).where(Staff.active.is_(True))).all()
        admin_names = [staff.username for staff in admins if Role.ADMINISTRATOR in staff.roles]
    for name in admin_names[1:]:
        assert runner.invoke(args=["users", "disable", name]).exit_code == 0
    result = runner.invoke(args=["users", "disable", admin_names[0]])
    assert result.exit_code != 0
    assert "系統管理員" in result.output


def test_set_password_and_unlock(runner, app: Flask, make_staff) -> None:
    account = make_staff(Role.ANALYST)
    result = runner.invoke(
        args=["users", "set-password", account.username, "--password-stdin"], input=PASSWORD
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["users", "unlock", account.username]).exit_code == 0
    with app.app_context():
        staff = db.session.get(Staff, account.id)
        assert verify_password(staff.password_hash, PASSWORD)
        assert staff.must_change_password


@pytest.fixture
def fresh_app(tmp_path: Path, make_app: Callable[..., Flask]) -> Iterator[Flask]:
    url, schema = isolated_database_url(tmp_path, "cli")
    yield make_app(DATABASE_URL=url)
    if schema:
        drop_schema(url.split("?")[0], schema)


def counts(application: Flask) -> dict[str, int]:
    with application.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Agency, Office, Page, Staff)
        }


def test_setup_migrates_and_loads_the_demo_once(fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["db", "current"])
    assert "database: empty" in result.output
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "admin" in first.output
    assert "Demo staff logins" in first.output
    loaded = counts(fresh_app)
    assert loaded == {"Agency": 1, "Office": 4, "Page": 4, "Staff": 6}
    again = runner.invoke(args=["setup"])
    assert again.exit_code == 0, again.output
    assert counts(fresh_app) == loaded
    head = migrate.head_revision()
    assert f"database: {head}; newest: {head}" in runner.invoke(args=["db", "current"]).output
    assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    assert "database: empty" in runner.invoke(args=["db", "current"]).output


def test_demo_leaves_a_database_with_cases_of_its_own_alone(
    tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    """Cases sealed with other keys are neither opened nor surveyed by a later `flask setup`."""
    from feedback.cases.models import Case
    from feedback.surveys.models import CaseSurvey

    url, schema = isolated_database_url(tmp_path, "rekeyed")
    try:
        first = make_app(DATABASE_URL=url, CASE_DATA_KEYS="a1:" + "a" * 40)
        assert first.test_cli_runner().invoke(args=["setup"]).exit_code == 0
        with first.app_context():
            db.session.execute(CaseSurvey.__table__.delete())
            db.session.commit()
            cases = db.session.scalar(select(func.count()).select_from(Case))
        assert cases
        second = make_app(DATABASE_URL=url, CASE_DATA_KEYS="b1:" + "b" * 40)
        again = second.test_cli_runner().invoke(args=["setup"])
        assert again.exit_code == 0, again.output
        assert "demo surveys" not in again.output
        with second.app_context():
            assert db.session.scalar(select(func.count()).select_from(CaseSurvey)) == 0
            assert db.session.scalar(select(func.count()).select_from(Case)) == cases
    finally:
        if schema:
            drop_schema(url.split("?")[0], schema)


def test_demo_keeps_staff_edits(fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()
    runner.invoke(args=["setup"])
    with fresh_app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "KL"))
        office.phone = "(02) 1111-2222"
        db.session.commit()
    runner.invoke(args=["demo"])
    with fresh_app.app_context():
        assert db.session.scalar(select(Office.phone).where(Office.code == "KL")) == "(02) 1111-2222"


def test_demo_logins_work(fresh_app: Flask) -> None:
    from portal.demo import DEMO_STAFF
    from tests.conftest import log_in
    from tests.support.pages import PageClient

    fresh_app.test_cli_runner().invoke(args=["setup"])
    for username, _name, _roles, _office, password in DEMO_STAFF:
        client = PageClient(fresh_app.test_client())
        assert log_in(client, username, password).status_code == 302, username


def test_purge_expired_sessions(runner) -> None:
    result = runner.invoke(args=["purge-sessions"])
    assert result.exit_code == 0
    assert "expired sessions deleted" in result.output
