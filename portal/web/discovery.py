"""How search engines find the site: `/sitemap.xml` (every public page in both languages) and `/robots.txt`.

Each public page is listed once per language, and each entry names the other language's
page as its alternate (`xhtml:link rel="alternate" hreflang=…`), with `x-default` the
Chinese one. The house lists its own pages; each domain adds its pages with
`portal.web.registry.add_sitemap_source` (a function returning `SitemapEntry` items, read
at request time). `robots.txt` keeps crawlers out of the staff pages and the lookup
session's pages and names the sitemap.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, url_for
from sqlalchemy import select

from portal.db import db
from portal.http import cacheable
from portal.i18n import LANGUAGES, url_for_language
from portal.pages.models import Page
from portal.web.registry import SitemapEntry, registry

bp = Blueprint("discovery", __name__)

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
MAX_AGE = 3600
# Pages no crawler should ask: staff pages, and the citizen's own case pages (they answer
# only inside a lookup session, and would only send a crawler to the lookup form).
DISALLOWED = (
    "/staff/",
    "/cases/status",
    "/surveys/case",
    "/en/staff/",
    "/en/cases/status",
    "/en/surveys/case",
)
# The staff login is a public page like any other (it tells a visitor where staff sign in);
# the longer, allowing rule wins over /staff/.
ALLOWED = ("/staff/login", "/en/staff/login")


def house_entries() -> Iterable[SitemapEntry]:
    """The house's own public pages: home, site map, offices and the published content pages."""
    yield SitemapEntry("web.home")
    yield SitemapEntry("web.sitemap")
    yield SitemapEntry("offices.office_list")
    yield SitemapEntry("classification.index")
    pages = db.session.scalars(
        select(Page).where(Page.published.is_(True)).order_by(Page.sort_order, Page.slug)
    )
    for page in pages:
        yield SitemapEntry(
            "pages.show", {"slug": page.slug}, page.updated_at.date() if page.updated_at else None
        )


def _entries() -> list[SitemapEntry]:
    found = list(house_entries())
    for source in registry().sitemap_sources:
        found.extend(source())
    return found


def sitemap_document(entries: Iterable[SitemapEntry]) -> bytes:
    """The sitemap XML of `entries`: one `url` per page and language, each naming its alternates."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for entry in entries:
        urls = {
            language.code: url_for_language(language.code, entry.endpoint, **entry.values)
            for language in LANGUAGES
        }
        for language in LANGUAGES:
            item = ET.SubElement(root, f"{{{SITEMAP}}}url")
            ET.SubElement(item, f"{{{SITEMAP}}}loc").text = urls[language.code]
            if entry.updated is not None:
                ET.SubElement(item, f"{{{SITEMAP}}}lastmod").text = entry.updated.isoformat()
            for other in LANGUAGES:
                attributes = {"rel": "alternate", "hreflang": other.html_lang, "href": urls[other.code]}
                ET.SubElement(item, f"{{{XHTML}}}link", attributes)
            default = {"rel": "alternate", "hreflang": "x-default", "href": urls[LANGUAGES[0].code]}
            ET.SubElement(item, f"{{{XHTML}}}link", default)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@bp.route("/sitemap.xml")
def sitemap_xml() -> Response:
    """Every public page, in both languages."""
    return cacheable(Response(sitemap_document(_entries()), mimetype="application/xml"), max_age=MAX_AGE)


@bp.route("/robots.txt")
def robots_txt() -> Response:
    """Crawlers: everything but the staff pages (not their login) and case-session pages; where the sitemap is."""
    lines = [
        "User-agent: *",
        *(f"Allow: {path}" for path in ALLOWED),
        *(f"Disallow: {path}" for path in DISALLOWED),
        "",
        "",
    ]
    lines[-1] = "Sitemap: " + url_for("discovery.sitemap_xml", _external=True)
    body = "\n".join(lines) + "\n"
    return cacheable(Response(body, mimetype="text/plain"), max_age=MAX_AGE)
