"""Keeping the index in step with models that other packages edit, in the same transaction.

`follow(Model, kind, documents_of)` watches a model: after each flush the session
notes which of its rows were added, changed or deleted, and just before the commit
their documents are indexed again (or removed), so the index commits with the content.
The search package follows the content pages and the datasets this way
(`builtin_sources`); a package can instead call `search.services` itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from search.services import Document

logger = logging.getLogger(__name__)

_PENDING = "search.pending"


@dataclass(frozen=True)
class Followed:
    """A watched model: its documents' kind, the attribute that is their source key, and its documents."""

    model: type
    kind: str
    key: str
    documents_of: Callable[[Any], list[Document]]


_FOLLOWED: dict[type, Followed] = {}


def follow(model: type, kind: str, documents_of: Callable[[Any], list[Document]], key: str = "slug") -> None:
    """Index `model`'s rows again whenever a transaction changes them (registers the listeners once)."""
    _FOLLOWED[model] = Followed(model, kind, key, documents_of)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _forget)


def _old_keys(instance: Any, key: str) -> set[str]:
    history = inspect(instance).attrs[key].history
    return {str(value) for value in (history.deleted or ()) if value}


def _after_flush(session: Session, _context: Any) -> None:
    pending: dict[tuple[type, Any], tuple[Any, set[str]]] = session.info.setdefault(_PENDING, {})
    for instance in (*session.new, *session.dirty, *session.deleted):
        followed = _FOLLOWED.get(type(instance))
        if followed is None:
            continue
        deleted = instance in session.deleted
        keys = {str(getattr(instance, followed.key))} | _old_keys(instance, followed.key)
        entry = pending.setdefault((type(instance), id(instance)), (instance, set()))
        entry[1].update(keys)
        if deleted:
            pending[(type(instance), id(instance))] = (None, entry[1])


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _before_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    from search.services import index_documents, remove_document

    for (model, _identity), (instance, keys) in pending.items():
        followed = _FOLLOWED[model]
        for key in keys:
            remove_document(followed.kind, key, session=session)
        if instance is not None:
            documents = followed.documents_of(instance)
            if documents:
                index_documents(documents, session=session)
    session.info.pop(_PENDING, None)  # what the indexing itself flushed
