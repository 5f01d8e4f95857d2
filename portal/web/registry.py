"""Places other parts of the site add themselves to: navigation, home-page services, dashboard cards.

Each application keeps its own registry (in `app.extensions`), filled by the
`init_app` of the portal and of each domain package, so the shell never imports the
domains.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

if TYPE_CHECKING:
    from portal.auth.models import Staff


@dataclass(frozen=True)
class Link:
    """A labelled link to an endpoint, with an optional one-line description."""

    endpoint: str
    label: Any  # a lazy string, translated when shown
    description: Any = ""
    order: int = 100
    values: tuple[tuple[str, Any], ...] = ()


@dataclass
class DashboardCard:
    """A card on the staff dashboard: a title, some figures and links."""

    title: Any
    figures: list[tuple[Any, Any]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    note: Any = ""
    order: int = 100


DashboardCardProvider = Callable[["Staff"], DashboardCard | None]


@dataclass(frozen=True)
class SitemapEntry:
    """A public page for `/sitemap.xml`: its endpoint and URL values, and the day it last changed."""

    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    updated: date | None = None


SitemapSource = Callable[[], Iterable[SitemapEntry]]


@dataclass(frozen=True)
class ClassifiedItem:
    """Something published under a classification code: what it is, its title, its page and its day."""

    kind: Any  # a lazy string: 開放資料, 主動公開資訊 …
    title: str
    url: str
    day: date | None = None


# A domain's published items of one scheme (theme, cake or service), each with its code.
ClassifiedSource = Callable[[str], Iterable[tuple[str, ClassifiedItem]]]


@dataclass
class Registry:
    """Everything added to one application's shell."""

    navigation: list[Link] = field(default_factory=list)
    home_services: list[Link] = field(default_factory=list)
    dashboard_cards: list[DashboardCardProvider] = field(default_factory=list)
    sitemap_sources: list[SitemapSource] = field(default_factory=list)
    classified_sources: list[ClassifiedSource] = field(default_factory=list)


_KEY = "portal.registry"


def registry(app: Flask | None = None) -> Registry:
    """The registry of `app` (default: the current application)."""
    target = app or current_app
    return target.extensions.setdefault(_KEY, Registry())


def add_navigation(app: Flask, link: Link) -> None:
    """Add a link to the main navigation of every page."""
    registry(app).navigation.append(link)
    registry(app).navigation.sort(key=lambda item: item.order)


def add_home_service(app: Flask, link: Link) -> None:
    """Add a service to the home page's list of most-used services."""
    registry(app).home_services.append(link)
    registry(app).home_services.sort(key=lambda item: item.order)


def add_dashboard_card(app: Flask, provider: DashboardCardProvider) -> None:
    """Add a card provider; it returns a card for a staff member, or None to show nothing."""
    registry(app).dashboard_cards.append(provider)


def add_sitemap_source(app: Flask, source: SitemapSource) -> None:
    """Add a domain's public pages to `/sitemap.xml` (the function is called for each request)."""
    registry(app).sitemap_sources.append(source)


def add_classified_source(app: Flask, source: ClassifiedSource) -> None:
    """Add a domain's classified items to the pages that browse by classification."""
    registry(app).classified_sources.append(source)
