"""DCAT-AP: the catalogue as a `dcat:Catalog` of `dcat:Dataset`s with their `dcat:Distribution`s.

The JSON-LD carries its own context (no fetch of a remote one is needed to read it),
and the Turtle is the same graph serialised by rdflib.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from flask import url_for

from datasets.api.documents import DISTRIBUTION_KINDS, FORMAT_NAMES, download_url, iso
from datasets.catalogue import LICENCE_BY_KEY
from datasets.models import Dataset
from portal.offices.models import Agency

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
}
FREQUENCY_URIS = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "half_yearly": "ANNUAL_2",
    "yearly": "ANNUAL",
    "irregular": "IRREG",
    "never": "NEVER",
}
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"


def _texts(zh: str, en: str) -> list[dict[str, str]]:
    values = [{"@value": zh, "@language": "zh-Hant-TW"}]
    if en:
        values.append({"@value": en, "@language": "en"})
    return values


def _date(value: Any, kind: str = "xsd:dateTime") -> dict[str, str] | None:
    text = iso(value)
    return {"@value": text, "@type": kind} if text else None


def _distribution(dataset: Dataset) -> list[dict[str, Any]]:
    release = dataset.current_release
    if release is None:
        return []
    items = []
    for kind in DISTRIBUTION_KINDS:
        info = release.files.get(kind)
        if not info:
            continue
        url = download_url(dataset, release, kind)
        items.append(
            {
                "@id": url + "#distribution",
                "@type": "dcat:Distribution",
                "dct:title": info["name"],
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": {
                    "@id": "https://www.iana.org/assignments/media-types/" + info["media_type"]
                },
                "dct:format": FORMAT_NAMES[kind],
                "dcat:byteSize": {"@value": str(info["size"]), "@type": "xsd:nonNegativeInteger"},
                "spdx:checksum": {
                    "@type": "spdx:Checksum",
                    "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
                    "spdx:checksumValue": info["sha256"],
                },
                "dct:issued": _date(release.published_at),
            }
        )
    return items


def dataset_node(dataset: Dataset, agency: Agency) -> dict[str, Any]:
    """One dataset as a DCAT node."""
    page = url_for("datasets.dataset_page", slug=dataset.slug, _external=True)
    licence = LICENCE_BY_KEY.get(dataset.licence)
    release = dataset.current_release
    node: dict[str, Any] = {
        "@id": page + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.identifier or dataset.slug,
        "dct:title": _texts(dataset.title_zh, dataset.title_en),
        "dct:description": _texts(dataset.description_zh, dataset.description_en),
        "dcat:keyword": [
            {"@value": keyword, "@language": "zh-Hant-TW"} for keyword in dataset.keywords or []
        ],
        "dcat:landingPage": {"@id": page},
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": _texts(
                dataset.office.name_zh if dataset.office else agency.name_zh,
                dataset.office.name_en if dataset.office else agency.name_en,
            ),
        },
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": dataset.contact_name or agency.name_zh,
            **(
                {"vcard:hasEmail": {"@id": "mailto:" + dataset.contact_email}}
                if dataset.contact_email
                else {}
            ),
            **(
                {"vcard:hasTelephone": {"@id": tel_uri(dataset.contact_phone)}}
                if dataset.contact_phone and tel_uri(dataset.contact_phone)
                else {}
            ),
        },
        "dct:license": {"@id": licence.url if licence else dataset.licence},
        "dct:accrualPeriodicity": {
            "@id": EU_FREQUENCY + FREQUENCY_URIS.get(dataset.update_frequency, "UNKNOWN")
        },
        "dct:issued": _date(dataset.created_at),
        "dct:modified": _date(release.published_at if release else dataset.updated_at),
        "dcat:distribution": _distribution(dataset),
    }
    if dataset.temporal_start or dataset.temporal_end:
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            **(
                {"dcat:startDate": _date(dataset.temporal_start, "xsd:date")}
                if dataset.temporal_start
                else {}
            ),
            **({"dcat:endDate": _date(dataset.temporal_end, "xsd:date")} if dataset.temporal_end else {}),
        }
    return {key: value for key, value in node.items() if value is not None}


def tel_uri(phone: str) -> str:
    """A Taiwanese phone number as an RFC 3966 `tel:` URI (`02-2345-6789#123` → `tel:+886-2-2345-6789;ext=123`); "" if none."""
    text = unicodedata.normalize("NFKC", phone)  # full-width digits and signs
    number, _sep, extension = text.replace("分機", "#").replace("轉", "#").partition("#")
    digits = "".join(character for character in number if character.isdigit())
    if digits.startswith("886"):
        digits = digits[3:]
    digits = digits.removeprefix("0")
    if len(digits) < 7:
        return ""
    extension_digits = "".join(character for character in extension if character.isdigit())
    return f"tel:+886-{digits}" + (f";ext={extension_digits}" if extension_digits else "")


def catalog(datasets: list[Dataset], agency: Agency) -> dict[str, Any]:
    """The whole catalogue as a JSON-LD document."""
    home = url_for("datasets.catalogue", _external=True)
    return {
        "@context": CONTEXT,
        "@id": home + "#catalog",
        "@type": "dcat:Catalog",
        "dct:title": _texts(
            f"{agency.name_zh}開放資料", f"{agency.name_en} open data" if agency.name_en else ""
        ),
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": _texts(agency.name_zh, agency.name_en)},
        "foaf:homepage": {"@id": home},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ZHO"},
        "dcat:dataset": [dataset_node(dataset, agency) for dataset in datasets],
    }


def turtle(document: dict[str, Any]) -> str:
    """The JSON-LD document as Turtle."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=json.dumps(document, ensure_ascii=False), format="json-ld")
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, namespace)
    return graph.serialize(format="turtle")
