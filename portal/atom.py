"""Atom feeds (RFC 4287) as bytes, from plain entries (pure apart from the clock for an empty feed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

from portal.db import utcnow

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"


@dataclass(frozen=True)
class FeedEntry:
    """One entry: its page (which is also its id), title, times and a one-paragraph summary."""

    url: str
    title: str
    updated: datetime
    published: datetime | None = None
    summary: str = ""


def _rfc3339(value: datetime | None) -> str:
    return (value or utcnow()).isoformat(timespec="seconds")


def atom_feed(
    *, self_url: str, page_url: str, title: str, language: str, entries: Sequence[FeedEntry]
) -> bytes:
    """The feed document: `entries` newest first, the feed updated when its newest entry was."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    ET.SubElement(root, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(root, f"{{{ATOM}}}title").text = title
    newest = max((entry.updated for entry in entries), default=None)
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _rfc3339(newest)
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": self_url, "type": MEDIA_TYPE})
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "href": page_url})
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = title
    for item in entries:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = item.url
        ET.SubElement(entry, f"{{{ATOM}}}title").text = item.title
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _rfc3339(item.updated)
        if item.published is not None:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _rfc3339(item.published)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": item.url})
        if item.summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = item.summary
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")).encode()
