"""An Atom feed (RFC 4287) of new releases, newest first."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

from flask import url_for

from datasets.models import Dataset, Release
from portal.db import utcnow

ATOM = "http://www.w3.org/2005/Atom"


def _rfc3339(value: datetime | None) -> str:
    return (value or utcnow()).isoformat(timespec="seconds")


def feed(entries: list[tuple[Release, Dataset]], title: str, language: str) -> bytes:
    """The feed document for `(release, dataset)` pairs."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    self_url = url_for("datasets_metadata.atom", _external=True)
    ET.SubElement(root, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(root, f"{{{ATOM}}}title").text = title
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _rfc3339(entries[0][0].published_at if entries else None)
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": self_url, "type": "application/atom+xml"})
    ET.SubElement(
        root, f"{{{ATOM}}}link", {"rel": "alternate", "href": url_for("datasets.catalogue", _external=True)}
    )
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = title
    for release, dataset in entries:
        page = url_for("datasets.release_page", slug=dataset.slug, number=release.number, _external=True)
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = page
        name = dataset.title_en if language == "en" and dataset.title_en else dataset.title_zh
        ET.SubElement(entry, f"{{{ATOM}}}title").text = (
            f"{name}: release {release.number}" if language == "en" else f"{name} 第 {release.number} 版"
        )
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _rfc3339(release.published_at)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _rfc3339(release.published_at)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": page})
        notes = release.notes_en if language == "en" and release.notes_en else release.notes_zh
        rows = f"{release.row_count:,} rows" if language == "en" else f"共 {release.row_count:,} 列"
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"{rows}. {notes}".strip()
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")).encode()
