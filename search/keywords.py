"""Popular keywords: the terms recent searches found something with, shown once several days agree.

What is kept is only the term and, per day, a count (`search.keyword_models`): nothing
about who searched. A search is counted only when it found something and its words look
like a keyword, not like a person's details:

- at most `TERM_MAX` characters after normalising (the index's own normalisation, so
  台北 and 臺北, ＡＰＰ and app are one term), spaces collapsed;
- no e-mail address, national identification number, telephone or card number, or
  address (the personal-data scanner of the open data, `datasets.pii`), and no run of
  `DIGITS_MAX` or more digits (a case number, a meter number).

A term is listed only once it was counted on at least `MIN_DAYS` different days within
the last `WINDOW_DAYS`; one busy afternoon, or one visitor repeating a search, cannot put
a term on the list. Staff can hide a term (audited); a hidden term stays hidden however
often it is searched. `forget` drops the days older than `KEEP_DAYS`, and the terms left
without a day unless they are hidden.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from datasets.pii import scan_text
from portal.audit import record
from portal.db import utcnow
from portal.templating import TAIPEI
from search.keyword_models import SearchTerm, SearchTermDay
from search.tokens import normalise

logger = logging.getLogger(__name__)

TERM_MAX = 20
DIGITS_MAX = 6
MIN_DAYS = 3
WINDOW_DAYS = 30
KEEP_DAYS = 90
SHOWN = 10
_DIGITS = re.compile(r"\d{" + str(DIGITS_MAX) + ",}")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Keyword:
    """A term and how it stands in the window: searches counted and days seen."""

    term: str
    searches: int
    days: int
    hidden: bool = False


def local_today() -> date:
    """Today in Taiwan: the day a search is counted under."""
    return datetime.now(TAIPEI).date()


def keyword_of(query: str) -> str | None:
    """The term a query would be counted under, or None when it is not to be kept (pure)."""
    term = _SPACES.sub(" ", normalise(query)).strip()
    if not term or len(term) > TERM_MAX or _DIGITS.search(term):
        return None
    if scan_text(query) or scan_text(term):
        return None
    return term


def count_search(session: Session, query: str, today: date) -> bool:
    """Count one search that found something under its term for `today`; False when it is not kept.

    In a savepoint of the caller's transaction: two workers counting the same new term
    at once both count, and a failure here never spoils the caller's transaction.
    """
    term = keyword_of(query)
    if term is None:
        return False
    for _attempt in range(3):
        try:
            with session.begin_nested():
                _add_one(session, term, today)
            return True
        except IntegrityError:
            continue  # another worker added the term or the day first: count again on its row
    logger.warning("search: a keyword could not be counted after three attempts")
    return False


def _add_one(session: Session, term: str, today: date) -> None:
    row = session.scalar(select(SearchTerm).where(SearchTerm.term == term))
    if row is None:
        row = SearchTerm(term=term, hidden=False)
        session.add(row)
        session.flush()
    day = session.scalar(
        select(SearchTermDay).where(SearchTermDay.term_id == row.id, SearchTermDay.day == today)
    )
    if day is None:
        session.add(SearchTermDay(term_id=row.id, day=today, count=1))
    else:
        day.count = SearchTermDay.count + 1
    session.flush()


def standings(session: Session, today: date, include_hidden: bool = False) -> list[Keyword]:
    """Every term counted within the window, most searched first, with its days."""
    since = today - timedelta(days=WINDOW_DAYS - 1)
    searches = func.sum(SearchTermDay.count)
    days = func.count(SearchTermDay.id)
    statement = (
        select(SearchTerm.term, searches, days, SearchTerm.hidden)
        .join(SearchTermDay, SearchTermDay.term_id == SearchTerm.id)
        .where(SearchTermDay.day >= since, SearchTermDay.day <= today)
        .group_by(SearchTerm.id, SearchTerm.term, SearchTerm.hidden)
        .order_by(searches.desc(), SearchTerm.term)
    )
    if not include_hidden:
        statement = statement.where(SearchTerm.hidden.is_(False))
    return [
        Keyword(term, int(count), int(seen), bool(hidden))
        for term, count, seen, hidden in session.execute(statement)
    ]


def popular(session: Session, today: date, limit: int = SHOWN) -> list[Keyword]:
    """The terms to show: not hidden, seen on at least `MIN_DAYS` days of the window."""
    return [keyword for keyword in standings(session, today) if keyword.days >= MIN_DAYS][:limit]


def set_hidden(session: Session, term: str, hidden: bool) -> bool:
    """Hide a term from the popular list, or show it again (audited); False for an unknown term."""
    row = session.scalar(select(SearchTerm).where(SearchTerm.term == term))
    if row is None:
        return False
    if row.hidden != hidden:
        row.hidden = hidden
        row.hidden_at = utcnow() if hidden else None
        record(session, "hide" if hidden else "show", "search_term", row.id, after={"term": term})
    return True


def forget(session: Session, today: date) -> int:
    """Drop the days older than `KEEP_DAYS` and the visible terms left without a day; the days dropped."""
    cutoff = today - timedelta(days=KEEP_DAYS)
    result = cast(
        "CursorResult[Any]", session.execute(delete(SearchTermDay).where(SearchTermDay.day < cutoff))
    )
    dropped = result.rowcount or 0
    counted = select(SearchTermDay.term_id)
    session.execute(delete(SearchTerm).where(SearchTerm.hidden.is_(False), SearchTerm.id.not_in(counted)))
    return int(dropped)
