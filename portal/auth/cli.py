"""`flask users ...`: create, list, disable, enable, unlock staff accounts and reset passwords.

Passwords are read from a prompt (or standard input with `--password-stdin` for
automation), never from the command line where other users could see them.
"""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal import audit
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.auth.services import (
    StaffDetails,
    StaffError,
    create_staff,
    find_staff,
    reset_password,
    set_active,
    unlock,
)
from portal.db import db
from portal.offices.models import Office

users_cli = AppGroup("users", help="Manage staff accounts.")


def _cli_actor() -> audit.Actor:
    import getpass

    return audit.Actor(label=f"cli:{getpass.getuser()}")


def _read_password(password_stdin: bool, generate: bool) -> tuple[str, bool]:
    """The new password and whether it was generated (and must be shown once)."""
    if generate:
        return secrets.token_urlsafe(15), True
    if password_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    return click.prompt("Password", hide_input=True, confirmation_prompt=True), False


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _get_staff(username: str) -> Staff:
    staff = find_staff(username)
    if staff is None:
        _fail(f"no staff account named {username!r}")
    assert staff is not None
    return staff


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Full name shown in the staff area.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([role.value for role in Role]),
    help="A role; repeat for several.",
)
@click.option("--office", "office_code", help="Office code (required for case officers).")
@click.option("--email", help="Work e-mail address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--generate-password", is_flag=True, help="Generate a password and print it once.")
def create_command(
    username: str,
    display_name: str,
    roles: tuple[str, ...],
    office_code: str | None,
    email: str | None,
    password_stdin: bool,
    generate_password: bool,
) -> None:
    """Create a staff account; its owner must change the password at first login."""
    office_id = None
    if office_code:
        office = db.session.scalar(select(Office).where(Office.code == office_code))
        if office is None:
            _fail(f"no office with code {office_code!r}")
        assert office is not None
        office_id = office.id
    password, generated = _read_password(password_stdin, generate_password)
    details = StaffDetails(
        username=username,
        display_name=display_name,
        email=email,
        office_id=office_id,
        roles=frozenset(Role(value) for value in roles),
    )
    actor = _cli_actor()
    with audit.acting_as(actor.label):
        try:
            staff = create_staff(details, password)
        except StaffError as error:
            _fail(str(error))
        db.session.commit()
    click.echo(f"created {staff.username} ({', '.join(sorted(roles))})")
    if generated:
        click.echo(f"temporary password: {password}")


@users_cli.command("list")
def list_command() -> None:
    """List staff accounts with their roles and state."""
    for staff in db.session.scalars(select(Staff).order_by(Staff.username)):
        state = "active" if staff.active else "disabled"
        office = staff.office.code if staff.office else "-"
        roles = ",".join(sorted(role.value for role in staff.roles))
        click.echo(f"{staff.username}\t{state}\t{office}\t{roles}\t{staff.display_name}")


def _set_active(username: str, active: bool) -> None:
    staff = _get_staff(username)
    with audit.acting_as(_cli_actor().label):
        try:
            set_active(staff, active)
        except StaffError as error:
            _fail(str(error))
        db.session.commit()
    click.echo(f"{staff.username} {'enabled' if active else 'disabled'}")


@users_cli.command("disable")
@click.argument("username")
def disable_command(username: str) -> None:
    """Disable an account and end its sessions."""
    _set_active(username, False)


@users_cli.command("enable")
@click.argument("username")
def enable_command(username: str) -> None:
    """Enable a disabled account."""
    _set_active(username, True)


@users_cli.command("unlock")
@click.argument("username")
def unlock_command(username: str) -> None:
    """Clear the wait that failed logins put on the user name."""
    staff = _get_staff(username)
    with audit.acting_as(_cli_actor().label):
        unlock(staff)
        db.session.commit()
    click.echo(f"{staff.username} unlocked")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--generate-password", is_flag=True, help="Generate a password and print it once.")
def set_password_command(username: str, password_stdin: bool, generate_password: bool) -> None:
    """Set a temporary password that must be changed at next login."""
    staff = _get_staff(username)
    password, generated = _read_password(password_stdin, generate_password)
    with audit.acting_as(_cli_actor().label):
        try:
            notices = reset_password(staff, password)
        except StaffError as error:
            _fail(str(error))
        db.session.commit()
    click.echo(f"password of {staff.username} set; it must be changed at next login")
    for notice in notices:
        click.echo(notice)
    if generated:
        click.echo(f"temporary password: {password}")
