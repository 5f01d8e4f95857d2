"""The search service: index and remove documents in the caller's transaction, and search.

Other packages feed the index through `index_document` / `remove_document` (in their own
transaction, before they commit) or, for a rebuild, through a source (`search.sources`).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.db import db, utcnow
from portal.i18n import _l
from search.backends import backend_for
from search.backends.base import COUNT_CAP, Filters, IndexedRow
from search.models import KINDS, SearchDocument, rank_key
from search.snippets import highlight, snippet
from search.tokens import MAX_QUERY_LENGTH, TOKENISER_VERSION, QueryTooLongError, parse_query, tokenise

logger = logging.getLogger(__name__)

PER_PAGE = 10
# Bodies are indexed up to this many characters on every backend (PostgreSQL keeps no
# phrase position beyond 16,383), so every backend finds the same.
MAX_BODY_CHARACTERS = 15_000
CLASSIFICATIONS = {"theme": "theme_code", "administration": "administration_code", "service": "service_code"}


@dataclass(frozen=True)
class Document:
    """What a source gives the index about one document in one language."""

    kind: str
    source_key: str
    language: str
    title: str
    body: str
    day: date
    url: str
    office_code: str | None = None
    theme_code: str | None = None
    administration_code: str | None = None
    service_code: str | None = None


class SearchRefusedError(ValueError):
    """A search the visitor must change; `message` says how, in the visitor's language."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Result:
    """One document found: its title and snippet, escaped and highlighted."""

    kind: str
    language: str
    url: str
    day: date
    title: Markup
    snippet: Markup
    source_key: str


