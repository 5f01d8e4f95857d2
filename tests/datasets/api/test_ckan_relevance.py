"""CKAN's `score`: a query word in a title counts most, in a keyword less, in a description least."""

from __future__ import annotations

from types import SimpleNamespace

from datasets.api.ckan.packages import relevance


def dataset(
    title: str = "", keywords: tuple[str, ...] = (), description: str = "", title_en: str = ""
) -> SimpleNamespace:
    return SimpleNamespace(
        title_zh=title,
        title_en=title_en,
        keywords=list(keywords),
        description_zh=description,
        description_en="",
    )


def test_a_title_match_outranks_a_keyword_and_a_keyword_a_description() -> None:
    in_title = dataset(title="停水紀錄")
    in_keyword = dataset(title="供水資料", keywords=("停水",))
    in_description = dataset(title="水質檢驗", description="含停水期間的採樣")
    scores = [relevance("停水", item) for item in (in_title, in_keyword, in_description)]
    assert scores[0] > scores[1] > scores[2] > 0
    assert relevance("停水", dataset(title="水質")) == 0


def test_every_word_counts_and_case_does_not_matter() -> None:
    both = dataset(title_en="Water outages", description="outages by district")
    one = dataset(title_en="Water quality")
    assert relevance("WATER outages", both) > relevance("water outages", one) > 0
    assert relevance("", both) == 0
