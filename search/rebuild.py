"""Rebuilding the whole index from every registered source, and when the tokeniser changed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from flask import current_app

from portal.db import db
from search.services import Document, clear_index, finish_rebuild, index_documents, is_stale
from search.sources import Source, sources_of

logger = logging.getLogger(__name__)

BATCH = 500


def _batches(documents: Iterable[Document]) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def expected_count(sources: list[Source]) -> int:
    """How many documents the sources expect to give (for a progress bar; 0 when unknown)."""
    return sum(source.count() for source in sources if source.count is not None)


def reindex(progress: Callable[[int], None] | None = None) -> int:
    """Empty the index and index every source's documents, in one transaction; returns how many.

    Readers keep seeing the old index until the commit.
    """
    sources = sources_of(current_app)
    clear_index()
    indexed = 0
    for source in sources:
        for batch in _batches(source.documents()):
            indexed += index_documents(batch)
            if progress:
                progress(len(batch))
    finish_rebuild()
    db.session.commit()
    logger.info("search: indexed %d documents", indexed)
    return indexed


def reindex_if_stale() -> bool:
    """Rebuild when some document was indexed by another tokeniser version; returns whether it did."""
    if not is_stale():
        return False
    reindex()
    return True


def reindex_job() -> None:
    """The background job a search starts when it finds the index stale."""
    reindex_if_stale()
