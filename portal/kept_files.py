"""Files kept on disk beside database rows, written whole and following the rows' transaction.

- `write_whole(path, data)` writes a file completely or not at all (a `.partial` file renamed).
- `path_in(folder, key)` spreads files over sub-folders by their key's first two characters.
- `files_of_transaction(session)` gives the lists a transaction's files go in: a file in
  `written` is removed if the transaction rolls back; a file in `doomed` is removed once
  the transaction commits (its row's deletion is then final). So a refused form, a
  crashed request or a rollback never leaves a file without its row, and a deleted row's
  file never disappears while the deletion can still be undone.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

_WRITTEN = "portal.kept_files_written"
_DOOMED = "portal.kept_files_doomed"


def write_whole(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write a file whole or not at all (readable by its owner only unless `mode` says otherwise)."""
    path.parent.mkdir(mode=0o700 if mode == 0o600 else 0o755, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def path_in(folder: Path, key: str) -> Path:
    """Where the file of `key` is kept in `folder`: spread over folders by its first two characters."""
    return folder / key[:2] / key


def _after_commit(session: Session) -> None:
    session.info[_WRITTEN].clear()
    for path in session.info[_DOOMED]:
        path.unlink(missing_ok=True)
    session.info[_DOOMED].clear()


def _after_rollback(session: Session) -> None:
    for path in session.info[_WRITTEN]:
        path.unlink(missing_ok=True)
    session.info[_WRITTEN].clear()
    session.info[_DOOMED].clear()


def files_of_transaction(session: Session) -> tuple[list[Path], list[Path]]:
    """The files written and doomed in `session`'s transaction, removed or kept as it ends."""
    if _WRITTEN not in session.info:
        session.info[_WRITTEN] = []
        session.info[_DOOMED] = []
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_rollback", _after_rollback)
    return session.info[_WRITTEN], session.info[_DOOMED]
