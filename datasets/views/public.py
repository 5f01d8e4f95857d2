"""The public catalogue: search and filters, a page per dataset, its releases and downloads."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, render_template, request, send_file
from sqlalchemy import select

from datasets import query_store
from datasets.catalogue import FREQUENCY_BY_KEY, LICENCE_BY_KEY, is_overdue
from datasets.downloads import download_counts, record_download
from datasets.models import Dataset, Release
from datasets.services import FORMATS, search_datasets, today
from datasets.storage import release_folder
from portal.classification.codes import code_names, codes
from portal.db import db
from portal.http import content_disposition
from portal.i18n import _
from portal.offices.models import Office
from portal.pagination import paginate, requested_page_number

bp = Blueprint("datasets", __name__, template_folder="../templates")

PREVIEW_ROWS = 20


def _filters() -> dict[str, str]:
    return {
        "q": (request.args.get("q") or "").strip()[:100],
        "theme": (request.args.get("theme") or "").strip()[:10],
        "service": (request.args.get("service") or "").strip()[:10],
        "office": (request.args.get("office") or "").strip()[:20],
        "format": (request.args.get("format") or "").strip().lower()[:10],
        "keyword": (request.args.get("keyword") or "").strip()[:50],
    }


@bp.route("/datasets")
def catalogue() -> Any:
    """Every published dataset, searchable and filtered, a page at a time."""
    filters = _filters()
    query = search_datasets(filters)
    page = paginate(db.session, query, requested_page_number())
    offices = list(
        db.session.scalars(select(Office).where(Office.active.is_(True)).order_by(Office.sort_order))
    )
    return render_template(
        "datasets/catalogue.html",
        page=page,
        filters=filters,
        themes=codes("theme"),
        services=codes("service"),
        offices=offices,
        formats=FORMATS,
        today=today(),
        is_overdue=is_overdue,
        frequencies=FREQUENCY_BY_KEY,
    )


def _published_dataset(slug: str) -> Dataset:
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug, Dataset.published.is_(True)))
    if dataset is None:
        abort(404)
    return dataset


def format_cell(value: Any) -> str:
    """A query-store value as a visitor reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date | datetime):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _preview(release: Release | None) -> list[list[Any]]:
    if release is None:
        return []
    table = query_store.build_table(release.query_table, release.table_schema)
    return [
        [format_cell(value) for value in row]
        for row in query_store.preview(db.session.connection(), table, PREVIEW_ROWS)
    ]


@bp.route("/datasets/<slug>")
def dataset_page(slug: str) -> Any:
    """A dataset: what it is, its files, its releases and a preview of its rows."""
    dataset = _published_dataset(slug)
    releases = list(
        db.session.scalars(
            select(Release).where(Release.dataset_id == dataset.id).order_by(Release.number.desc())
        )
    )
    current = dataset.current_release
    return render_template(
        "datasets/dataset.html",
        dataset=dataset,
        current=current,
        releases=releases,
        preview=_preview(current),
        themes=code_names("theme"),
        cakes=code_names("cake"),
        services=code_names("service"),
        frequency=FREQUENCY_BY_KEY.get(dataset.update_frequency),
        licence=LICENCE_BY_KEY.get(dataset.licence),
        overdue=is_overdue(dataset.next_due, today()),
        last_updated=current.published_at if current else dataset.updated_at,
        downloads=download_counts(dataset.id),
    )


def _release(dataset: Dataset, number: int) -> Release:
    release = db.session.scalar(
        select(Release).where(Release.dataset_id == dataset.id, Release.number == number)
    )
    if release is None:
        abort(404)
    return release


@bp.route("/datasets/<slug>/releases/<int:number>")
def release_page(slug: str, number: int) -> Any:
    """One release: its notes, validation outcome and files."""
    dataset = _published_dataset(slug)
    release = _release(dataset, number)
    return render_template(
        "datasets/release.html", dataset=dataset, release=release, last_updated=release.published_at
    )


@bp.route("/datasets/<slug>/releases/<int:number>/<filename>")
def download(slug: str, number: int, filename: str) -> Any:
    """A file of a release, resumable (byte ranges), saved under the dataset's Chinese title."""
    dataset = _published_dataset(slug)
    release = _release(dataset, number)
    kinds = {info["name"]: (kind, info) for kind, info in release.files.items()}
    if filename not in kinds:
        abort(404)
    kind, info = kinds[filename]
    path = release_folder(release.storage_key) / info["name"]
    if not path.is_file():
        abort(404)
    inline = filename.endswith((".pdf", ".json"))
    suffix = Path(info["name"]).suffix
    readable_name = (
        info["name"] if kind == "datapackage" else f"{dataset.title_zh}-第{release.number}版{suffix}"
    )
    response = send_file(
        path, mimetype=info["media_type"], conditional=True, etag=info["sha256"], max_age=86400
    )
    # Built from the stored title, cleaned: a title stored with a line break still downloads.
    response.headers["Content-Disposition"] = content_disposition(readable_name, inline=inline)
    if request.method == "GET" and _is_first_transfer(response):
        record_download(dataset.id, kind)
    return response


def _is_first_transfer(response: Any) -> bool:
    """A whole file, or the range that starts it (resumed downloads count once)."""
    if response.status_code == 200:
        return True
    if response.status_code == 206:
        content_range = response.headers.get("Content-Range", "")
        return content_range.startswith("bytes 0-")
    return False
