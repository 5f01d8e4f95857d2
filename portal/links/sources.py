"""Where the link checker finds links: each part of the site that holds them registers a source.

A source is registered with a kind (`page`, `disclosure` …) and the kind's name for
staff; it returns `LinkPlace`s: the title of a place staff know (a page, a document), the
staff page where it is edited, and the links it holds. The house registers its content
pages; the domains register theirs in their `init_app` (`add_link_source`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

_KEY = "portal.link_sources"


@dataclass(frozen=True)
class LinkPlace:
    """Links found in one place: its title, the staff page that edits it, and the links."""

    title: str
    edit_url: str
    urls: tuple[str, ...]


@dataclass(frozen=True)
class LinkSource:
    """A kind of place that holds links: its key, its name for staff (lazily translated), and its places."""

    kind: str
    label: Any
    places: Callable[[], Iterable[LinkPlace]]


def add_link_source(app: Flask, source: LinkSource) -> None:
    """Add a source of links to check."""
    app.extensions.setdefault(_KEY, {})[source.kind] = source


def link_sources(app: Flask | None = None) -> list[LinkSource]:
    """The application's link sources."""
    return list((app or current_app).extensions.get(_KEY, {}).values())


def kind_label(kind: str) -> Any:
    """The staff name of a kind of place (the key itself when no source has it)."""
    source = current_app.extensions.get(_KEY, {}).get(kind)
    return source.label if source is not None else kind


def _pages_places() -> Iterable[LinkPlace]:
    from flask import url_for
    from sqlalchemy import select

    from portal.db import db
    from portal.links.extract import links_in_markdown
    from portal.pages.models import Page

    for page in db.session.scalars(select(Page).order_by(Page.id)):
        urls = tuple(dict.fromkeys(links_in_markdown(page.body_zh) + links_in_markdown(page.body_en)))
        if urls:
            yield LinkPlace(page.title_zh, url_for("pages_admin.admin_edit", page_id=page.id), urls)


def pages_source() -> LinkSource:
    """The links in the content pages' Markdown, both languages."""
    from portal.i18n import _l

    return LinkSource("page", _l("內容頁面"), _pages_places)
