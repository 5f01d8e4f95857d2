"""Project Open Data metadata, `data.json` v1.1: the catalogue as US and other portals harvest it."""

from __future__ import annotations

from typing import Any

from flask import url_for

from datasets.api.documents import DISTRIBUTION_KINDS, FORMAT_NAMES, download_url, iso
from datasets.catalogue import FREQUENCY_BY_KEY, LICENCE_BY_KEY
from datasets.models import Dataset
from portal.offices.models import Agency

CONFORMS_TO = "https://project-open-data.cio.gov/v1.1/schema"
DESCRIBED_BY = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"


def _periodicity(key: str) -> str | None:
    frequency = FREQUENCY_BY_KEY.get(key)
    if frequency is None or frequency.iso == "never":
        return None
    return frequency.iso


def _organization(name: str, parent: dict[str, Any] | None = None) -> dict[str, Any]:
    organization: dict[str, Any] = {"@type": "org:Organization", "name": name}
    if parent is not None:
        organization["subOrganizationOf"] = parent
    return organization


def _publisher(dataset: Dataset, agency: Agency) -> dict[str, Any]:
    """The office that publishes, within the agency, within the agency's parent (when recorded)."""
    publisher = _organization(agency.name_zh, _organization(agency.parent_zh) if agency.parent_zh else None)
    if dataset.office is not None:
        publisher = _organization(dataset.office.name_zh, publisher)
    return publisher


def dataset_entry(dataset: Dataset, agency: Agency) -> dict[str, Any]:
    """One dataset as a data.json entry."""
    release = dataset.current_release
    licence = LICENCE_BY_KEY.get(dataset.licence)
    email = dataset.contact_email or agency.email
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": dataset.title_zh,
        "description": dataset.description_zh or dataset.title_zh,
        "keyword": list(dataset.keywords or []) or [dataset.title_zh],
        "modified": iso(release.published_at if release else dataset.updated_at),
        "publisher": _publisher(dataset, agency),
        "contactPoint": {"@type": "vcard:Contact", "fn": dataset.contact_name or agency.name_zh},
        "identifier": url_for("datasets.dataset_page", slug=dataset.slug, _external=True),
        "accessLevel": "public",
        "license": licence.url if licence else dataset.licence,
        "landingPage": url_for("datasets.dataset_page", slug=dataset.slug, _external=True),
        "language": ["zh-TW", "en"] if dataset.title_en else ["zh-TW"],
        "distribution": [],
    }
    if email:
        entry["contactPoint"]["hasEmail"] = "mailto:" + email
    periodicity = _periodicity(dataset.update_frequency)
    if periodicity:
        entry["accrualPeriodicity"] = periodicity
    if dataset.temporal_start and dataset.temporal_end:
        entry["temporal"] = f"{dataset.temporal_start.isoformat()}/{dataset.temporal_end.isoformat()}"
    if release is not None:
        for kind in DISTRIBUTION_KINDS:
            info = release.files.get(kind)
            if info:
                entry["distribution"].append(
                    {
                        "@type": "dcat:Distribution",
                        "title": info["name"],
                        "downloadURL": download_url(dataset, release, kind),
                        "mediaType": info["media_type"],
                        "format": FORMAT_NAMES[kind],
                    }
                )
        entry["describedBy"] = (
            download_url(dataset, release, "datapackage") if "datapackage" in release.files else None
        )
        entry["describedByType"] = "application/json"
        if entry["describedBy"] is None:
            del entry["describedBy"], entry["describedByType"]
    return entry


def catalog(datasets: list[Dataset], agency: Agency) -> dict[str, Any]:
    """The data.json document."""
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": CONFORMS_TO,
        "describedBy": DESCRIBED_BY,
        "dataset": [dataset_entry(dataset, agency) for dataset in datasets],
    }
