"""Disclosure documents: publishing them with their files, the categories' state, and serving the files.

- `category_states(today)`: each §7 category with its published documents' count, its last
  update and whether it is current (`categories.is_current`): what the public index, the
  staff page and the dashboard show.
- `add_files(session, document, checked)` stores files `file_checks.examine_document` has
  checked, in the caller's transaction: written whole under the storage folder's
  `disclosure/` (public files, not sealed), removed again if the transaction rolls back.
  `remove_files` deletes rows now and their files once the deletion is committed.
- `send_document_file(file)` answers with the file: its media type, its name, cacheable by
  its digest, and sandboxed so that nothing in it runs on the site.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Response, abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from disclosure.categories import CATEGORIES, Category, is_current
from disclosure.file_checks import CheckedDocument
from disclosure.models import DisclosureDocument, DisclosureFile
from portal.clock import TAIPEI
from portal.db import db, utcnow
from portal.http import cacheable, content_disposition
from portal.kept_files import files_of_transaction, path_in, write_whole
from portal.storage import storage_root

logger = logging.getLogger(__name__)
FOLDER = "disclosure"
FILE_MAX_AGE = 3600


@dataclass(frozen=True)
class CategoryState:
    """A category as the index and the dashboard show it."""

    category: Category
    documents: int
    last_update: date | None
    current: bool


def taipei_day(moment: datetime) -> date:
    """The day `moment` fell on in Taipei (a naive moment is taken as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(TAIPEI).date()


def category_states(today: date) -> list[CategoryState]:
    """The ten categories in §7's order, with their published documents' count and last update."""
    rows = db.session.execute(
        select(
            DisclosureDocument.category,
            func.count(DisclosureDocument.id),
            func.max(DisclosureDocument.document_date),
            func.max(DisclosureDocument.created_at),
        )
        .where(DisclosureDocument.published.is_(True))
        .group_by(DisclosureDocument.category)
    ).all()
    found = {row[0]: row for row in rows}
    states = []
    for category in CATEGORIES:
        row = found.get(category.number)
        last = None
        if row is not None:
            days = [value for value in (row[2], taipei_day(row[3]) if row[3] else None) if value is not None]
            last = max(days) if days else None
        states.append(
            CategoryState(category, int(row[1]) if row else 0, last, is_current(category, last, today))
        )
    return states


def published_documents(category: Category) -> Select[DisclosureDocument]:
    """The query of a category's published documents, newest first (for `portal.pagination`)."""
    return (
        select(DisclosureDocument)
        .where(DisclosureDocument.category == category.number, DisclosureDocument.published.is_(True))
        .order_by(DisclosureDocument.document_date.desc(), DisclosureDocument.id.desc())
    )


def files_folder() -> Path:
    """The folder the documents' files are kept in."""
    return storage_root() / FOLDER


def file_path(file: DisclosureFile) -> Path:
    """Where a document's file is kept."""
    return path_in(files_folder(), file.storage_key)


def add_files(
    session: Session, document: DisclosureDocument, checked: Iterable[CheckedDocument]
) -> list[DisclosureFile]:
    """Store checked files on `document` (flushed first when new), in the caller's transaction."""
    written, _doomed = files_of_transaction(session)
    if document.id is None:
        session.add(document)
        session.flush()
    added = []
    for item in checked:
        storage_key = secrets.token_urlsafe(24)
        record = DisclosureFile(
            document_id=document.id,
            name=item.name,
            media_type=item.media_type,
            size=len(item.data),
            sha256=hashlib.sha256(item.data).hexdigest(),
            storage_key=storage_key,
            pages=item.pages,
            has_text=item.has_text,
            text=item.text,
        )
        path = path_in(files_folder(), storage_key)
        write_whole(path, item.data, mode=0o644)
        written.append(path)
        document.files.append(record)
        added.append(record)
    if added:
        document.updated_at = utcnow()  # the document changed: the search index follows it
    session.flush()
    return added


def remove_files(session: Session, document: DisclosureDocument, files: Iterable[DisclosureFile]) -> int:
    """Delete files of `document` now and from the disk once the deletion is committed; returns how many."""
    _written, doomed = files_of_transaction(session)
    count = 0
    for file in list(files):
        doomed.append(file_path(file))
        document.files.remove(file)
        count += 1
    if count:
        document.updated_at = utcnow()
    session.flush()
    return count


def send_document_file(file: DisclosureFile) -> Response:
    """The file, shown in the browser (PDF) or downloaded (ODF), cacheable, sandboxed."""
    try:
        data = file_path(file).read_bytes()
    except OSError:
        logger.exception("disclosure file %s cannot be read", file.id)
        abort(404)
    if hashlib.sha256(data).hexdigest() != file.sha256:
        logger.error("disclosure file %s does not match its digest", file.id)
        abort(404)
    response = Response(data, mimetype=file.media_type)
    response.headers["Content-Disposition"] = content_disposition(
        file.name, inline=file.media_type == "application/pdf"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return cacheable(response, max_age=FILE_MAX_AGE, etag=file.sha256[:32])
