"""The public catalogue: search and filters, a page per dataset, its releases and downloads."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask import Blueprint, abort, render_template, request, send_file
from sqlalchemy import String, cast, or_, select

from datasets import query_store
from datasets.catalogue import FREQUENCY_BY_KEY, LICENCE_BY_KEY, is_overdue
from datasets.models import Dataset, Release
from datasets.services import code_names, codes, today
from datasets.storage import release_folder
from portal.db import contains_pattern, db
from portal.i18n import _
from portal.offices.models import Office
from portal.pagination import paginate, requested_page_number

bp = Blueprint("datasets", __name__, template_folder="../templates")

FORMATS = ("csv", "ods", "json", "pdf")
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
    query = select(Dataset).where(Dataset.published.is_(True)).order_by(Dataset.updated_at.desc(), Dataset.id)
    if filters["q"]:
        pattern = contains_pattern(filters["q"])
        query = query.where(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (
                        Dataset.title_zh,
                        Dataset.title_en,
                        Dataset.description_zh,
                        Dataset.description_en,
                    )
                ),
                cast(Dataset.keywords, String).ilike(pattern, escape="\\"),
            )
        )
    if filters["theme"]:
        query = query.where(Dataset.theme_code == filters["theme"])
    if filters["service"]:
        query = query.where(Dataset.service_code == filters["service"])
    if filters["office"]:
        query = query.join(Office, Office.id == Dataset.office_id).where(Office.code == filters["office"])
    if filters["keyword"]:
        keyword = contains_pattern(json.dumps(filters["keyword"], ensure_ascii=False))
        query = query.where(cast(Dataset.keywords, String).like(keyword, escape="\\"))
    if filters["format"]:
        if filters["format"] not in FORMATS:
            query = query.where(Dataset.id.is_(None))
        else:
            query = query.where(Dataset.current_release_id.is_not(None))
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
    """A file of a release."""
    dataset = _published_dataset(slug)
    release = _release(dataset, number)
    kinds = {info["name"]: info for info in release.files.values()}
    info = kinds.get(filename)
    if info is None:
        abort(404)
    path = release_folder(release.storage_key) / info["name"]
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype=info["media_type"],
        as_attachment=not filename.endswith((".pdf", ".json")),
        download_name=info["name"],
        conditional=True,
        etag=info["sha256"],
        max_age=3600,
    )
