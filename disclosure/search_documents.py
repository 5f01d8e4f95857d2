"""What the search index holds of each published disclosure document: its words and its files' text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import force_locale
from sqlalchemy import func, select

from disclosure.categories import BY_NUMBER
from disclosure.models import DisclosureDocument
from portal.db import db
from portal.offices.models import Office
from search.services import Document
from search.sources import Source, document_url

LANGUAGES = ("zh", "en")
KIND = "disclosure"


def _category_name(number: int, language: str) -> str:
    category = BY_NUMBER.get(number)
    if category is None:
        return ""
    with force_locale("en" if language == "en" else "zh_Hant_TW"):
        return str(category.name)


def documents_of(document: DisclosureDocument) -> list[Document]:
    """A published document's index entries: Chinese always, English where it has an English title."""
    if not document.published:
        return []
    office = db.session.get(Office, document.office_id) if document.office_id else None
    files_text = "\n".join(file.text for file in document.files if file.text)
    entries = []
    for language in LANGUAGES:
        title = document.title_en if language == "en" else document.title_zh
        if not title:
            continue
        summary = document.summary_en if language == "en" else document.summary_zh
        body = "\n".join(
            part
            for part in (
                summary,
                _category_name(document.category, language),
                document.source_name,
                files_text,
            )
            if part
        )
        entries.append(
            Document(
                kind=KIND,
                source_key=str(document.id),
                language=language,
                title=title,
                body=body,
                day=document.document_date,
                url=document_url(language, "disclosure.document", document_id=document.id),
                office_code=office.code if office else None,
                theme_code=document.theme_code or None,
                administration_code=document.cake_code or None,
                service_code=document.service_code or None,
            )
        )
    return entries


def _all_documents() -> Iterator[Document]:
    statement = (
        select(DisclosureDocument)
        .where(DisclosureDocument.published.is_(True))
        .order_by(DisclosureDocument.id)
    )
    for document in db.session.scalars(statement):
        yield from documents_of(document)


def _count() -> int:
    statement = (
        select(func.count()).select_from(DisclosureDocument).where(DisclosureDocument.published.is_(True))
    )
    return int(db.session.scalar(statement) or 0) * 2


def disclosure_source() -> Source:
    """The source a rebuild of the index reads every published document from."""
    return Source("disclosure", _all_documents, _count)


def follow_documents(_app: Any = None) -> None:
    """Index a document again whenever a transaction changes it (its files change its `updated_at`)."""
    from search.follow import follow

    follow(DisclosureDocument, KIND, documents_of, key="id")
