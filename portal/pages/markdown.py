"""Markdown to safe HTML for content pages.

Raw HTML in the source is shown as text, links may only use http, https, mailto and
tel or be relative, and a level-1 heading becomes level 2 because the page title is the only h1.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

_ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _link_allowed(url: str) -> bool:
    lowered = url.strip().lower()
    if ":" not in lowered.split("/", 1)[0]:
        return True  # relative link or fragment
    return lowered.startswith(_ALLOWED_SCHEMES)


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    parser.validateLink = _link_allowed  # type: ignore[method-assign]
    return parser


def render_markdown(source: str) -> Markup:
    """HTML for `source`, safe to put in a page."""
    parser = _parser()
    tokens = parser.parse(source or "")
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{max(int(token.tag[1]), 2)}"
    return Markup(parser.renderer.render(tokens, parser.options, {}))  # noqa: S704 - escaped by the parser
