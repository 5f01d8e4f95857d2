"""Edits of content pages and datasets reach the index in the same transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from datasets.models import Dataset
from portal.db import db
from portal.pages.models import Page
from search.services import search

pytestmark = pytest.mark.usefixtures("app_context")


def _keys(query: str, kind: str) -> list[str]:
    return [result.source_key for result in search(query, kind=kind).results]


def test_a_new_page_is_found_after_its_commit_and_follows_its_edits() -> None:
    page = Page(
        slug="search-follow", title_zh="淨水場參訪須知", title_en="Plant visits", body_zh="請攜帶證件。"
    )
    db.session.add(page)
    db.session.commit()
    assert _keys("淨水場參訪", "page") == ["search-follow"]
    assert _keys("plant visits", "page") == ["search-follow"]

    page.title_zh = "配水池參觀須知"
    page.slug = "search-follow-2"
    db.session.commit()
    assert _keys("淨水場參訪", "page") == []
    assert _keys("配水池參觀", "page") == ["search-follow-2"]

    page.published = False
    db.session.commit()
    assert _keys("配水池參觀", "page") == []

    page.published = True
    db.session.commit()
    db.session.delete(page)
    db.session.commit()
    assert _keys("配水池參觀", "page") == []


def test_a_rolled_back_edit_leaves_the_index_alone() -> None:
    page = Page(slug="search-rollback", title_zh="臨時頁面標題", body_zh="")
    db.session.add(page)
    db.session.flush()
    db.session.rollback()
    assert _keys("臨時頁面", "page") == []


def test_a_dataset_edit_is_indexed_with_its_codes() -> None:
    dataset = db.session.scalars(select(Dataset).where(Dataset.published.is_(True))).first()
    assert dataset is not None
    dataset.title_zh = "颱風期間淨水量統計"
    db.session.commit()
    results = search("颱風期間淨水量", kind="dataset")
    assert [result.source_key for result in results.results] == [dataset.slug]
    if dataset.theme_code:
        assert search("颱風期間淨水量", classification={"theme": dataset.theme_code}).total == 1
