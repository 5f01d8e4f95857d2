"""`flask surveys …`: the survey domain's commands.

`monthly` forgets old questionnaire drafts' keys, releases again the questionnaire
datasets whose responses changed, and publishes the survey figures; each part runs once a
month however many timers start it.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from feedback.surveys.open_data import MONTHLY_JOB, publish_monthly
from feedback.surveys.open_data_rows import last_closed_month
from feedback.surveys.questionnaire_open_data import MONTHLY_JOB as QUESTIONNAIRES_JOB
from feedback.surveys.questionnaire_open_data import republish_monthly
from feedback.surveys.questionnaire_responses import purge_sent_drafts
from portal.db import db, utcnow

surveys_cli = AppGroup("surveys", help="Satisfaction surveys.")


@surveys_cli.command("monthly")
@click.option("--force", is_flag=True, help="Publish again a month that was already published.")
def monthly_command(force: bool) -> None:
    """Publish the survey figures up to the last closed month, once a month however many timers start it."""
    now = utcnow()
    forget_sent_drafts(now)
    month = last_closed_month(now)
    republished = republish_monthly(db.use_writer_session(), month)
    if republished is None:
        click.echo(f"{QUESTIONNAIRES_JOB} for {month} already ran")
    for line in republished or ():
        click.echo(line)
    outcome = publish_monthly(current_app._get_current_object(), now, force=force)  # type: ignore[attr-defined]
    if outcome is None:
        click.echo(f"{MONTHLY_JOB} for {month} already ran")
        return
    if not outcome.published:
        problem = f"{outcome.reason} (job {outcome.job_id})" if outcome.job_id else outcome.reason
        raise click.ClickException(f"survey figures up to {month} not published: {problem}")
    click.echo(f"survey figures up to {month}: release {outcome.release_number}, {outcome.row_count} rows")


def forget_sent_drafts(now: datetime) -> None:
    """Remove the keys of sent drafts too old to be sent again (safe to run in any process, any time)."""
    removed = purge_sent_drafts(db.session, now)
    db.session.commit()
    if removed:
        click.echo(f"forgot {removed} sent questionnaire drafts")
