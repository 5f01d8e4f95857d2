"""The stages of a publish, in order, each a function of the shared `PublishContext`.

1. **ingest** the source into one normalised UTF-8 CSV (`datasets.ingest`); a spreadsheet
   is read in a process of its own, within `INGEST_MEMORY_MB` and `INGEST_SECONDS`;
2. **schema**: the dataset's, or inferred on its first release; the columns must match;
   the de-identification plan and the quasi-identifiers follow from it;
3. **validate** and load: each row is checked (`RowValidator.valid`), de-identified, and
   goes to the job's query-store table and to `clean.csv` in one pass, with the
   children (`datasets.publishing.children`) reading `clean.csv` behind it;
4. **keys**: duplicate primary keys are found in the query store, and rows of groups
   smaller than k withheld; rows that failed validation refuse the release here unless
   the publisher chose to drop them;
5. **index** the table and **compare** it with the previous release, while the children
   finish;
6. **gate**: personal data the scan found refuses the release; rows withheld after the
   pass have the files written again without them; no row left refuses it too;
7. **write** the PDF and datapackage.json, and wait for the files.

`datasets.publishing.pipeline` runs them, then switches the release in.
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from datasets import query_store
from datasets.child_tasks import fewer_collections
from datasets.deid import DeidPlan, RuleError, fingerprint_key, pseudonym_key
from datasets.ingest import IngestError, IngestLimits
from datasets.ingest.isolated import ProcessLimits, open_isolated
from datasets.job_states import RefusalReason
from datasets.models import Release
from datasets.publishing import children
from datasets.publishing.context import PublishContext
from datasets.publishing.jobs import PublishRefusedError
from datasets.publishing.notes import Changes, release_notes
from datasets.publishing.outputs import ReleaseText, write_package, write_release_pdf
from datasets.schema import column_names, infer_schema
from datasets.validation import Problem, RowValidator
from portal.db import db, utcnow

BATCH_ROWS = 20_000
# Rows held for the query store at once, by cells, so that a wide table's batch is no larger.
BATCH_CELLS = 240_000

Stage = Callable[[PublishContext], None]


def ingest(ctx: PublishContext) -> None:
    """Open the source; a spreadsheet is read in a process of its own (sets `ctx.source`)."""
    config = current_app.config
    # A spreadsheet built to exhaust memory or time takes only that process down, never
    # the worker running this job.
    ctx.source = open_isolated(
        Path(ctx.job.source_path),
        ctx.job.source_name,
        work=ctx.work,
        sheet=ctx.options.sheet,
        limits=IngestLimits(max_bytes=config["DATASET_UPLOAD_MAX_MB"] * 1024 * 1024),
        process=ProcessLimits(memory_mb=config["INGEST_MEMORY_MB"], seconds=config["INGEST_SECONDS"]),
        heartbeat=lambda: ctx.progress("ingest", 2),
    )
    ctx.progress.rows_expected = ctx.source.estimated_rows


def choose_schema(ctx: PublishContext) -> None:
    """The schema, the de-identification plan and the quasi-identifiers (sets `plan`, `schema`, ...)."""
    ctx.progress("schema", 5)
    dataset, work = ctx.dataset, ctx.work
    if dataset.table_schema.get("fields"):
        source_schema = dataset.table_schema
    else:
        ctx.source.write_sample(work / "sample.csv")
        source_schema = infer_schema(work / "sample.csv")
        dataset.table_schema = source_schema
    expected = column_names(source_schema)
    found = ctx.source.info.columns
    if found != expected:
        missing = [name for name in expected if name not in found]
        extra = [name for name in found if name not in expected]
        raise IngestError("columns_changed", missing="、".join(missing) or "—", extra="、".join(extra) or "—")
    key = pseudonym_key(current_app.config["PSEUDONYM_KEY"].encode("utf-8"), dataset.slug)
    try:
        ctx.plan = DeidPlan(source_schema, key)
    except RuleError as error:
        raise PublishRefusedError(RefusalReason.RULES, {"rules": str(error)}) from error
    ctx.schema = ctx.plan.schema
    positions = {spec["name"]: position for position, spec in enumerate(ctx.schema["fields"])}
    wanted = list(dataset.quasi_identifiers or [])
    unknown = [name for name in wanted if name not in positions]
    if unknown:
        raise PublishRefusedError(
            RefusalReason.RULES, {"rules": f"quasi-identifiers not published: {', '.join(unknown)}"}
        )
    ctx.quasi_identifiers = {name: positions[name] for name in wanted}


def _gate_settings(ctx: PublishContext) -> dict[str, Any]:
    """What the scanning process needs of the dataset: its fingerprint key and justified findings."""
    key = fingerprint_key(current_app.config["PSEUDONYM_KEY"].encode("utf-8"), ctx.dataset.slug)
    return {"fingerprint_key": key.hex(), "allowances": list(ctx.dataset.pii_allowances or [])}


def _start_children(ctx: PublishContext) -> None:
    """The scan, and the files unless rows may still be withheld after the pass (k-anonymity)."""
    if not ctx.quasi_identifiers and len(ctx.schema["fields"]) <= children.ONE_CHILD_MAX_COLUMNS:
        ctx.scan_path = ctx.stem.with_name(ctx.stem.name + ".scan.json")
        ctx.children = {
            "scan": children.start_child("files+scan", ctx.clean_csv, ctx.stem, ctx.work, ctx.follow)
        }
        return
    ctx.scan_path = ctx.work / "scan.json"
    ctx.children = {"scan": children.start_child("scan", ctx.clean_csv, ctx.scan_path, ctx.work, ctx.follow)}
    if not ctx.quasi_identifiers:
        ctx.children |= children.start_writers(ctx.clean_csv, ctx.stem, ctx.work, ctx.follow)


def validate_and_load(ctx: PublishContext) -> None:
    """Create the job's table, start the children, and make the one pass over the source."""
    ctx.progress("validate", 10)
    ctx.table = query_store.build_table(ctx.table_name, ctx.schema)
    query_store.create(db.session.connection(), ctx.table)
    ctx.clean_csv.touch()
    ctx.gate_settings = _gate_settings(ctx)
    children.write_job_files(ctx.work, ctx.schema, ctx.dataset.title_zh, set(), ctx.gate_settings)
    _start_children(ctx)
    _one_pass(ctx)
    ctx.progress("validate", 52, rows=ctx.report.rows_checked, commit=False)
    ctx.follow.touch()


