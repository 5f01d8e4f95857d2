"""Snippets with the matches highlighted, built from the original text (pure functions).

Matches are found on the normalised text (`tokens.normalise_with_offsets`) and mapped
back to the original characters, so 台北 highlights in a text that says 臺北 and ＡＰＰ
in one that says APP. The result is HTML-escaped, with `<mark>` around each match.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from search.tokens import Query, is_word_char, normalise_with_offsets

SNIPPET_LENGTH = 120  # characters of the original text shown around the first match
LEAD = 30  # of which at most this many before it


def _bounded(normalised: str, start: int, end: int) -> bool:
    """Whether a match of a word at its ends stands apart from the letters around it."""
    if is_word_char(normalised[start]) and start > 0 and is_word_char(normalised[start - 1]):
        return False
    return not (is_word_char(normalised[end - 1]) and end < len(normalised) and is_word_char(normalised[end]))


def match_spans(normalised: str, needles: list[str]) -> list[tuple[int, int]]:
    """Where the needles occur in normalised text: merged, sorted (start, end) spans."""
    spans: list[tuple[int, int]] = []
    for needle in needles:
        if not needle:
            continue
        start = normalised.find(needle)
        while start != -1:
            end = start + len(needle)
            if _bounded(normalised, start, end):
                spans.append((start, end))
            start = normalised.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def original_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """The needles' matches as (start, end) offsets in the original `text`."""
    normalised, offsets = normalise_with_offsets(text)
    result: list[tuple[int, int]] = []
    for start, end in match_spans(normalised, needles):
        original_end = offsets[end] if end < len(offsets) else len(text)
        result.append((offsets[start], original_end))
    return result


def _marked(text: str, spans: list[tuple[int, int]], window: tuple[int, int]) -> Markup:
    low, high = window
    pieces: list[str] = []
    position = low
    for start, end in spans:
        start, end = max(start, low), min(end, high)
        if start >= end:
            continue
        pieces.append(str(escape(text[position:start])))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(str(escape(text[position:high])))
    return Markup("".join(pieces))  # noqa: S704 - every piece of text is escaped above


def highlight(text: str, query: Query) -> Markup:
    """The whole of `text` (a title), escaped, with every match of `query` marked."""
    spans = original_spans(text, [term.needle for term in query.terms])
    return _marked(text, spans, (0, len(text)))


def snippet(text: str, query: Query, length: int = SNIPPET_LENGTH) -> Markup:
    """About `length` characters of `text` around its first match, escaped, matches marked.

    Without a match (the title matched) the text's beginning is shown. An ellipsis marks
    text left out at either end.
    """
    flat = " ".join(text.split())
    spans = original_spans(flat, [term.needle for term in query.terms])
    first = spans[0][0] if spans else 0
    low = max(0, first - LEAD) if len(flat) > length else 0
    high = min(len(flat), low + length)
    low = max(0, min(low, high - length))
    marked = _marked(flat, spans, (low, high))
    prefix = "…" if low > 0 else ""
    suffix = "…" if high < len(flat) else ""
    return escape(prefix) + marked + escape(suffix)
