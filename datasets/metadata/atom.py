"""An Atom feed (RFC 4287) of new releases, newest first."""

from __future__ import annotations

from flask import url_for

from datasets.models import Dataset, Release
from portal.atom import FeedEntry, atom_feed
from portal.db import utcnow


def _entry(release: Release, dataset: Dataset, language: str) -> FeedEntry:
    name = dataset.title_en if language == "en" and dataset.title_en else dataset.title_zh
    notes = release.notes_en if language == "en" and release.notes_en else release.notes_zh
    rows = f"{release.row_count:,} rows" if language == "en" else f"共 {release.row_count:,} 列"
    published = release.published_at or utcnow()
    return FeedEntry(
        url=url_for("datasets.release_page", slug=dataset.slug, number=release.number, _external=True),
        title=f"{name}: release {release.number}" if language == "en" else f"{name} 第 {release.number} 版",
        updated=published,
        published=published,
        summary=f"{rows}. {notes}".strip(),
    )


def feed(entries: list[tuple[Release, Dataset]], title: str, language: str) -> bytes:
    """The feed document for `(release, dataset)` pairs."""
    return atom_feed(
        self_url=url_for("datasets_metadata.atom", _external=True),
        page_url=url_for("datasets.catalogue", _external=True),
        title=title,
        language=language,
        entries=[_entry(release, dataset, language) for release, dataset in entries],
    )
