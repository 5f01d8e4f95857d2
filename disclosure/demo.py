"""Demo content of the 主動公開資訊 section: the documents of `demo_documents` with their committed files.

The files are read from `disclosure/demo_files/` (written by `python -m disclosure.demo_files`)
and checked as staff uploads are, so the demo shows what the checks make of them,
including the scanned PDF's flag. Loading is idempotent: once any disclosure document
exists, nothing is added, so staff edits to the demo are kept.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from disclosure.demo_documents import DEMO_DOCUMENTS, DemoDocument
from disclosure.documents import add_files
from disclosure.file_checks import CheckedDocument, examine_document
from disclosure.models import DisclosureDocument
from portal.clock import TAIPEI, taipei_today
from portal.db import db
from portal.offices.models import Office

FILES_FOLDER = Path(__file__).resolve().parent / "demo_files"
PUBLISHED_AT = time(9, 0)  # the demo's documents appear at the start of an office day


def checked_files(demo: DemoDocument, max_bytes: int, folder: Path = FILES_FOLDER) -> list[CheckedDocument]:
    """The document's committed files, checked as an upload would be; raises DocumentFileError."""
    return [examine_document((folder / name).read_bytes(), name, max_bytes) for name in demo.file_names()]


def load_demo_documents() -> list[str]:
    """Create the demo documents with their files, unless a disclosure document exists already."""
    if db.session.scalar(select(DisclosureDocument.id).limit(1)) is not None:
        return []
    max_bytes = int(current_app.config["DISCLOSURE_FILE_MAX_MB"]) * 1024 * 1024
    offices = {office.code: office.id for office in db.session.scalars(select(Office))}
    today = taipei_today()
    files = 0
    for demo in DEMO_DOCUMENTS:
        day = today - timedelta(days=demo.days_ago)
        published = datetime.combine(day, PUBLISHED_AT, tzinfo=TAIPEI)
        document = DisclosureDocument(
            category=demo.category,
            title_zh=demo.title_zh,
            title_en=demo.title_en,
            summary_zh=demo.summary_zh,
            summary_en=demo.summary_en,
            document_date=day,
            office_id=offices.get(demo.office_code) if demo.office_code else None,
            theme_code=demo.theme_code,
            cake_code=demo.cake_code,
            service_code=demo.service_code,
            source_name=demo.source_name,
            source_url=demo.source_url,
            published=True,
            created_at=published,
        )
        files += len(add_files(db.session, document, checked_files(demo, max_bytes)))
        # Storing the files stamped the document as changed now; the demo's last change is its publication.
        document.updated_at = published
    db.session.commit()
    return [f"disclosure documents: {len(DEMO_DOCUMENTS)} added, with {files} files"]
