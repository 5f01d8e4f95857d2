"""`flask links check`: check every link of the site's content, once a day however many timers start it."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.clock import taipei_today
from portal.db import db
from portal.links.checking import LinkResult
from portal.links.service import run_link_check
from portal.once import claim

links_cli = AppGroup("links", help="The link checker.")
JOB = "links-check"


@links_cli.command("check")
@click.option("--daily", is_flag=True, help="Claim today's run first: skip if another process ran it today.")
@click.option("--quiet", is_flag=True, help="Print only the summary.")
def check_command(daily: bool, quiet: bool) -> None:
    """Check every link in content pages, documents and datasets; list the broken ones."""
    run = None
    if daily:
        run = claim(db.session, JOB, taipei_today().isoformat())
        if run is None:
            click.echo(f"{JOB} for {taipei_today()} already ran")
            return

    def progress(result: LinkResult) -> None:
        if not quiet and not result.ok:
            click.echo(f"broken: {result.url} ({result.error})")

    summary = run_link_check(db.session, progress)
    line = f"{summary.checked} links checked, {len(summary.broken)} broken"
    if run is not None:
        run.summary = line
    db.session.commit()
    click.echo(line)
