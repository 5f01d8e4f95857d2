"""What a release is made of besides its rows: file names, the PDF, datapackage.json, their description.

The CSV, ODS and JSON files are written by a child process (`datasets.publishing.children`);
the PDF and the package descriptor here, once the release's number and notes are known.
`describe_files` gives each file's name, size, SHA-256 and media type, as the release
record keeps them for downloads and the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from datasets.catalogue import LICENCE_BY_KEY
from datasets.child_tasks import clean_rows
from datasets.deid import describe_report
from datasets.models import Dataset
from datasets.storage import file_digest
from datasets.writers.datapackage import write_datapackage
from datasets.writers.pdf import PDF_TABLE_MAX_ROWS, PdfContent, write_pdf
from portal.offices.services import current_agency

TAIPEI = ZoneInfo("Asia/Taipei")
KINDS = ("csv", "json", "ods", "pdf")
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
    "datapackage": "application/json",
}


def file_names(dataset: Dataset) -> dict[str, str]:
    """Each published file's name by kind: the dataset's slug and the kind's extension."""
    return {kind: f"{dataset.slug}.{kind}" for kind in KINDS}


def describe_files(out: Path, names: dict[str, str]) -> dict[str, Any]:
    """Name, size, SHA-256 and media type of every file in `out`, datapackage.json included."""
    files = {kind: out / name for kind, name in names.items()}
    files["datapackage"] = out / "datapackage.json"
    return {
        kind: {
            "name": path.name,
            "size": path.stat().st_size,
            "sha256": file_digest(path),
            "media_type": MEDIA_TYPES[kind],
        }
        for kind, path in files.items()
    }


@dataclass(frozen=True)
class ReleaseText:
    """What the PDF says of the release beside its rows."""

    number: int
    published_at: datetime
    row_count: int
    notes_zh: list[str]
    notes_en: list[str]
    deid_report: dict[str, Any]


def write_release_pdf(
    dataset: Dataset, schema: dict[str, Any], clean_csv: Path, skip: set[int], path: Path, text: ReleaseText
) -> None:
    """The release as a PDF: its notes, fields and de-identification report, and its rows when few."""
    config = current_app.config
    report_zh, report_en = describe_report(text.deid_report)
    licence = LICENCE_BY_KEY.get(dataset.licence)
    write_pdf(
        path,
        PdfContent(
            agency=current_agency().name_zh,
            title_zh=dataset.title_zh,
            title_en=dataset.title_en,
            release_number=text.number,
            release_date=text.published_at.astimezone(TAIPEI).date().isoformat(),
            licence=f"{licence.name_zh} {licence.url}" if licence else dataset.licence,
            notes_zh=text.notes_zh,
            notes_en=text.notes_en,
            schema=schema,
            row_count=text.row_count,
            rows=clean_rows(clean_csv, skip) if text.row_count <= PDF_TABLE_MAX_ROWS else None,
            extra_sections=[("去識別化報告 De-identification report", report_zh + report_en)],
        ),
        font_path=config["PDF_FONT"],
        font_index=config["PDF_FONT_INDEX"],
    )


def write_package(
    dataset: Dataset,
    schema: dict[str, Any],
    out: Path,
    names: dict[str, str],
    number: int,
    published_at: datetime,
) -> None:
    """datapackage.json for the release's files (Frictionless Data Package)."""
    licence = LICENCE_BY_KEY.get(dataset.licence)
    write_datapackage(
        out / "datapackage.json",
        name=dataset.slug,
        title=dataset.title_zh,
        description=dataset.description_zh,
        version=number,
        created=published_at.isoformat(timespec="seconds"),
        licence={
            "name": dataset.licence,
            "path": licence.url if licence else "",
            "title": licence.name_zh if licence else dataset.licence,
        },
        keywords=list(dataset.keywords or []),
        csv_name=names["csv"],
        schema=schema,
        other_files={
            kind: {"path": name, "mediatype": MEDIA_TYPES[kind]}
            for kind, name in names.items()
            if kind != "csv"
        },
    )
