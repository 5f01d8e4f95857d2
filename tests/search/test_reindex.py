"""`flask search reindex` and the sources it reads: content pages and datasets."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from portal.db import db
from search.builtin_sources import dataset_documents, page_documents
from search.models import SearchDocument
from search.services import Document, index_document, is_stale, search
from search.sources import Source, register_source, sources_of

pytestmark = pytest.mark.usefixtures("app_context")


def _count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(SearchDocument)) or 0)


def test_the_page_dataset_and_disclosure_sources_are_registered(app: Flask) -> None:
    names = [source.name for source in sources_of(app)]
    assert sorted(names) == ["datasets", "disclosure", "pages"]


def test_pages_give_a_document_per_language_with_its_url() -> None:
    documents = list(page_documents())
    assert documents, "the demo has content pages"
    assert {document.language for document in documents} <= {"zh", "en"}
    for document in documents:
        assert document.kind == "page"
        assert document.url.endswith(f"/pages/{document.source_key}")
        assert document.url.startswith("/en/") == (document.language == "en")


def test_datasets_give_their_metadata_and_field_names() -> None:
    documents = list(dataset_documents())
    assert documents, "the demo has datasets"
    chinese = [document for document in documents if document.language == "zh"]
    assert all(document.kind == "dataset" for document in documents)
    assert any(document.office_code for document in chinese)
    assert any(document.theme_code for document in chinese)
    from datasets.models import Dataset

    dataset = db.session.scalars(select(Dataset).where(Dataset.published.is_(True))).first()
    assert dataset is not None
    field = (dataset.table_schema or {}).get("fields", [{}])[0].get("name")
    found = next(document for document in chinese if document.source_key == dataset.slug)
    assert field in found.body


def test_reindex_rebuilds_from_every_source_with_a_progress_bar(app: Flask) -> None:
    index_document(Document("news", "stale", "zh", "舊消息", "", date(2020, 1, 1), "/old"))
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexing" in result.output
    expected = sum(len(list(source.documents())) for source in sources_of(app))
    # The disclosure documents are counted too.
    assert expected > len(list(page_documents())) + len(list(dataset_documents()))
    assert f"Indexed {expected} documents." in result.output
    assert _count() == expected
    assert search("舊消息").total == 0
    some_page = next(iter(page_documents()))
    assert some_page.source_key in {r.source_key for r in search(some_page.title, kind="page").results}


def test_a_registered_source_is_indexed_by_the_rebuild(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.extensions, "search.sources", dict(app.extensions["search.sources"]))
    news = [
        Document("news", f"n{i}", "zh", f"停水快訊{i}", "內文", date(2026, 1, i + 1), f"/news/{i}")
        for i in range(3)
    ]
    register_source(app, Source("news", lambda: iter(news), lambda: len(news)))
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert [r.source_key for r in search("停水快訊").results] == ["n2", "n1", "n0"]


def test_reindex_if_stale_rebuilds_only_after_the_tokeniser_changed(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert not is_stale()
    assert "current" in runner.invoke(args=["search", "reindex", "--if-stale"]).output
    db.session.execute(update(SearchDocument).values(tokeniser_version=0))
    assert is_stale()
    result = runner.invoke(args=["search", "reindex", "--if-stale"])
    assert "Indexed" in result.output
    assert not is_stale()
