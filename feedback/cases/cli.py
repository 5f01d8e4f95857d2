"""`flask calendar ...` (the office calendar) and `flask cases due-date` (when will I hear back?)."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from feedback.cases.calendar import import_year, office_calendar, year_days
from feedback.cases.calendar_file import CalendarFileError, parse_calendar
from feedback.cases.deadlines import CalendarGapError, due_date
from feedback.cases.handling import local_day, refresh_open_cases
from feedback.cases.lookup_links import discard_spent_links
from feedback.cases.retention import discard_unconfirmed, purge_closed
from portal import audit
from portal.db import db, utcnow
from portal.once import claim

calendar_cli = AppGroup("calendar", help="The government office calendar that deadlines count on.")
cases_cli = AppGroup("cases", help="Citizen cases.")
WEEKDAYS = "一二三四五六日"


@calendar_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Import one year's 中華民國政府行政機關辦公日曆表 CSV (UTF-8 or Big5); a reissue replaces the year."""
    try:
        calendar = parse_calendar(path.read_bytes())
    except CalendarFileError as error:
        raise click.ClickException(f"{path.name}: {error}") from None
    with audit.acting_as(f"cli:{getpass.getuser()}"):
        result = import_year(calendar, path.name)
        # Due dates follow the new calendar, in the same transaction as the calendar itself.
        moved = refresh_open_cases(db.session, office_calendar(), utcnow())
        db.session.commit()
    verb = "replaced" if result.replaced else "imported"
    changed = f", {result.changed} days changed" if result.replaced else ""
    click.echo(f"{verb} {result.year}: {result.days} days, {result.days_off} days off{changed}")
    click.echo(f"{moved} open cases have a new due date")


@calendar_cli.command("show")
@click.argument("year", type=int)
def show_command(year: int) -> None:
    """List the year's days off (weekends, holidays) and make-up working days."""
    days = year_days(year)
    if not days:
        raise click.ClickException(f"no calendar for {year}: import it with `flask calendar import FILE`")
    for row in days:
        weekend = row.day.weekday() >= 5
        if row.day_off != weekend or row.note:
            state = "off" if row.day_off else "working"
            click.echo(f"{row.day.isoformat()} {WEEKDAYS[row.day.weekday()]} {state:<7} {row.note}")
    off = sum(row.day_off for row in days)
    click.echo(f"{year}: {len(days)} days, {off} days off, {len(days) - off} working days")


@cases_cli.command("due-date")
@click.option("--received", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Day of receipt.")
@click.option("--working-days", required=True, type=click.IntRange(min=0, max=400), help="Handling time.")
def due_date_command(received: object, working_days: int) -> None:
    """Print the due date of a case received on a day, and the working days counted."""
    day = received.date() if hasattr(received, "date") else received
    assert isinstance(day, date)
    try:
        result = due_date(day, working_days, office_calendar())
    except CalendarGapError as error:
        raise click.ClickException(f"{error}: import that year with `flask calendar import FILE`") from None
    click.echo(f"received {day.isoformat()}, {working_days} working days: due {result.due.isoformat()}")
    for number, counted in enumerate(result.counted, start=1):
        click.echo(f"  {number:>3}. {counted.isoformat()} {WEEKDAYS[counted.weekday()]}")


@cases_cli.command("seed-types")
def seed_types_command() -> None:
    """Add the standard case types that are missing (never changes one that exists)."""
    from feedback.cases.case_types import seed_case_types

    added = seed_case_types(db.session)
    db.session.commit()
    click.echo(f"{added} case types added")


@cases_cli.command("reseal")
def reseal_command() -> None:
    """Seal every citizen's data again with the newest key of CASE_DATA_KEYS (after adding one)."""
    from feedback.cases.attachments import attachments_folder
    from feedback.cases.keys import key_ring
    from feedback.cases.rotation import reseal_all, reseal_files

    ring = key_ring()
    changed = reseal_all(db.session, ring)
    click.echo(f"{changed} rows sealed again with key {ring.current}")
    files = reseal_files(db.session, ring, attachments_folder())
    click.echo(f"{files} attachment files sealed again with key {ring.current}")


@cases_cli.command("daily")
@click.option("--force", is_flag=True, help="Run even if today's run was done (the work is idempotent).")
def daily_command(force: bool) -> None:
    """The cases' daily work, once a day however many machines start it: discard, purge, then the officers' digests."""
    now = utcnow()
    today = local_day(now)
    run = claim(db.session, "cases-daily", today.isoformat())
    if run is None and not force:
        click.echo(f"cases-daily for {today} already ran")
        return
    with audit.acting_as("scheduled:cases-daily"):
        discarded = discard_unconfirmed(db.session, now)
        purged = purge_closed(db.session, now, int(current_app.config["CASE_RETENTION_YEARS"]))
        discard_spent_links(db.session, now)
        summary = f"{discarded} unconfirmed cases discarded, {purged} closed cases purged of personal data"
        summary += "; " + _queue_digests(now)
        if run is not None:
            run.summary = summary
        db.session.commit()
    if current_app.config["CASE_MAIL_BACKGROUND"]:
        _send_staff_mail()  # now rather than at the mail timer's next run
    click.echo(summary)


def _queue_digests(now: datetime) -> str:
    """Queue today's digests of cases due (their own once-a-day claim: a forced rerun sends none)."""
    from feedback.cases.staff_notices import queue_daily_digests

    within = int(current_app.config["CASE_DIGEST_DUE_WITHIN_DAYS"])
    queued = queue_daily_digests(db.session, now, office_calendar(), within)
    return (
        "digests of cases due already queued today"
        if queued is None
        else f"{queued} digests of cases due queued"
    )


def _send_staff_mail() -> tuple[int, int]:
    from feedback.cases.models import StaffMail
    from feedback.cases.outbox import deliver_due
    from portal.mail import send_mail

    return deliver_due(db.use_writer_session(), utcnow(), send_mail, table=StaffMail)


@cases_cli.command("send-mail")
def send_mail_command() -> None:
    """Send the case mail that is due, to citizens and to staff, retries included (run every few minutes by a timer)."""
    from feedback.cases.outbox import deliver_due
    from portal.mail import send_mail

    sent, failed = deliver_due(db.use_writer_session(), utcnow(), send_mail)
    staff_sent, staff_failed = _send_staff_mail()
    click.echo(f"{sent + staff_sent} sent, {failed + staff_failed} failed (to be retried)")
