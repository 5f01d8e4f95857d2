"""Limits on what a source file may hold, so that one upload cannot exhaust the machine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestLimits:
    """Upper bounds checked while a source file is read."""

    max_bytes: int = 500 * 1024 * 1024
    # A spreadsheet cell holds at most 32,767 characters in LibreOffice and Excel alike.
    max_cell_chars: int = 32_767
    max_columns: int = 1_000
    # Neither Excel nor LibreOffice can hold a row below 1,048,576: a spreadsheet whose
    # repeated or numbered rows put data further down was not written by a person.
    max_rows: int = 1_048_576
    # A compressed spreadsheet may unpack to at most this much, and no member may have
    # shrunk more than `max_compression_ratio` times (XML rarely exceeds 30).
    max_unpacked_bytes: int = 4 * 1024 * 1024 * 1024
    max_compression_ratio: int = 200
    max_archive_members: int = 10_000
