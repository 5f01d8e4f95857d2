"""The links a text holds, for the link checker (pure).

Markdown bodies are parsed as the pages render them (`portal.pages.markdown`), so a link
is found exactly when a visitor would see it: inline links, reference links, autolinks
and images. Only what a visitor can follow is kept: http and https addresses, and paths
on this site. mailto:, tel: and in-page fragments are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")


def checkable(url: str) -> bool:
    """Whether the link checker can follow `url`: an http(s) address or a path on this site."""
    lowered = url.strip().lower()
    if not lowered or lowered.startswith("#"):
        return False
    if lowered.startswith(("http://", "https://")):
        return True
    return lowered.startswith("/") and not lowered.startswith("//")


def _walk(tokens: Iterable[Token]) -> Iterator[str]:
    for token in tokens:
        if token.type == "link_open":
            href = token.attrGet("href")
            if isinstance(href, str):
                yield href
        elif token.type == "image":
            src = token.attrGet("src")
            if isinstance(src, str):
                yield src
        if token.children:
            yield from _walk(token.children)


def links_in_markdown(source: str) -> list[str]:
    """Every checkable link of a Markdown text, in order, each once."""
    found: list[str] = []
    for url in _walk(_PARSER.parse(source or "")):
        if checkable(url) and url not in found:
            found.append(url)
    return found
