"""Commands of `flask --app portal`: migrations, set-up, demo data and housekeeping."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portal import migrate

db_cli = AppGroup("db", help="Database migrations.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {migrate.current_revision(current_app.config['DATABASE_URL'])}")


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Revert migrations down to REVISION (`base` removes every table)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {migrate.current_revision(current_app.config['DATABASE_URL'])}")


@db_cli.command("current")
def current_command() -> None:
    """Print the database's revision and the newest one."""
    current = migrate.current_revision(current_app.config["DATABASE_URL"])
    click.echo(f"database: {current or 'empty'}; newest: {migrate.head_revision()}")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo content (idempotent) and print the demo staff logins."""
    from portal.demo import load_demo

    for line in load_demo():
        click.echo(line)


@click.command("setup")
@click.option("--demo/--no-demo", default=True, help="Also load the demo content.")
@with_appcontext
def setup_command(demo: bool) -> None:
    """Bring the database to the newest revision and, by default, load the demo content."""
    migrate.upgrade(current_app.config["DATABASE_URL"])
    if demo:
        from portal.demo import load_demo

        for line in load_demo():
            click.echo(line)


@click.command("purge-sessions")
@with_appcontext
def purge_sessions_command() -> None:
    """Delete expired staff sessions, and login-throttle counts no longer needed."""
    from portal.auth import throttle
    from portal.auth.sessions import purge_expired_sessions
    from portal.db import db, utcnow

    click.echo(f"{purge_expired_sessions()} expired sessions deleted")
    forgotten = throttle.purge(utcnow())
    db.session.commit()
    click.echo(f"{forgotten} login-throttle counts forgotten")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(db_cli)
    for command in (demo_command, setup_command, purge_sessions_command):
        app.cli.add_command(command)
