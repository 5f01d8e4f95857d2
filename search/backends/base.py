"""What every search backend offers, and the filters and answers they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sqlalchemy.engine import Connection

from search.models import EPOCH, LATEST, rank_key
from search.tokens import Query

# Matches are counted up to this many (a total beyond it is shown as "more than"), and
# pages reach no further: counting every match of 水 would cost more than finding a page.
COUNT_CAP = 1_000


@dataclass(frozen=True)
class Filters:
    """Advanced-search filters; `None` means any."""

    kind: str | None = None
    office: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    classification: dict[str, str] = field(default_factory=dict)  # column name -> code
    language: str | None = None

    def rank_range(self) -> tuple[int, int]:
        """The `rank_key` range of the date filters (inclusive)."""
        low = rank_key(self.date_from or EPOCH, 0)
        high = rank_key(self.date_to or LATEST, 2**32 - 1)
        return low, high

    def sql(self, alias: str = "d") -> tuple[str, dict[str, Any]]:
        """The filters as SQL conditions on `search_document` under `alias`, and their parameters."""
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if self.kind:
            conditions.append(f"{alias}.kind = :f_kind")
            params["f_kind"] = self.kind
        if self.office:
            conditions.append(f"{alias}.office_code = :f_office")
            params["f_office"] = self.office
        if self.language:
            conditions.append(f"{alias}.language = :f_language")
            params["f_language"] = self.language
        for column, code in sorted(self.classification.items()):
            conditions.append(f"{alias}.{column} = :f_{column}")
            params[f"f_{column}"] = code
        return " AND ".join(conditions), params


@dataclass(frozen=True)
class Hits:
    """A page of matches: `search_document` ids in order, and how many matched."""

    ids: list[int]
    total: int
    total_exact: bool = True


@dataclass(frozen=True)
class IndexedRow:
    """What a backend indexes of one `search_document` row."""

    id: int
    rank_key: int
    kind: str
    title_terms: str
    body_terms: str
    title: str = ""
    body: str = ""
    language: str = ""
    codes: dict[str, str | None] = field(default_factory=dict)  # office and classification codes


class Backend(Protocol):
    """A search backend: keeps its structure in step with `search_document`, and searches it."""

    name: str

    def ensure_schema(self, connection: Connection) -> None:
        """Create the backend's structure if it is missing."""

    def add(self, connection: Connection, rows: list[IndexedRow]) -> None:
        """Index rows (new ones: remove a row's old version first)."""

    def remove(self, connection: Connection, rows: list[IndexedRow]) -> None:
        """Take rows out of the index (with the terms they were indexed with)."""

    def clear(self, connection: Connection) -> None:
        """Empty the index, at the start of a rebuild."""

    def finish_rebuild(self, connection: Connection) -> None:
        """Complete a rebuild begun by `clear` (build or merge what it left out)."""

    def search(self, connection: Connection, query: Query, filters: Filters, offset: int, limit: int) -> Hits:
        """The matches of a non-empty query: titles first, then bodies, newest first in each."""


def tiered_page(title_total: int, offset: int, limit: int) -> list[tuple[int, int, int]]:
    """Which (tier, offset, limit) slices make up a page across the title and body tiers."""
    slices: list[tuple[int, int, int]] = []
    if offset < title_total:
        taken = min(limit, title_total - offset)
        slices.append((0, offset, taken))
        if taken < limit:
            slices.append((1, 0, limit - taken))
    else:
        slices.append((1, offset - title_total, limit))
    return slices


def tiered_search(
    count: Callable[[int, int], int],
    ids: Callable[[int, int, int], list[int]],
    offset: int,
    limit: int,
) -> Hits:
    """A page in the tiered order, from a backend's `count(tier, cap)` and `ids(tier, offset, limit)`.

    Tier 0 is the title matches, tier 1 the body-only ones, each newest first. Both are
    counted up to `COUNT_CAP` together, and no page starts beyond it.
    """
    title_total = count(0, COUNT_CAP + 1)
    body_total = 0 if title_total > COUNT_CAP else count(1, COUNT_CAP + 1 - title_total)
    matched = title_total + body_total
    total = min(matched, COUNT_CAP)
    found: list[int] = []
    if offset < total:
        for tier, tier_offset, tier_limit in tiered_page(title_total, offset, min(limit, total - offset)):
            found.extend(ids(tier, tier_offset, tier_limit))
    return Hits(ids=found, total=total, total_exact=matched <= COUNT_CAP)