def row_hash(cells: list[str]) -> int:
    """A 64-bit fingerprint of a row, the same in every process (two checksums side by side)."""
    data = "\x1f".join(cells).encode("utf-8")
    value = (zlib.crc32(data) << 32) | zlib.adler32(data)
    return value - (1 << 64) if value >= 1 << 63 else value


def _one_pass(ctx: PublishContext) -> None:
    """Validate each row, de-identify it, write it to clean.csv and load it, in batches."""
    plan, table, report, progress = ctx.plan, ctx.table, ctx.report, ctx.progress
    valid = RowValidator(plan.source_schema).valid
    apply = plan.apply
    # The store takes each cell's validated text, converted only where its database would not
    # read the text exactly (`query_store.text_conversions`).
    conversions = query_store.text_conversions(
        plan.schema, db.session.connection().dialect.name, plan.converted_positions()
    )
    total = max(ctx.source.estimated_rows, 1)
    batch_rows = max(1000, min(BATCH_ROWS, BATCH_CELLS // max(len(plan.schema["fields"]), 1)))
    with ctx.clean_csv.open("w", encoding="utf-8", newline="") as clean, fewer_collections():
        writer = csv.writer(clean, lineterminator="\n")
        writer.writerow(["_row", *column_names(plan.schema)])
        writerow = writer.writerow
        batch: list[list[Any]] = []
        append = batch.append
        for row_number, cells in enumerate(ctx.source.rows, start=2):
            if not valid(row_number, cells, report):
                continue
            out = apply(cells)
            writerow([row_number, *out])
            append([row_number, row_hash(out), *out])
            if len(batch) >= batch_rows:
                clean.flush()  # the child processes are reading behind us
                query_store.load_texts(db.session.connection(), table, batch, conversions)
                batch.clear()
                percent = 10 + min(42, int(43 * report.rows_checked / total))
                progress("validate", percent, rows=report.rows_checked)
        if batch:
            query_store.load_texts(db.session.connection(), table, batch, conversions)


def withhold_rows(ctx: PublishContext) -> None:
    """Rows withheld after the pass (repeated keys, groups smaller than k); refuse invalid rows."""
    ctx.progress("keys", 53)
    ctx.skip = set(_repeated_keys(ctx))
    if ctx.quasi_identifiers:
        withheld, achieved = query_store.small_groups(
            db.session.connection(),
            ctx.table,
            [ctx.table.c[query_store.column_key(position)] for position in ctx.quasi_identifiers.values()],
            ctx.dataset.k_anonymity,
        )
        ctx.skip |= set(withheld)
        ctx.k_report = {
            "quasi_identifiers": list(ctx.quasi_identifiers),
            "k": ctx.dataset.k_anonymity,
            "achieved": achieved,
            "rows_suppressed": len(withheld),
        }
    if ctx.skip:
        query_store.delete_rows(db.session.connection(), ctx.table, sorted(ctx.skip))
    if not ctx.report.valid and not ctx.options.drop_invalid:
        _refuse_invalid(ctx)


def _repeated_keys(ctx: PublishContext) -> list[int]:
    """Add a problem for each row whose primary key repeats; returns those rows."""
    key_columns = query_store.primary_key_columns(ctx.table, ctx.schema)
    if not key_columns:
        return []
    duplicates = query_store.duplicate_rows(db.session.connection(), ctx.table, key_columns, limit=10_000_000)
    key_names = "、".join(ctx.schema["primaryKey"])
    for row, values in duplicates:
        ctx.report.add(Problem(row, "primary-key", key_names, "、".join(str(value) for value in values)))
    ctx.report.invalid_rows += len(duplicates)
    return [row for row, _values in duplicates]


def _refuse_invalid(ctx: PublishContext) -> None:
    """Refuse a release with problems the publisher did not choose to drop, once the scan has
    finished: personal data found is reported first, as it must be dealt with in any case."""
    children.stop({kind: child for kind, child in ctx.children.items() if kind != "scan"})
    gate = children.gate_report(ctx.children.pop("scan"), ctx.scan_path)
    if gate["findings"]:
        raise PublishRefusedError(RefusalReason.PII, {"pii": gate, "validation": ctx.report.to_dict()})
    raise PublishRefusedError(RefusalReason.INVALID, {"validation": ctx.report.to_dict()})


def index_and_compare(ctx: PublishContext) -> None:
    """Index the table, and count rows added, removed and changed since the previous release."""
    ctx.progress("index", 56)
    query_store.create_indexes(db.session.connection(), ctx.table, ctx.schema)
    ctx.progress("compare", 58)
    release_id = ctx.dataset.current_release_id
    ctx.previous = previous = db.session.get(Release, release_id) if release_id else None
    if previous is None or not previous.query_table:
        ctx.changes = Changes(has_previous=previous is not None)
        return
    old_table = query_store.build_table(previous.query_table, previous.table_schema)
    primary_key = ctx.schema.get("primaryKey")
    same_key = bool(primary_key) and previous.table_schema.get("primaryKey") == primary_key
    new_key = query_store.primary_key_columns(ctx.table, ctx.schema) if same_key else []
    old_key = query_store.primary_key_columns(old_table, previous.table_schema) if same_key else []
    added, removed, changed = query_store.compare(
        db.session.connection(), ctx.table, old_table, new_key, old_key
    )
    ctx.changes = Changes(True, added, removed, changed)


def gate(ctx: PublishContext) -> None:
    """Take the scan's findings: personal data refuses the release; rewrite files without withheld rows."""
    ctx.progress("gate", 60, rows=ctx.report.rows_checked)
    ctx.gate = children.gate_report(ctx.children.pop("scan"), ctx.scan_path)
    if ctx.gate["findings"]:
        raise PublishRefusedError(RefusalReason.PII, {"pii": ctx.gate, "validation": ctx.report.to_dict()})
    if ctx.skip or ctx.quasi_identifiers:
        # Rows were withheld after the pass, or the writers waited for the k check.
        children.stop(ctx.children)
        children.write_job_files(ctx.work, ctx.schema, ctx.dataset.title_zh, ctx.skip, ctx.gate_settings)
        ctx.children = children.start_writers(ctx.clean_csv, ctx.stem, ctx.work, follow=None)
    ctx.row_count = query_store.row_count(db.session.connection(), ctx.table)
    if ctx.row_count == 0:
        raise PublishRefusedError(RefusalReason.NO_ROWS, {"validation": ctx.report.to_dict()})
    scan_summary = {key: value for key, value in ctx.gate.items() if key != "examples"}
    ctx.deid_report = {"rules": ctx.plan.report(), "k_anonymity": ctx.k_report, "scan": scan_summary}


def write(ctx: PublishContext) -> None:
    """Number the release, write its notes, PDF and datapackage.json, and wait for the other files."""
    latest = db.session.scalar(select(func.max(Release.number)).where(Release.dataset_id == ctx.dataset.id))
    ctx.number = (latest or 0) + 1
    ctx.published_at = utcnow()
    ctx.notes_zh, ctx.notes_en = release_notes(
        ctx.number,
        ctx.row_count,
        ctx.changes,
        ctx.report,
        (ctx.options.notes_zh, ctx.options.notes_en),
        ctx.deid_report,
    )
    ctx.progress("write", 75, rows=ctx.row_count)
    text = ReleaseText(
        ctx.number, ctx.published_at, ctx.row_count, ctx.notes_zh, ctx.notes_en, ctx.deid_report
    )
    write_release_pdf(ctx.dataset, ctx.schema, ctx.clean_csv, ctx.skip, ctx.out / ctx.names["pdf"], text)
    write_package(ctx.dataset, ctx.schema, ctx.out, ctx.names, ctx.number, ctx.published_at)
    children.wait_for(ctx.children)
    ctx.progress("write", 92)


# In order; each raises PublishRefusedError or IngestError to end the job without a release.
STAGES: tuple[Stage, ...] = (
    ingest,
    choose_schema,
    validate_and_load,
    withhold_rows,
    index_and_compare,
    gate,
    write,
)
