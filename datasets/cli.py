"""`flask datasets ...`: define datasets from YAML, publish releases, load code tables, clean up.

`publish` is meant for scheduled automation: it runs in the foreground, shows its
progress (rows done, rows a second, time left) on a terminal and each stage's time at
the end, prints the validation report (row, column, problem) when it refuses, and exits
non-zero then.
"""

from __future__ import annotations

import csv
import getpass
import shutil
import tempfile
from pathlib import Path
from typing import NoReturn

import click
from flask.cli import AppGroup
from sqlalchemy import select

from datasets.definition import DefinitionError, apply_definition, load_definition
from datasets.ingest import IngestError
from datasets.job_states import RefusalReason
from datasets.models import Dataset, PublishJob
from datasets.progress_display import TerminalProgress
from datasets.publishing import PublishOptions, create_job, publish, purge_kept_sources, remove_abandoned_jobs
from datasets.validation import Report
from portal import audit
from portal.classification.models import ClassificationCode
from portal.db import db
from portal.storage import storage_root

datasets_cli = AppGroup("datasets", help="Datasets: definitions, releases, code tables.")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@datasets_cli.command("define")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def define_command(path: Path) -> None:
    """Create or update a dataset from a YAML definition."""
    try:
        values = load_definition(path)
    except DefinitionError as error:
        raise click.ClickException(f"{path}:\n{error}") from error
    with audit.acting_as(_actor()):
        dataset, created = apply_definition(values)
        db.session.commit()
    click.echo(f"{'created' if created else 'updated'} dataset {dataset.slug}")


def print_report(report: dict) -> None:
    """Print a stored validation report, a line per problem."""
    validation = Report.from_dict(report)
    click.echo(f"{validation.invalid_rows} invalid rows of {validation.rows_checked}:", err=True)
    for problem in validation.problems:
        column = problem.field or "-"
        click.echo(f"  row {problem.row}\t{column}\t{problem.code}\t{problem.message()}", err=True)
    hidden = sum(validation.counts.values()) - len(validation.problems)
    if hidden > 0:
        click.echo(f"  ... and {hidden} more", err=True)


def print_findings(scan: dict) -> None:
    """Print what the personal-data scan found, masked, a line per distinct finding."""
    click.echo(f"{scan['findings']} findings in {scan['cells_scanned']} cells:", err=True)
    for column, kinds in scan["by_column"].items():
        click.echo(f"  {column}: " + ", ".join(f"{kind} x{count}" for kind, count in kinds.items()), err=True)
    for example in scan["examples"]:
        click.echo(
            f"  row {example['row']}\t{example['column']}\t{example['kind']}\t{example['masked']}\t{example['fingerprint']}",
            err=True,
        )


@datasets_cli.command("publish")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sheet", help="Sheet of an XLSX or ODS file (default: the first).")
@click.option("--drop-invalid", is_flag=True, help="Publish without the rows that fail validation.")
@click.option("--note-zh", default="", help="Release note in Chinese.")
@click.option("--note-en", default="", help="Release note in English.")
def publish_command(
    slug: str, path: Path, sheet: str | None, drop_invalid: bool, note_zh: str, note_en: str
) -> None:
    """Publish a new release of dataset SLUG from the file at PATH."""
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug))
    if dataset is None:
        raise click.ClickException(f"no dataset named {slug!r}")
    # The job owns its copy of the source, as an upload would.
    uploads = storage_root() / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=uploads, delete=False, suffix=path.suffix) as handle:
        copy = Path(handle.name)
    shutil.copyfile(path, copy)
    options = PublishOptions(drop_invalid=drop_invalid, sheet=sheet, notes_zh=note_zh, notes_en=note_en)
    job_id = create_job(dataset, copy, path.name, options, _actor()).id
    db.use_writer_session()  # as a background job would: the run competes with the site's requests
    job = db.session.get(PublishJob, job_id)
    assert job is not None
    display = TerminalProgress(f"publishing {slug}")
    try:
        release = publish(job, display)
    except Exception:
        display.close(None)
        raise
    job = db.session.get(PublishJob, job_id)
    assert job is not None
    display.close((job.report or {}).get("stages"))
    if release is None:
        _explain_refusal(job)
    click.echo(f"published {slug} release {release.number}: {release.row_count} rows")


