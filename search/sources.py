"""Sources: where a rebuild of the index gets every document of a kind.

A package that publishes content registers a source in its `init_app`
(`register_source(app, Source(...))`) and keeps the index in step as it edits
(`search.services.index_document` / `remove_document`). The search package registers
the sources of the content pages and the datasets (`search.builtin_sources`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, url_for

from search.services import Document

_KEY = "search.sources"


@dataclass(frozen=True)
class Source:
    """Every document of one kind, for a rebuild; `count` (for the progress bar) is optional."""

    name: str
    documents: Callable[[], Iterable[Document]]
    count: Callable[[], int] | None = None


def document_url(language: str, endpoint: str, **values: Any) -> str:
    """A document's path in `language` (`/en/…` for English), built outside any request."""
    with current_app.test_request_context("/"):
        path = url_for(endpoint, **values)
    return f"/en{path}" if language == "en" else path


def register_source(app: Flask, source: Source) -> None:
    """Add a source of documents to the application's rebuilds (a name registers once)."""
    sources: dict[str, Source] = app.extensions.setdefault(_KEY, {})
    sources[source.name] = source


def sources_of(app: Flask) -> list[Source]:
    """The application's sources, in the order they were registered."""
    return list(app.extensions.get(_KEY, {}).values())
