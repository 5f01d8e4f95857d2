"""Which characters text typed by staff or programs may hold, and clean text for HTTP headers.

A one-line value (a title, a name, a code, a file name) may hold no control character:
no C0 or C1 control (line feed, carriage return, tab, NUL, escape…), no DEL, no Unicode
line or paragraph separator (U+2028, U+2029), no bidirectional embedding, override or
isolate (U+202A–U+202E, U+2066–U+2069, which can make a file name read backwards) and no
lone surrogate (which cannot be encoded). Multi-line text may hold line breaks and tabs
but none of the others. Values stored before these rules applied are cleaned with
`single_line()` wherever they go into a header.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
CONTROL_BUT_LINE_BREAKS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_CONTROL_RUNS = re.compile(CONTROL.pattern + "+")


def control_position(text: str, *, multiline: bool = False) -> int | None:
    """The 1-based position of the first character `text` may not hold, or None."""
    found = (CONTROL_BUT_LINE_BREAKS if multiline else CONTROL).search(text)
    return found.start() + 1 if found else None


def single_line(text: str) -> str:
    """`text` with each run of control characters replaced by one space, trimmed."""
    return _CONTROL_RUNS.sub(" ", text).strip()
