"""The shapes of the demo's disclosure documents and their files (pure data, no I/O).

Kept apart from the data itself so that the three data modules (categories 1–4, 5–6, 7–10)
and `demo_documents`, which joins them, can all use them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoFile:
    """One file of a demo document and what it holds.

    `kind` is "pdf", "odt" or "ods". A PDF or ODT holds `paragraphs` (the first is its
    heading); a PDF may also hold a table, and an ODS holds only the table (`header` and
    `rows`). `text_file` names a committed text file in `demo_files/` whose lines are the
    paragraphs, for a document too long to keep here. A `scanned` PDF has drawn pages
    and no text at all.
    """

    kind: str
    paragraphs: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    text_file: str = ""
    scanned: bool = False


@dataclass(frozen=True)
class DemoDocument:
    """A demo document of the 主動公開資訊 section; its date is today − `days_ago`."""

    key: str  # the files' stem in demo_files/
    category: int  # §7 category, 1–10
    title_zh: str
    title_en: str  # "" shows the site's fallback to the Chinese title
    summary_zh: str
    summary_en: str
    days_ago: int
    office_code: str | None  # a demo office's code, None for the branch itself
    theme_code: str
    cake_code: str
    service_code: str
    source_name: str
    source_url: str
    files: tuple[DemoFile, ...]

    def file_names(self) -> list[str]:
        """The names of the document's files, e.g. "water-supply-act.pdf"."""
        return [f"{self.key}.{file.kind}" for file in self.files]
