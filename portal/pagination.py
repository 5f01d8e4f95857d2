"""Paging of any list that can grow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

DEFAULT_PER_PAGE = 20


@dataclass
class Page(Generic[T]):
    """One page of results and where it sits among the others."""

    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        """Whether a page comes before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a page comes after this one."""
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """1-based position of the first item on this page (0 when empty)."""
        return 0 if not self.items else (self.number - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        """1-based position of the last item on this page."""
        return self.first_index + len(self.items) - 1 if self.items else 0


def requested_page_number() -> int:
    """The `page` query parameter, clamped to a positive number (bad values mean 1)."""
    raw = request.args.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        return 1
    return min(max(number, 1), 1_000_000)


def paginate(
    session: Session, query: Select[Any], number: int, per_page: int = DEFAULT_PER_PAGE
) -> Page[Any]:
    """Run `query` for page `number`; a number past the end gives the last page."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(number, pages)
    items = list(session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total)
