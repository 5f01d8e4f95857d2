"""Where harvesters find the catalogue: `/catalog.jsonld`, `/catalog.ttl`, `/data.json`,
`/opendata/datagovtw.csv` and `.json`, and the `/datasets.atom` feed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from sqlalchemy import select

from datasets.metadata import atom as atom_feed
from datasets.metadata import data_json as pod
from datasets.metadata import datagovtw, dcat
from datasets.models import Dataset, Release
from portal.db import db
from portal.http import attachment, cacheable
from portal.i18n import current_language, localized
from portal.offices.services import current_agency

bp = Blueprint("datasets_metadata", __name__)

MAX_AGE = 300
FEED_ENTRIES = 50


def _published() -> list[Dataset]:
    return list(db.session.scalars(select(Dataset).where(Dataset.published.is_(True)).order_by(Dataset.slug)))


@bp.route("/catalog.jsonld")
def catalog_jsonld() -> Any:
    """The DCAT-AP catalogue as JSON-LD."""
    response = jsonify(dcat.catalog(_published(), current_agency()))
    response.mimetype = "application/ld+json"
    return cacheable(response, max_age=MAX_AGE)


@bp.route("/catalog.ttl")
def catalog_turtle() -> Any:
    """The DCAT-AP catalogue as Turtle."""
    text = dcat.turtle(dcat.catalog(_published(), current_agency()))
    return cacheable(Response(text, mimetype="text/turtle"), max_age=MAX_AGE)


@bp.route("/data.json")
def data_json() -> Any:
    """Project Open Data metadata v1.1."""
    return cacheable(jsonify(pod.catalog(_published(), current_agency())), max_age=MAX_AGE)


@bp.route("/opendata/datagovtw.csv")
def datagovtw_csv() -> Any:
    """The data.gov.tw metadata, 22 columns."""
    response = Response(datagovtw.csv_text(_published(), current_agency()), mimetype="text/csv")
    response.headers["Content-Disposition"] = attachment("資料集詮釋資料.csv")
    return cacheable(response, max_age=MAX_AGE)


@bp.route("/opendata/datagovtw.json")
def datagovtw_json() -> Any:
    """The data.gov.tw metadata as JSON."""
    agency = current_agency()
    return cacheable(
        jsonify([datagovtw.json_entry(dataset, agency) for dataset in _published()]), max_age=MAX_AGE
    )


@bp.route("/datasets.atom")
def atom() -> Any:
    """New releases, newest first."""
    entries: list[tuple[Release, Dataset]] = [
        (release, dataset)
        for release, dataset in db.session.execute(
            select(Release, Dataset)
            .join(Dataset, Dataset.id == Release.dataset_id)
            .where(Dataset.published.is_(True), Release.published_at.is_not(None))
            .order_by(Release.published_at.desc(), Release.id.desc())
            .limit(FEED_ENTRIES)
        )
    ]
    agency = current_agency()
    language = current_language().code
    title = f"{localized(agency, 'name')} — " + (
        "new open data releases" if language == "en" else "開放資料新版本"
    )
    body = atom_feed.feed(entries, title, "en" if language == "en" else "zh-Hant-TW")
    return cacheable(Response(body, mimetype="application/atom+xml"), max_age=MAX_AGE)