@dataclass(frozen=True)
class Results:
    """A page of results, and how many documents matched (up to `COUNT_CAP`)."""

    query: str
    page: int
    total: int
    total_exact: bool
    results: list[Result] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """How many pages the total fills."""
        return max(1, -(-self.total // PER_PAGE))


def _indexed(row: SearchDocument) -> IndexedRow:
    codes = {name: getattr(row, name) for name in ("office_code", *CLASSIFICATIONS.values())}
    return IndexedRow(
        row.id,
        row.rank_key,
        row.kind,
        row.title_terms,
        row.body_terms,
        row.title,
        row.body,
        row.language,
        codes,
    )


def _fill(row: SearchDocument, document: Document) -> None:
    body = document.body[:MAX_BODY_CHARACTERS]
    row.title = document.title[:500]
    row.body = body
    row.day = document.day
    row.url = document.url
    row.office_code = document.office_code or None
    row.theme_code = document.theme_code or None
    row.administration_code = document.administration_code or None
    row.service_code = document.service_code or None
    row.title_terms = " ".join(tokenise(row.title))
    row.body_terms = " ".join(tokenise(body))
    row.tokeniser_version = TOKENISER_VERSION
    row.indexed_at = utcnow()


def _existing(session: Session, documents: list[Document]) -> dict[tuple[str, str, str], SearchDocument]:
    """The index's rows of these documents, by (kind, source key, language): one query a batch."""
    keys = sorted({document.source_key for document in documents})
    wanted = {(document.kind, document.source_key, document.language) for document in documents}
    found: dict[tuple[str, str, str], SearchDocument] = {}
    if keys:
        for row in session.scalars(select(SearchDocument).where(SearchDocument.source_key.in_(keys))):
            key = (row.kind, row.source_key, row.language)
            if key in wanted:
                found[key] = row
    return found


def index_documents(documents: Iterable[Document], session: Session | None = None) -> int:
    """Add or replace documents in the index, in `session`'s transaction; returns how many."""
    session = session or db.session
    batch = list(documents)
    for document in batch:
        if document.kind not in KINDS:
            raise ValueError(f"unknown kind of document: {document.kind}")
    backend = backend_for(current_app)
    connection = session.connection()
    backend.ensure_schema(connection)
    rows = _existing(session, batch)
    backend.remove(connection, [_indexed(row) for row in rows.values() if row.rank_key > 0])
    fresh: dict[tuple[str, str, str], SearchDocument] = {}
    for document in batch:
        key = (document.kind, document.source_key, document.language)
        row = rows.get(key)
        if row is None:
            row = SearchDocument(
                kind=document.kind, source_key=document.source_key, language=document.language
            )
            session.add(row)
            rows[key] = row
        _fill(row, document)
        row.rank_key = -secrets.randbelow(2**62) - 1  # until the id is known
        fresh[key] = row
    session.flush()
    for row in fresh.values():
        row.rank_key = rank_key(row.day, row.id)
    session.flush()
    backend.add(connection, [_indexed(row) for row in fresh.values()])
    return len(fresh)


def index_document(document: Document, session: Session | None = None) -> None:
    """Add or replace one document in the index, in the caller's transaction."""
    index_documents([document], session)


def remove_document(
    kind: str, source_key: str, language: str | None = None, session: Session | None = None
) -> int:
    """Take a document (in one language, or all) out of the index; returns how many rows went."""
    session = session or db.session
    backend = backend_for(current_app)
    statement = select(SearchDocument).filter_by(kind=kind, source_key=source_key)
    if language:
        statement = statement.filter_by(language=language)
    rows = list(session.scalars(statement))
    if rows:
        backend.ensure_schema(session.connection())
        backend.remove(session.connection(), [_indexed(row) for row in rows])
        for row in rows:
            session.delete(row)
        session.flush()
    return len(rows)


def clear_index(session: Session | None = None) -> None:
    """Empty the index and its table, to rebuild it; `finish_rebuild` must follow."""
    session = session or db.session
    backend = backend_for(current_app)
    backend.ensure_schema(session.connection())
    backend.clear(session.connection())
    session.execute(delete(SearchDocument))


def finish_rebuild(session: Session | None = None) -> None:
    """Complete a rebuild begun by `clear_index` (the backend builds what it left out)."""
    session = session or db.session
    backend_for(current_app).finish_rebuild(session.connection())


def is_stale(session: Session | None = None) -> bool:
    """Whether some document was indexed by another version of the tokeniser."""
    session = session or db.session
    statement = (
        select(SearchDocument.id).where(SearchDocument.tokeniser_version != TOKENISER_VERSION).limit(1)
    )
    return session.scalar(statement) is not None


def _check_version() -> None:
    """Once per process: when the index was built by another tokeniser, rebuild it in the background."""
    if current_app.extensions.get("search.version_checked"):
        return
    current_app.extensions["search.version_checked"] = True
    if is_stale():
        from portal.jobs import enqueue

        logger.warning("search: the index was built by another tokeniser version; rebuilding it")
        enqueue("search.rebuild.reindex_job")


def _filters(
    kind: str | None,
    office: str | None,
    date_from: date | None,
    date_to: date | None,
    classification: dict[str, str] | None,
    language: str | None,
) -> Filters:
    if kind and kind not in KINDS:
        raise SearchRefusedError(_l("沒有這種資料類型。"))
    if date_from and date_to and date_from > date_to:
        raise SearchRefusedError(_l("起始日期不能晚於結束日期。"))
    codes: dict[str, str] = {}
    for scheme, code in (classification or {}).items():
        if scheme not in CLASSIFICATIONS:
            raise SearchRefusedError(_l("沒有這種分類。"))
        if code:
            codes[CLASSIFICATIONS[scheme]] = code
    return Filters(kind, office or None, date_from, date_to, codes, language)


def search(
    query: str,
    kind: str | None = None,
    office: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    classification: dict[str, str] | None = None,
    page: int = 1,
    language: str | None = None,
) -> Results:
    """Find documents holding every word of `query`: title matches first, newest first in each tier.

    Raises `SearchRefusedError` (with a message for the visitor) for a query over
    `MAX_QUERY_LENGTH` characters, an unknown kind or classification scheme, dates in the
    wrong order, or a page beyond the counted matches. A query of only punctuation or
    emoji finds nothing.
    """
    try:
        parsed = parse_query(query)
    except QueryTooLongError as error:
        raise SearchRefusedError(_l("搜尋字詞最多 %(count)d 個字。", count=MAX_QUERY_LENGTH)) from error
    filters = _filters(kind, office, date_from, date_to, classification, language)
    if page < 1 or (page - 1) * PER_PAGE >= COUNT_CAP:
        raise SearchRefusedError(_l("沒有這一頁。"))
    if parsed.is_empty:
        return Results(query=query, page=page, total=0, total_exact=True)
    _check_version()
    connection = db.session.connection()
    backend = backend_for(current_app)
    backend.ensure_schema(connection)
    hits = backend.search(connection, parsed, filters, (page - 1) * PER_PAGE, PER_PAGE)
    rows = {
        row.id: row
        for row in db.session.scalars(select(SearchDocument).where(SearchDocument.id.in_(hits.ids)))
    }
    results = [
        Result(
            kind=row.kind,
            language=row.language,
            url=row.url,
            day=row.day,
            title=highlight(row.title, parsed),
            snippet=snippet(row.body, parsed),
            source_key=row.source_key,
        )
        for row in (rows[i] for i in hits.ids if i in rows)
    ]
    return Results(query=query, page=page, total=hits.total, total_exact=hits.total_exact, results=results)
