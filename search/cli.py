"""`flask search …`: rebuild the index."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("reindex")
@click.option("--if-stale", is_flag=True, help="Only when the tokeniser changed since the last build.")
def reindex_command(if_stale: bool) -> None:
    """Rebuild the whole index from every source, with a progress bar."""
    from search.rebuild import expected_count, reindex
    from search.services import is_stale
    from search.sources import sources_of

    if if_stale and not is_stale():
        click.echo("The index is current.")
        return
    total = expected_count(sources_of(current_app))
    with click.progressbar(length=max(total, 1), label="Indexing") as bar:
        indexed = reindex(progress=bar.update)
    click.echo(f"Indexed {indexed} documents.")


@search_cli.command("forget-terms")
def forget_terms_command() -> None:
    """Forget popular-keyword counts older than the keep period (daily; runs once a day)."""
    from portal.db import db
    from portal.once import claim
    from search.keywords import KEEP_DAYS, forget, local_today

    today = local_today()
    run = claim(db.session, "search-forget-terms", today.isoformat())
    if run is None:
        click.echo(f"Already run for {today.isoformat()}.")
        return
    dropped = forget(db.session, today)
    run.summary = f"{dropped} day counts older than {KEEP_DAYS} days forgotten"
    db.session.commit()
    click.echo(run.summary)
