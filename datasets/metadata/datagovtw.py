"""The metadata data.gov.tw (政府資料開放平臺) takes from agencies: its 22-column CSV and its JSON keys.

One CSV row per dataset, with the platform's Chinese column names in its order; the
JSON gives each dataset under the keys agencies use in their feeds.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import url_for

from datasets.api.documents import DISTRIBUTION_KINDS, FORMAT_NAMES, download_url, iso
from datasets.catalogue import FREQUENCY_BY_KEY, LICENCE_BY_KEY
from datasets.models import Dataset
from datasets.writers.tabular import neutralise_formula
from portal.offices.models import Agency

CSV_COLUMNS = (
    "資料集識別碼",
    "資料集名稱",
    "資料提供屬性",
    "服務分類",
    "品質檢測",
    "檔案格式",
    "資料下載網址",
    "編碼格式",
    "資料集上架方式",
    "資料集描述",
    "主要欄位說明",
    "提供機關",
    "更新頻率",
    "授權方式",
    "相關網址",
    "計費方式",
    "提供機關聯絡人姓名",
    "提供機關聯絡人電話",
    "上架日期",
    "詮釋資料更新時間",
    "備註",
    "資料量",
)
DATA_FORMATS = ("csv", "json", "ods", "pdf")


def _field_description(dataset: Dataset) -> str:
    release = dataset.current_release
    fields = (release.table_schema if release else dataset.table_schema or {}).get("fields", [])
    return "、".join(field.get("title") or field["name"] for field in fields)


def _formats(dataset: Dataset) -> list[str]:
    release = dataset.current_release
    return [kind for kind in DATA_FORMATS if release is not None and kind in release.files]


def _publisher(dataset: Dataset, agency: Agency) -> str:
    return dataset.office.name_zh if dataset.office else agency.name_zh


def _frequency(dataset: Dataset) -> str:
    frequency = FREQUENCY_BY_KEY.get(dataset.update_frequency)
    return frequency.label_zh if frequency else dataset.update_frequency


def _licence(dataset: Dataset) -> Any:
    return LICENCE_BY_KEY.get(dataset.licence)


def csv_rows(datasets: list[Dataset], agency: Agency) -> list[list[str]]:
    """The 22-column rows, one per dataset."""
    rows = []
    for dataset in datasets:
        release = dataset.current_release
        formats = _formats(dataset)
        licence = _licence(dataset)
        urls = [download_url(dataset, release, kind) for kind in formats] if release else []
        rows.append(
            [
                dataset.identifier,
                dataset.title_zh,
                dataset.provision_type,
                dataset.service_code,
                "",  # 品質檢測: given by the platform after its own checks
                ";".join(FORMAT_NAMES[kind] for kind in formats),
                ";".join(urls),
                ";".join("UTF-8" for _kind in formats),
                "下載",
                dataset.description_zh,
                _field_description(dataset),
                _publisher(dataset, agency),
                _frequency(dataset),
                licence.name_zh if licence else dataset.licence,
                dataset.related_url or url_for("datasets.dataset_page", slug=dataset.slug, _external=True),
                dataset.cost,
                dataset.contact_name,
                dataset.contact_phone,
                iso(dataset.created_at.date()) or "",
                iso(release.published_at if release else dataset.updated_at) or "",
                dataset.notes,
                str(release.row_count) if release else "0",
            ]
        )
    return rows


def csv_text(datasets: list[Dataset], agency: Agency) -> str:
    """The CSV file (UTF-8 with a byte-order mark, as the platform's own files are).

    Staff type every one of these values, so each goes through `neutralise_formula`, as
    in every CSV the site writes; the JSON keeps them as typed.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(name) for name in CSV_COLUMNS])
    for row in csv_rows(datasets, agency):
        writer.writerow([neutralise_formula(cell or "") for cell in row])
    return "\ufeff" + buffer.getvalue()


def json_entry(dataset: Dataset, agency: Agency) -> dict[str, Any]:
    """One dataset under the JSON keys data.gov.tw feeds use."""
    release = dataset.current_release
    licence = _licence(dataset)
    publisher = _publisher(dataset, agency)
    distribution = []
    if release is not None:
        for kind in DISTRIBUTION_KINDS:
            info = release.files.get(kind)
            if info:
                distribution.append(
                    {
                        "resourceID": f"{dataset.identifier or dataset.slug}-{kind}",
                        "resourceDescription": info["name"],
                        "format": FORMAT_NAMES[kind],
                        "characterSetCode": "UTF-8" if kind in {"csv", "json", "datapackage"} else "",
                        "resourceModified": iso(release.published_at),
                        "downloadURL": download_url(dataset, release, kind),
                    }
                )
    return {
        "identifier": dataset.identifier or dataset.slug,
        "categoryCode": dataset.service_code,
        "title": dataset.title_zh,
        "description": dataset.description_zh,
        "fieldDescription": _field_description(dataset),
        "type": dataset.provision_type,
        "publisher": publisher,
        "accrualPeriodicity": _frequency(dataset),
        "license": licence.name_zh if licence else dataset.licence,
        "licenseURL": licence.url if licence else "",
        "cost": dataset.cost,
        "keyword": list(dataset.keywords or []),
        "organization": agency.name_zh,
        "organizationContactName": agency.name_zh,
        "organizationContactPhone": agency.phone,
        "organizationContactEmail": agency.email,
        "publisherContactName": dataset.contact_name,
        "publisherContactPhone": dataset.contact_phone,
        "publisherContactEmail": dataset.contact_email,
        "publisherOID": "",
        "issued": iso(dataset.created_at),
        "modified": iso(release.published_at if release else dataset.updated_at),
        "temporalCoverageFrom": iso(dataset.temporal_start),
        "temporalCoverageTo": iso(dataset.temporal_end),
        "landingPage": url_for("datasets.dataset_page", slug=dataset.slug, _external=True),
        "notes": dataset.notes,
        "distribution": distribution,
    }
