"""The search page and `/api/v1/search`: results, nothing found, and every bad parameter a 400 in the visitor's language."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from portal.db import db
from portal.pages.models import Page


@pytest.fixture
def indexed(app: Flask, client: Any) -> list[str]:
    """Two pages the search follows: one with the words in its title, one in its body only."""
    with app.app_context():
        db.session.add_all(
            [
                Page(
                    slug="search-view-title",
                    title_zh="臺北市停水公告說明",
                    title_en="About outage notices",
                    body_zh="停水期間請儲水。",
                    body_en="Store water during outages.",
                ),
                Page(
                    slug="search-view-body",
                    title_zh="用戶須知",
                    title_en="Customer notes",
                    body_zh="颱風來臨前，請留意台北市停水訊息。",
                    body_en="Before a typhoon, watch for outage news.",
                ),
            ]
        )
        db.session.commit()
    return ["search-view-title", "search-view-body"]


def _text(response: Any) -> str:
    return response.get_data(as_text=True)


def test_the_empty_page_is_the_form(client: Any) -> None:
    page = _text(client.get("/search"))
    assert 'role="search"' in page
    assert 'name="q"' in page
    assert 'name="date_from"' in page
    assert 'name="type"' in page


def test_titles_come_first_and_the_words_are_highlighted(client: Any, indexed: list[str]) -> None:
    response = client.get("/search", query_string={"q": "台北 停水"})
    assert response.status_code == 200
    page = _text(response)
    assert page.index("/pages/search-view-title") < page.index("/pages/search-view-body")
    assert "<mark>停水</mark>" in page
    assert "<mark>台北</mark>" in page  # 臺 and 台 match; the original text is shown
    assert "<mark>停水</mark>" in page


def test_english_searches_english_texts(client: Any, indexed: list[str]) -> None:
    page = _text(client.get("/en/search", query_string={"q": "outage"}))
    assert "/en/pages/search-view-title" in page
    assert "Found" in page


def test_nothing_found_helps(client: Any) -> None:
    response = client.get("/search", query_string={"q": "不存在的字詞組合甲乙丙"})
    assert response.status_code == 200
    page = _text(response)
    assert "找不到含有「不存在的字詞組合甲乙丙」的資料" in page
    assert "/cases/lookup" in page
    assert "1910" in page


@pytest.mark.parametrize("query", ["！？。，、", "💧🚰", "...---"])
def test_punctuation_or_emoji_alone_find_nothing_without_an_error(client: Any, query: str) -> None:
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "找不到含有" in _text(response)


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        ({"q": "水" * 201}, "搜尋字詞最多 200 個字", "at most 200 characters"),
        ({"q": "水", "date_from": "2026-13-01"}, "沒有這一天", "no such day"),
        ({"q": "水", "date_from": "26/12/01"}, "YYYY-MM-DD", "YYYY-MM-DD"),
        ({"q": "水", "date_from": "1800-01-01"}, "1912-01-01", "1912-01-01"),
        (
            {"q": "水", "date_from": "2026-12-01", "date_to": "2026-01-01"},
            "結束日期不能早於起始日期",
            "end date",
        ),
        ({"q": "水", "type": "secret"}, "沒有這種資料類型", "no such kind"),
        ({"q": "水", "page": "0"}, "頁碼", "page"),
        ({"q": "水", "office": "<script>"}, "沒有這個單位", "no such office"),
    ],
)
def test_bad_parameters_are_a_400_in_the_visitor_s_language(
    client: Any, args: dict[str, str], zh: str, en: str
) -> None:
    chinese = client.get("/search", query_string=args)
    assert chinese.status_code == 400
    assert zh in _text(chinese)
    assert "<script>" not in _text(chinese)
    english = client.get("/en/search", query_string=args)
    assert english.status_code == 400
    assert en.lower() in _text(english).lower()


def test_a_query_of_ten_thousand_characters_is_refused_before_the_site_reads_it(client: Any) -> None:
    for path in ("/search", "/en/search", "/api/v1/search"):
        response = client.get(path, query_string={"q": "水" * 10_000})
        assert response.status_code == 414
        assert "網址太長" in _text(response)
        assert "URI Too Long" in _text(response)


def test_the_api_answers_json(client: Any, indexed: list[str]) -> None:
    response = client.get("/api/v1/search", query_string={"q": "停水", "type": "page"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] >= 2
    assert body["total_exact"] is True
    urls = [result["url"] for result in body["results"]]
    title, in_body = (
        next(i for i, url in enumerate(urls) if url.endswith("/pages/" + slug)) for slug in indexed
    )
    assert title < in_body  # title matches first
    first = body["results"][title]
    assert first["type"] == "page"
    assert first["date"]
    assert "<mark>停水</mark>" in first["title_html"]
    assert "<mark>" not in first["title"]


@pytest.mark.parametrize(
    ("args", "language", "words"),
    [
        ({}, "zh-TW", "請輸入要搜尋的字詞"),
        ({"q": "水" * 201}, "en", "at most 200 characters"),
        ({"q": "水", "type": "secret"}, "en", "no such kind"),
    ],
)
def test_the_api_refuses_as_problem_details(
    client: Any, args: dict[str, str], language: str, words: str
) -> None:
    response = client.get("/api/v1/search", query_string=args, headers={"Accept-Language": language})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert words.lower() in response.get_json()["detail"].lower()


def test_the_api_is_in_the_openapi_document(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    described = document["paths"]["/api/v1/search"]["get"]
    assert {parameter["name"] for parameter in described["parameters"]} == {"q", "type", "page"}
