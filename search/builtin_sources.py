"""The sources of what exists already: content pages and datasets (metadata and field names)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select

from portal.db import db, utcnow
from portal.offices.models import Office
from search.services import Document
from search.sources import Source, document_url

LANGUAGES = ("zh", "en")


def documents_of_page(page: Any) -> list[Document]:
    """A content page's documents, one per language it has a title in; none unless published."""
    if not page.published:
        return []
    documents = []
    for language in LANGUAGES:
        title = getattr(page, f"title_{language}")
        if not title:
            continue
        summary = getattr(page, f"summary_{language}")
        documents.append(
            Document(
                kind="page",
                source_key=page.slug,
                language=language,
                title=title,
                body="\n".join(part for part in (summary, getattr(page, f"body_{language}")) if part),
                day=(page.updated_at or utcnow()).date(),
                url=document_url(language, "pages.show", slug=page.slug),
                theme_code=page.theme_code or None,
                administration_code=page.cake_code or None,
                service_code=page.service_code or None,
            )
        )
    return documents


def page_documents() -> Iterator[Document]:
    """Each published content page, once per language it has a title in."""
    from portal.pages.models import Page

    for page in db.session.scalars(select(Page).where(Page.published.is_(True)).order_by(Page.id)):
        yield from documents_of_page(page)


def _field_names(schema: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for column in schema.get("fields", []) or []:
        for key in ("name", "title"):
            value = column.get(key)
            if value and value not in names:
                names.append(str(value))
    return names


def documents_of_dataset(dataset: Any) -> list[Document]:
    """A dataset's documents (title, description, keywords, field names) per language; none unless published."""
    if not dataset.published:
        return []
    fields = " ".join(_field_names(dataset.table_schema or {}))
    office = db.session.get(Office, dataset.office_id) if dataset.office_id else None
    documents = []
    for language in LANGUAGES:
        title = getattr(dataset, f"title_{language}")
        if not title:
            continue
        description = getattr(dataset, f"description_{language}")
        keywords = " ".join(dataset.keywords or [])
        documents.append(
            Document(
                kind="dataset",
                source_key=dataset.slug,
                language=language,
                title=title,
                body="\n".join(part for part in (description, keywords, fields) if part),
                day=(dataset.updated_at or utcnow()).date(),
                url=document_url(language, "datasets.dataset_page", slug=dataset.slug),
                office_code=office.code if office else None,
                theme_code=dataset.theme_code or None,
                administration_code=dataset.cake_code or None,
                service_code=dataset.service_code or None,
            )
        )
    return documents


def dataset_documents() -> Iterator[Document]:
    """Each published dataset: title, description, keywords and field names, per language."""
    from datasets.models import Dataset

    statement = select(Dataset).where(Dataset.published.is_(True)).order_by(Dataset.id)
    for dataset in db.session.scalars(statement):
        yield from documents_of_dataset(dataset)


def _count(model: Any) -> int:
    return (
        int(db.session.scalar(select(func.count()).select_from(model).where(model.published.is_(True))) or 0)
        * 2
    )


def follow_builtin_models() -> None:
    """Keep the pages' and datasets' documents in step with their edits (`search.follow`)."""
    from datasets.models import Dataset
    from portal.pages.models import Page
    from search.follow import follow

    follow(Page, "page", documents_of_page)
    follow(Dataset, "dataset", documents_of_dataset)


def builtin_sources() -> list[Source]:
    """The content pages' and the datasets' sources."""
    from datasets.models import Dataset
    from portal.pages.models import Page

    return [
        Source("pages", page_documents, lambda: _count(Page)),
        Source("datasets", dataset_documents, lambda: _count(Dataset)),
    ]