@datasets_cli.command("push")
@click.argument("site")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--key",
    envvar="PORTAL_API_KEY",
    required=True,
    help="The API key (scope datasets:publish). Best given in the PORTAL_API_KEY environment variable.",
)
@click.option("--sheet", help="Sheet of an XLSX or ODS file (default: the first).")
@click.option("--drop-invalid", is_flag=True, help="Publish without the rows that fail validation.")
@click.option("--note-zh", default="", help="Release note in Chinese.")
@click.option("--note-en", default="", help="Release note in English.")
def push_command(
    site: str,
    slug: str,
    path: Path,
    key: str,
    sheet: str | None,
    drop_invalid: bool,
    note_zh: str,
    note_en: str,
) -> None:
    """Publish PATH as the next release of SLUG on the site at SITE (e.g. https://data.example.gov.tw), through its API."""
    from datasets.remote import RemoteError, push

    fields = {"drop_invalid": "true" if drop_invalid else "false", "notes_zh": note_zh, "notes_en": note_en}
    if sheet:
        fields["sheet"] = sheet
    with click.progressbar(length=100, label=f"publishing {slug} on {site}", show_percent=True) as bar:
        shown = [0]

        def on_progress(job: dict) -> None:
            bar.label = f"{slug}: {job.get('stage') or job['state']}"
            bar.update(max(0, job["progress"] - shown[0]))
            shown[0] = max(shown[0], job["progress"])

        try:
            job = push(site, key, slug, path, fields, on_progress)
        except RemoteError as error:
            raise click.ClickException(
                f"{error} (HTTP {error.status})" if error.status else str(error)
            ) from None
    if job["state"] != "done":
        if "findings" in job:
            for example in job["findings"].get("examples", []):
                click.echo(
                    f"  row {example.get('row')}\t{example.get('column')}\t{example.get('kind')}\t{example.get('masked')}",
                    err=True,
                )
        reasons = ", ".join(job.get("refused_for") or [job.get("message") or "failed"])
        detail = (job.get("problem") or {}).get("detail")
        raise click.ClickException(
            f"not published ({reasons}): {detail}" if detail else f"not published: {reasons}"
        )
    click.echo(f"published {slug} release {job['release']}")


def _explain_refusal(job: PublishJob) -> NoReturn:
    """Raise the ClickException that explains why `job` published nothing."""
    if job.reason == RefusalReason.BUSY:
        raise click.ClickException("another publish of this dataset is running; try again when it ends")
    if "ingest" in job.report:
        raise click.ClickException(IngestError.from_dict(job.report["ingest"]).message())
    if "rules" in job.report:
        raise click.ClickException(f"the de-identification rules cannot be applied: {job.report['rules']}")
    if "pii" in job.report:
        print_findings(job.report["pii"])
        raise click.ClickException(
            "personal data found; nothing was published. Add a de-identification rule for the column, or "
            "justify a finding with `flask --app portal datasets justify SLUG FINGERPRINT REASON`."
        )
    if "validation" in job.report:
        print_report(job.report["validation"])
        raise click.ClickException(
            "validation failed; nothing was published (use --drop-invalid to drop those rows)"
        )
    raise click.ClickException(f"publishing failed ({job.reason})")


@datasets_cli.command("justify")
@click.argument("slug")
@click.argument("fingerprint")
@click.argument("reason")
def justify_command(slug: str, fingerprint: str, reason: str) -> None:
    """Record why a finding of the personal-data scan (by its fingerprint) may be published."""
    from datasets.deid.allowances import JustificationError, justify

    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug))
    if dataset is None:
        raise click.ClickException(f"no dataset named {slug!r}")
    with audit.acting_as(_actor()):
        try:
            justify(dataset, fingerprint, reason, _actor(), role="command_line")
        except JustificationError as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
    click.echo(f"justification recorded for {fingerprint}")


@datasets_cli.command("list")
def list_command() -> None:
    """List datasets with their current release and next due date."""
    for dataset in db.session.scalars(select(Dataset).order_by(Dataset.slug)):
        release = dataset.current_release
        current = f"release {release.number} ({release.row_count} rows)" if release else "no release"
        click.echo(f"{dataset.slug}\t{current}\tdue {dataset.next_due or '-'}")


@datasets_cli.command("cleanup")
def cleanup_command() -> None:
    """Remove what crashed publish jobs left behind, and sources kept for a retry over a week ago."""
    click.echo(f"{remove_abandoned_jobs()} abandoned publish jobs cleaned up")
    click.echo(f"{purge_kept_sources()} kept sources deleted")


codes_cli = AppGroup("codes", help="Classification code tables (主題, 施政, 服務).")
datasets_cli.add_command(codes_cli)


@codes_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_codes_command(path: Path) -> None:
    """Load codes from a UTF-8 CSV with columns scheme,code,name_zh,name_en (scheme: theme, cake, service)."""
    added = updated = 0
    with audit.acting_as(_actor()), path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            scheme, code = (row.get("scheme") or "").strip(), (row.get("code") or "").strip()
            if (
                scheme not in {"theme", "cake", "service"}
                or not code
                or not (row.get("name_zh") or "").strip()
            ):
                raise click.ClickException(
                    f"line {line}: needs scheme (theme, cake or service), code and name_zh"
                )
            existing = db.session.scalar(
                select(ClassificationCode).where(
                    ClassificationCode.scheme == scheme, ClassificationCode.code == code
                )
            )
            if existing is None:
                db.session.add(
                    ClassificationCode(
                        scheme=scheme,
                        code=code,
                        name_zh=row["name_zh"].strip(),
                        name_en=(row.get("name_en") or "").strip(),
                    )
                )
                added += 1
            else:
                existing.name_zh = row["name_zh"].strip()
                existing.name_en = (row.get("name_en") or "").strip()
                updated += 1
        db.session.commit()
    click.echo(f"{added} codes added, {updated} updated")
