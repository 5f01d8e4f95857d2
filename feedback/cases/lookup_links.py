"""One-time lookup links: for a citizen who lost the case password but still reads the case's e-mail.

`matches` says whether a typed number and e-mail address name a case (the address
compared by its keyed fingerprint, `Case.email_key`, in constant time). `issue_link`
stores only the SHA-256 of a random 256-bit token, valid for `LINK_MINUTES`; the token
itself goes out in the mail and nowhere else. `redeem` uses a link once: a single
`UPDATE … WHERE used_at IS NULL AND expires_at > now` that only one request can win, so
two clicks at once cannot both open the case. `link_state` tells a page what a link is
(unknown, used, expired, usable) without using it, so that a mail scanner fetching the
link does not spend it: the page asks for a press of a button, which redeems it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from feedback.cases.intake import email_fingerprint
from feedback.cases.lookup import number_key
from feedback.cases.models import Case, CaseLinkToken

LINK_MINUTES = 30
KEEP_USED_DAYS = 1  # used and expired links are deleted by `flask cases daily` after this


class LinkState(StrEnum):
    """What a followed link is."""

    USABLE = "usable"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 (the token is random, so no salt or slow hash is needed)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def matches(session: Session, email_key: str, typed_number: str, typed_email: str) -> Case | None:
    """The case the typed number names when the typed e-mail address is the case's own, else None."""
    key = number_key(typed_number)
    case = None if key.startswith("typed-") else session.scalar(select(Case).where(Case.number == key))
    typed = email_fingerprint(email_key, typed_email)
    stored = case.email_key if case is not None and case.purged_at is None else None
    # Compared even when there is no case, so that an unknown number takes the same steps.
    same = hmac.compare_digest(stored or "0" * len(typed), typed)
    return case if same and stored else None


def issue_link(session: Session, case: Case, now: datetime) -> str:
    """Store a new one-time link for `case`, valid for `LINK_MINUTES`; returns its token (for the mail only)."""
    token = secrets.token_urlsafe(32)
    session.add(
        CaseLinkToken(
            case_id=case.id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(minutes=LINK_MINUTES),
        )
    )
    session.flush()
    return token


def _row(session: Session, token: str) -> CaseLinkToken | None:
    return session.scalar(select(CaseLinkToken).where(CaseLinkToken.token_hash == token_hash(token)))


def link_state(session: Session, token: str, now: datetime) -> LinkState:
    """What the link of `token` is at `now`, without using it."""
    row = _row(session, token)
    if row is None:
        return LinkState.UNKNOWN
    if row.used_at is not None:
        return LinkState.USED
    return LinkState.EXPIRED if row.expires_at <= now else LinkState.USABLE


def redeem(session: Session, token: str, now: datetime) -> tuple[LinkState, Case | None]:
    """Use the link of `token` once: USABLE and its case the first time, else what it is (and None)."""
    hashed = token_hash(token)
    result = cast(
        CursorResult[tuple[()]],
        session.execute(
            update(CaseLinkToken)
            .where(
                CaseLinkToken.token_hash == hashed,
                CaseLinkToken.used_at.is_(None),
                CaseLinkToken.expires_at > now,
            )
            .values(used_at=now)
        ),
    )
    if result.rowcount != 1:
        return link_state(session, token, now), None
    row = _row(session, token)
    return LinkState.USABLE, session.get(Case, row.case_id) if row is not None else None


def discard_spent_links(session: Session, now: datetime) -> int:
    """Delete the links used or expired more than `KEEP_USED_DAYS` ago; returns how many."""
    cutoff = now - timedelta(days=KEEP_USED_DAYS)
    result = cast(
        CursorResult[tuple[()]],
        session.execute(
            delete(CaseLinkToken).where(
                (CaseLinkToken.expires_at < cutoff) | (CaseLinkToken.used_at < cutoff)
            )
        ),
    )
    return result.rowcount or 0
