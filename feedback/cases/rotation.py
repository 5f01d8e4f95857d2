"""Key rotation: every sealed value, and every attachment file, sealed again with the newest key of `CASE_DATA_KEYS`.

Read and written as stored text (never through `SealedText`), a batch at a time, each
batch in its own transaction: a rotation stopped half-way leaves every value readable
(old or new key), and running it again finishes the job. Attachment files are sealed
again one by one, each replaced whole (written beside it, then renamed over it), so a
stopped rotation leaves each file readable under one key or the other. Docs: docs/cases.md.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Integer, String, Text, column, select, table, update
from sqlalchemy.orm import Session

from feedback.cases.sealing import KeyRing
from portal.kept_files import path_in, write_whole

logger = logging.getLogger(__name__)

# The sealed columns of each table, as migrations created them.
SEALED_COLUMNS: dict[str, tuple[str, ...]] = {
    "citizen_case": ("subject", "description", "contact_name", "contact_email", "contact_phone", "address"),
    "case_event": ("body",),
    "case_mail": ("to_address", "subject", "body"),
    "case_attachment": ("name",),
}
BATCH = 500


def _reseal_table(session: Session, ring: KeyRing, name: str, columns: tuple[str, ...]) -> int:
    target = table(name, column("id", Integer), *(column(item, Text) for item in columns))
    changed = 0
    last_id = 0
    while True:
        rows = session.execute(
            select(target).where(target.c.id > last_id).order_by(target.c.id).limit(BATCH)
        ).all()
        if not rows:
            return changed
        for row in rows:
            values = {
                item: ring.seal(ring.open(getattr(row, item)))
                for item in columns
                if getattr(row, item) is not None and ring.needs_resealing(getattr(row, item))
            }
            if values:
                session.execute(update(target).where(target.c.id == row.id).values(**values))
                changed += 1
        session.commit()
        last_id = rows[-1].id


def reseal_all(session: Session, ring: KeyRing) -> int:
    """Seal every value not sealed with the ring's current key again with it; returns the rows changed."""
    return sum(_reseal_table(session, ring, name, columns) for name, columns in SEALED_COLUMNS.items())


def reseal_files(session: Session, ring: KeyRing, folder: Path) -> int:
    """Seal every attachment file in `folder` not sealed with the ring's current key again with it; returns how many."""
    attachments = table("case_attachment", column("id", Integer), column("storage_key", String))
    changed = 0
    for (storage_key,) in session.execute(select(attachments.c.storage_key).order_by(attachments.c.id)):
        path = path_in(folder, storage_key)
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            logger.warning("attachment file %s is missing; nothing to reseal", storage_key)
            continue
        if ring.key_of_bytes(sealed) == ring.current:
            continue
        context = storage_key.encode()
        write_whole(path, ring.seal_bytes(ring.open_bytes(sealed, context), context))
        changed += 1
    session.rollback()  # only read: end the transaction
    return changed
