"""The sources of what exists already: content pages and datasets (metadata and field names)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import current_app, url_for
from sqlalchemy import func, select

from portal.db import db
from search.services import Document
from search.sources import Source

LANGUAGES = ("zh", "en")


def _url(language: str, endpoint: str, **values: Any) -> str:
    with current_app.test_request_context("/"):
        path = url_for(endpoint, **values)
    return f"/en{path}" if language == "en" else path


def page_documents() -> Iterator[Document]:
    """Each published content page, once per language it has a title in."""
    from portal.pages.models import Page

    for page in db.session.scalars(select(Page).where(Page.published.is_(True)).order_by(Page.id)):
        for language in LANGUAGES:
            title = getattr(page, f"title_{language}")
            if not title:
                continue
            summary = getattr(page, f"summary_{language}")
            yield Document(
                kind="page",
                source_key=page.slug,
                language=language,
                title=title,
                body="\n".join(part for part in (summary, getattr(page, f"body_{language}")) if part),
                day=page.updated_at.date(),
                url=_url(language, "pages.show", slug=page.slug),
            )


def _field_names(schema: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for column in schema.get("fields", []) or []:
        for key in ("name", "title"):
            value = column.get(key)
            if value and value not in names:
                names.append(str(value))
    return names


def dataset_documents() -> Iterator[Document]:
    """Each published dataset: title, description, keywords and field names, per language."""
    from datasets.models import Dataset

    for dataset in db.session.scalars(
        select(Dataset).where(Dataset.published.is_(True)).order_by(Dataset.id)
    ):
        fields = " ".join(_field_names(dataset.table_schema or {}))
        for language in LANGUAGES:
            title = getattr(dataset, f"title_{language}")
            if not title:
                continue
            description = getattr(dataset, f"description_{language}")
            yield Document(
                kind="dataset",
                source_key=dataset.slug,
                language=language,
                title=title,
                body="\n".join(
                    part for part in (description, " ".join(dataset.keywords or []), fields) if part
                ),
                day=dataset.updated_at.date(),
                url=_url(language, "datasets.dataset_page", slug=dataset.slug),
                office_code=dataset.office.code if dataset.office else None,
                theme_code=dataset.theme_code or None,
                administration_code=dataset.cake_code or None,
                service_code=dataset.service_code or None,
            )


def _count(model: Any) -> int:
    return (
        int(db.session.scalar(select(func.count()).select_from(model).where(model.published.is_(True))) or 0)
        * 2
    )


def builtin_sources() -> list[Source]:
    """The content pages' and the datasets' sources."""
    from datasets.models import Dataset
    from portal.pages.models import Page

    return [
        Source("pages", page_documents, lambda: _count(Page)),
        Source("datasets", dataset_documents, lambda: _count(Dataset)),
    ]
