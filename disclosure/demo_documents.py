"""The demo's 主動公開資訊 documents (pure data, no I/O): at least two in each §7 category.

Dates are relative (`days_ago`) so that the demo stays current: every category is
within its review period except 10 (會議紀錄), whose newest minutes are about 150 days
old, so that the staff dashboard shows one category behind. Two documents have no
English title, to show the site's fallback to the Chinese one; one PDF is a scan with
no text, to show the scanned-file flag. `disclosure.demo_files` writes the files;
`disclosure.demo` loads them.
"""

from __future__ import annotations

from disclosure.demo_documents_dealings import DOCUMENTS as DEALINGS
from disclosure.demo_documents_plans import DOCUMENTS as PLANS
from disclosure.demo_documents_rules import DOCUMENTS as RULES
from disclosure.demo_documents_types import DemoDocument, DemoFile

__all__ = ["DEMO_DOCUMENTS", "DemoDocument", "DemoFile"]

# In §7's order: categories 1–4, 5–6, 7–10.
DEMO_DOCUMENTS: tuple[DemoDocument, ...] = RULES + PLANS + DEALINGS
