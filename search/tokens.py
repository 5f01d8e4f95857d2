"""The one tokeniser every search backend shares (pure functions).

Text is normalised (NFKC, then casefold, then the small variant table `VARIANTS`) and
cut into *units*: one Chinese (CJK) character each, or one whole word of letters and
digits (English words, numbers). A *chunk* is a run of units with nothing between them.
Each chunk becomes a stream of index terms, unit by unit:

- a word unit is a term of its own;
- two neighbouring units of a chunk give a pair term (停水, and 知app across scripts);
- a CJK unit that ends its run of CJK characters is also a term alone.

So 停水通知 gives 停水 水通 通知 知: every character of the text is the first character
of some term. A query of one CJK character is a prefix lookup (or, where single
characters are indexed too, `unigrams`, a term lookup); a longer chunk is the exact
sequence of its terms, which is found exactly where the text contains the chunk.
Spaces between query words mean AND. See docs/search.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# Bump when anything below changes what a text tokenises to: the index is rebuilt.
TOKENISER_VERSION = 1

# Longest query accepted, in characters of what the visitor typed.
MAX_QUERY_LENGTH = 200
# At most this many AND-ed terms in one query; the rest are dropped.
MAX_QUERY_TERMS = 10

# Variants NFKC leaves apart but readers take as the same character, folded to the form
# the Ministry of Education's standard uses. Kept small: only pairs that never differ in
# meaning in Taiwanese usage (於/于, 著/着 do differ, so they are not here).
VARIANTS: dict[str, str] = {
    "台": "臺",  # 台北 / 臺北
    "裏": "裡",
    "爲": "為",
    "衆": "眾",
    "温": "溫",
    "綫": "線",
    "册": "冊",
    "峯": "峰",
    "羣": "群",
}
_VARIANT_TABLE = str.maketrans(VARIANTS)

# The characters each of which is a unit of its own.
_CJK_CLASS = (
    "\u3007"  # 〇
    "\u3040-\u30ff"  # kana
    "\u3100-\u312f\u31a0-\u31bf"  # bopomofo
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B to G
)
_CJK = re.compile(f"[{_CJK_CLASS}]")
_CHUNK = re.compile(r"[^\W_]+")  # letters and digits (CJK characters among them)
_UNIT = re.compile(f"[{_CJK_CLASS}]|[^{_CJK_CLASS}]+")
# Combining marks (and the kana voicing marks NFKC composes): text with none of them is
# normalised a character at a time.
_COMBINING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f"
    "\u0900-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u302a-\u302f"
    "\u3099-\u309c\uff9e\uff9f\ufe20-\ufe2f\u1100-\u11ff]"
)


class QueryError(ValueError):
    """A query the search refuses (the service gives the visitor its message)."""


class QueryTooLongError(QueryError):
    """A query longer than `MAX_QUERY_LENGTH` characters."""


def is_cjk(char: str) -> bool:
    """Whether `char` is a Chinese (or other CJK) character, each of which is a unit."""
    return _CJK.match(char) is not None


def is_word_char(char: str) -> bool:
    """Whether `char` belongs to a word unit: a letter or digit that is not CJK."""
    return char.isalnum() and _CJK.match(char) is None


def _fold(cluster: str) -> str:
    return unicodedata.normalize("NFKC", cluster).casefold().translate(_VARIANT_TABLE)


@lru_cache(maxsize=16384)
def _fold_character(char: str) -> str:
    return _fold(char)


def _clusters(text: str) -> Iterator[tuple[int, str]]:
    """A character with the combining marks after it, and where it starts in `text`."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            yield start, text[start:index]
            start = index


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` normalised, and for each of its characters where it came from in `text`.

    Each character with its combining marks is normalised alone, so that every character
    of the result maps to one place in the original (used to highlight the original).
    """
    if _COMBINING.search(text) is None:
        characters = [_fold_character(char) for char in text]
        return "".join(characters), [index for index, part in enumerate(characters) for _ in part]
    parts: list[str] = []
    offsets: list[int] = []
    for start, cluster in _clusters(text):
        folded = cluster.lower() if cluster.isascii() else _fold(cluster)
        parts.append(folded)
        offsets.extend([start] * len(folded))
    return "".join(parts), offsets


def normalise(text: str) -> str:
    """NFKC, casefold and the variant table: what the index and the queries compare."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold().translate(_VARIANT_TABLE)


def chunks(normalised: str) -> list[list[str]]:
    """The chunks of normalised text (runs of letters and digits), each as its units."""
    return [_UNIT.findall(chunk) for chunk in _CHUNK.findall(normalised)]


def chunk_terms(units: list[str]) -> list[str]:
    """The index terms of one chunk, in order (see the module's description)."""
    terms: list[str] = []
    last = len(units) - 1
    for index, unit in enumerate(units):
        cjk = is_cjk(unit[0])
        if not cjk:
            terms.append(unit)
        if index < last:
            terms.append(unit + units[index + 1])
        if cjk and (index == last or not is_cjk(units[index + 1][0])):
            terms.append(unit)
    return terms


def tokenise(text: str) -> list[str]:
    """The index terms of `text` (normalised first), in order; phrase positions follow it."""
    terms: list[str] = []
    for units in chunks(normalise(text)):
        terms.extend(chunk_terms(units))
    return terms


def unigrams(terms: list[str]) -> list[list[str]]:
    """For each term of a stream, the terms to index at its position where single characters are terms.

    A pair starting with a CJK character adds that character, so every CJK character of
    the text is a term of its own (PostgreSQL's RUM index looks single characters up so).
    """
    result: list[list[str]] = []
    for term in terms:
        first = term[0]
        if len(term) > 1 and is_cjk(first) and term != first:
            result.append([term, first])
        else:
            result.append([term])
    return result


@dataclass(frozen=True)
class Term:
    """One AND-ed part of a query.

    `single` is a lone CJK character (a prefix or single-character lookup); otherwise
    `sequence` is the exact sequence of index terms. `needle` is the normalised text it
    finds, for highlighting.
    """

    needle: str
    sequence: tuple[str, ...]
    single: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: the AND of its terms; empty when nothing searchable was typed."""

    text: str
    terms: tuple[Term, ...]

    @property
    def is_empty(self) -> bool:
        """Whether the query holds nothing to search for (only punctuation, emoji or spaces)."""
        return not self.terms


def _query_term(units: list[str]) -> Term:
    needle = "".join(units)
    if len(units) == 1 and is_cjk(units[0][0]):
        return Term(needle=needle, sequence=(needle,), single=True)
    sequence = chunk_terms(units)
    if is_cjk(units[-1][0]) and len(units) > 1:
        sequence = sequence[:-1]  # the text may go on after the chunk's last character
    return Term(needle=needle, sequence=tuple(sequence))


def parse_query(text: str) -> Query:
    """Turn what a visitor typed into a query; raises `QueryTooLongError` past `MAX_QUERY_LENGTH`.

    Each chunk (words split by spaces or punctuation) is one AND-ed term; repeated terms
    count once. Only punctuation, symbols or emoji give an empty query.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLongError(f"query of {len(text)} characters, at most {MAX_QUERY_LENGTH}")
    terms: list[Term] = []
    seen: set[str] = set()
    for units in chunks(normalise(text)):
        term = _query_term(units)
        if term.needle not in seen:
            seen.add(term.needle)
            terms.append(term)
    return Query(text=text, terms=tuple(terms[:MAX_QUERY_TERMS]))
