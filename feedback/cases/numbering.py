"""Issuing case numbers: each day's sequence, distinct under any concurrency, on SQLite and PostgreSQL.

The day's counter is one row, raised by a single upsert that returns the new value
(`INSERT … ON CONFLICT DO UPDATE … RETURNING`): PostgreSQL holds the row's lock until the
transaction ends, SQLite the database's write lock, so two transactions can never read
the same value. The upsert runs in the transaction that stores the case: a case that
fails to be stored gives its number back with the rollback, and a case that is stored
always has its number.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from feedback.cases.models import CaseDayCounter
from feedback.cases.numbers import SEQUENCE_DIGITS, format_case_number
from portal.db import upsert

DAILY_LIMIT = 10**SEQUENCE_DIGITS - 1


class DayFullError(RuntimeError):
    """More cases in one day than a case number can count."""


def next_sequence(session: Session, day: date) -> int:
    """Raise `day`'s counter by one in the session's transaction and return the new value."""
    raise_counter = (
        upsert(session, CaseDayCounter)
        .values(day=day, last=1)
        .on_conflict_do_update(index_elements=[CaseDayCounter.day], set_={"last": CaseDayCounter.last + 1})
        .returning(CaseDayCounter.last)
    )
    sequence = int(session.execute(raise_counter).scalar_one())
    if sequence > DAILY_LIMIT:
        raise DayFullError(f"{day} already has {DAILY_LIMIT} cases")
    return sequence


def issue_number(session: Session, day: date) -> tuple[str, int]:
    """The next case number of `day` and its sequence, within the session's transaction."""
    sequence = next_sequence(session, day)
    return format_case_number(day, sequence), sequence
