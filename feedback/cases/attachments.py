"""Case attachments: checked, sealed, kept in private storage, and given back only to who may see them.

The public API, for the citizen's pages and the staff workbench alike:

- `store_attachment(session, case, data, filename, *, from_citizen, event=None)` checks the
  bytes (`attachment_checks.examine`: the real type, images cleaned of their metadata, PDFs
  that open), seals them with the case-data keys and writes them under the storage root's
  private folder, named by a random `storage_key`; raises `AttachmentError` with a message
  in the visitor's language. `store_checked` stores a file a form has already examined.
- `read_attachment(attachment)` gives the bytes back (their SHA-256 checked).
- `send_attachment(attachment)` answers with the file: its stored media type, the cleaned
  name, `Cache-Control: private, no-store`, `nosniff` and a sandboxing policy.
- `allow_attachment_uploads()` raises this request's body limit to what the settings allow
  (call it before anything reads the form); `delete_attachments` removes rows and files.

Files follow the transaction: a file written in a transaction that rolls back is removed,
and a file whose row is deleted is removed only once the deletion is committed. The private
folder (`STORAGE_PATH/private/`) is never served: published files are served only by the
datasets' download view, from release folders, and static files from `site/static/`.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import Response, abort, current_app, request
from sqlalchemy.orm import Session

from feedback.cases.attachment_checks import AttachmentError, CheckedFile, examine
from feedback.cases.keys import key_ring
from feedback.cases.models import Case, CaseAttachment, CaseEvent
from feedback.cases.sealing import SealError
from portal.http import content_disposition
from portal.kept_files import files_of_transaction, path_in, write_whole
from portal.storage import storage_root

__all__ = [
    "AttachmentError",
    "allow_attachment_uploads",
    "attachment_limits",
    "delete_attachments",
    "read_attachment",
    "send_attachment",
    "store_attachment",
    "store_checked",
]

logger = logging.getLogger(__name__)
FOLDER = Path("private") / "case-attachments"
FORM_MARGIN_BYTES = 1024 * 1024  # the form's text fields and the multipart framing around the files


@dataclass(frozen=True)
class AttachmentLimits:
    """How large each file may be and how many one form may carry (`CASE_ATTACHMENT_MAX_MB`, `CASE_ATTACHMENTS_MAX`)."""

    max_bytes: int
    max_count: int

    @property
    def request_bytes(self) -> int:
        """The largest request body a form carrying the most and largest files needs."""
        return self.max_bytes * self.max_count + FORM_MARGIN_BYTES


def attachment_limits() -> AttachmentLimits:
    """The current application's attachment limits."""
    config = current_app.config
    return AttachmentLimits(
        int(config["CASE_ATTACHMENT_MAX_MB"]) * 1024 * 1024, int(config["CASE_ATTACHMENTS_MAX"])
    )


def allow_attachment_uploads() -> None:
    """Let this request's body be as large as a form with the most and largest attachments (call before reading it)."""
    request.max_content_length = attachment_limits().request_bytes


def attachments_folder() -> Path:
    """The private folder attachment files are kept in (never served)."""
    return storage_root() / FOLDER


def file_path(storage_key: str) -> Path:
    """Where the file of `storage_key` is kept in the current application's storage."""
    return path_in(attachments_folder(), storage_key)


def write_sealed(storage_key: str, data: bytes) -> Path:
    """Seal `data` with the newest key, bound to `storage_key`, and write it in its place."""
    path = file_path(storage_key)
    write_whole(path, key_ring().seal_bytes(data, storage_key.encode()))
    return path


def store_checked(
    session: Session, case: Case, checked: CheckedFile, *, from_citizen: bool, event: CaseEvent | None = None
) -> CaseAttachment:
    """Store a file `examine` has checked, on `case` (and `event`), in the caller's transaction."""
    written, _doomed = files_of_transaction(session)
    storage_key = secrets.token_urlsafe(32)
    written.append(write_sealed(storage_key, checked.data))
    attachment = CaseAttachment(
        case_id=case.id,
        event_id=event.id if event is not None else None,
        name=checked.name,
        media_type=checked.media_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        storage_key=storage_key,
        from_citizen=from_citizen,
    )
    session.add(attachment)
    session.flush()
    return attachment


def store_attachment(
    session: Session,
    case: Case,
    data: bytes,
    filename: str,
    *,
    from_citizen: bool,
    event: CaseEvent | None = None,
) -> CaseAttachment:
    """Check, seal and store a file on `case`; raises AttachmentError (nothing stored) when it is refused.

    `event` (flushed, so it has its id) is the timeline entry the file came with, if any.
    """
    if event is not None and event.id is None:
        session.flush()
    checked = examine(data, filename, attachment_limits().max_bytes)
    return store_checked(session, case, checked, from_citizen=from_citizen, event=event)


class AttachmentUnavailableError(RuntimeError):
    """An attachment whose file is missing, altered, or sealed with a key no longer held."""


def read_attachment(attachment: CaseAttachment) -> bytes:
    """The attachment's bytes; raises AttachmentUnavailableError when its file is missing or does not match."""
    try:
        sealed = file_path(attachment.storage_key).read_bytes()
        data = key_ring().open_bytes(sealed, attachment.storage_key.encode())
    except (OSError, SealError) as error:
        raise AttachmentUnavailableError(f"attachment {attachment.id}: {error}") from error
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise AttachmentUnavailableError(f"attachment {attachment.id}: the file does not match its digest")
    return data


def send_attachment(attachment: CaseAttachment, *, inline: bool | None = None) -> Response:
    """The attachment as a download (images shown in the browser unless `inline` is False), never cached."""
    try:
        data = read_attachment(attachment)
    except AttachmentUnavailableError:
        logger.exception("case attachment %s cannot be read", attachment.id)
        abort(404)
    shown_inline = attachment.media_type.startswith("image/") if inline is None else inline
    response = Response(data, mimetype=attachment.media_type)
    response.headers["Content-Disposition"] = content_disposition(attachment.name, inline=shown_inline)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Whatever a file holds, opened from the site it may run nothing and load nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def delete_attachments(session: Session, attachments: Iterable[CaseAttachment]) -> int:
    """Delete attachment rows now and their files once the deletion is committed; returns how many."""
    _written, doomed = files_of_transaction(session)
    count = 0
    for attachment in attachments:
        doomed.append(file_path(attachment.storage_key))
        session.delete(attachment)
        count += 1
    session.flush()
    return count
