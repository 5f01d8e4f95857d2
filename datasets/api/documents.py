"""The JSON shapes of catalogue records in the REST API: datasets, releases and distributions.

Texts come in both languages (`{"zh-Hant-TW": ..., "en": ...}`); URLs are absolute so
that a harvester can follow them. The same builders feed the CKAN, DCAT and data.json
exports.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from datasets.catalogue import FREQUENCY_BY_KEY, LICENCE_BY_KEY
from datasets.deid import public_report
from datasets.models import Dataset, Release

DISTRIBUTION_KINDS = ("csv", "ods", "json", "pdf", "datapackage")
FORMAT_NAMES = {"csv": "CSV", "ods": "ODS", "json": "JSON", "pdf": "PDF", "datapackage": "JSON"}


def bilingual(zh: str, en: str) -> dict[str, str]:
    """A text in both languages (English falls back to Chinese when missing)."""
    return {"zh-Hant-TW": zh, "en": en or zh}


def iso(value: Any) -> str | None:
    """An ISO 8601 text of a date or datetime, or None."""
    return value.isoformat() if value is not None else None


def distribution_id(dataset: Dataset, kind: str) -> str:
    """The stable identifier of a dataset's distribution (it follows the current release)."""
    return f"{dataset.slug}.{kind}"


def download_url(dataset: Dataset, release: Release, kind: str) -> str:
    """The absolute URL of one file of a release."""
    return url_for(
        "datasets.download",
        slug=dataset.slug,
        number=release.number,
        filename=release.files[kind]["name"],
        _external=True,
    )


def distributions(
    dataset: Dataset, release: Release, counts: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """The files of a release, each with its format, size, checksum and URL."""
    items = []
    for kind in DISTRIBUTION_KINDS:
        info = release.files.get(kind)
        if not info:
            continue
        item = {
            "id": distribution_id(dataset, kind),
            "kind": kind,
            "format": FORMAT_NAMES[kind],
            "media_type": info["media_type"],
            "name": info["name"],
            "size": info["size"],
            "sha256": info["sha256"],
            "encoding": "UTF-8" if kind in {"csv", "json", "datapackage"} else None,
            "url": download_url(dataset, release, kind),
        }
        if counts is not None:
            item["downloads"] = counts.get(kind, 0)
        items.append(item)
    return items


def release_document(
    dataset: Dataset, release: Release, counts: dict[str, int] | None = None
) -> dict[str, Any]:
    """A release: its number, dates, row counts, notes, schema and files."""
    return {
        "dataset": dataset.slug,
        "number": release.number,
        "current": release.id == dataset.current_release_id,
        "published_at": iso(release.published_at),
        "row_count": release.row_count,
        "rows_added": release.rows_added,
        "rows_removed": release.rows_removed,
        "rows_changed": release.rows_changed,
        "rows_dropped": release.rows_dropped,
        "notes": bilingual(release.notes_zh, release.notes_en),
        "schema": release.table_schema,
        "deidentification": public_report(release.deid_report) or None,
        "distributions": distributions(dataset, release, counts),
        "links": {
            "self": url_for("datasets_api.release", slug=dataset.slug, number=release.number, _external=True),
            "rows": url_for(
                "datasets_api.release_rows", slug=dataset.slug, number=release.number, _external=True
            ),
            "page": url_for(
                "datasets.release_page", slug=dataset.slug, number=release.number, _external=True
            ),
        },
    }


def dataset_summary(dataset: Dataset) -> dict[str, Any]:
    """What a catalogue listing shows of a dataset."""
    release = dataset.current_release
    return {
        "id": dataset.slug,
        "identifier": dataset.identifier or None,
        "title": bilingual(dataset.title_zh, dataset.title_en),
        "description": bilingual(dataset.description_zh, dataset.description_en),
        "keywords": list(dataset.keywords or []),
        "office": dataset.office.code if dataset.office else None,
        "modified": iso(release.published_at if release else dataset.updated_at),
        "current_release": release.number if release else None,
        "links": {
            "self": url_for("datasets_api.dataset", slug=dataset.slug, _external=True),
            "page": url_for("datasets.dataset_page", slug=dataset.slug, _external=True),
        },
    }


def dataset_document(dataset: Dataset, counts: dict[str, int] | None = None) -> dict[str, Any]:
    """Everything the catalogue knows of a dataset, with its current release's files."""
    release = dataset.current_release
    frequency = FREQUENCY_BY_KEY.get(dataset.update_frequency)
    licence = LICENCE_BY_KEY.get(dataset.licence)
    office = dataset.office
    document = dataset_summary(dataset)
    document.update(
        {
            "classification": {
                "theme": dataset.theme_code or None,
                "cake": dataset.cake_code or None,
                "service": dataset.service_code or None,
            },
            "office": (
                {"code": office.code, "name": bilingual(office.name_zh, office.name_en)} if office else None
            ),
            "contact": {
                "name": dataset.contact_name or None,
                "phone": dataset.contact_phone or None,
                "email": dataset.contact_email or None,
            },
            "provision_type": dataset.provision_type,
            "update_frequency": {
                "key": dataset.update_frequency,
                "iso": frequency.iso if frequency else None,
                "label": bilingual(frequency.label_zh, str(frequency.key)) if frequency else None,
            },
            "next_due": iso(dataset.next_due),
            "licence": (
                {"id": licence.key, "name": bilingual(licence.name_zh, licence.name_en), "url": licence.url}
                if licence
                else {"id": dataset.licence}
            ),
            "cost": dataset.cost,
            "temporal": {"start": iso(dataset.temporal_start), "end": iso(dataset.temporal_end)},
            "related_url": dataset.related_url or None,
            "notes": dataset.notes or None,
            "created": iso(dataset.created_at),
            "release": release_document(dataset, release, counts) if release else None,
        }
    )
    document["links"]["releases"] = url_for("datasets_api.releases", slug=dataset.slug, _external=True)
    if release:
        document["links"]["rows"] = url_for("datasets_api.rows", slug=dataset.slug, _external=True)
    return document
