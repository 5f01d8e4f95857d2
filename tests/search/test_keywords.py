"""Popular keywords: counted with nothing about the visitor, listed only after several days, hidden by staff."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.audit import AuditRecord
from portal.auth.roles import Role
from portal.db import db
from portal.pages.models import Page
from search import keywords
from search.keyword_models import SearchTerm, SearchTermDay
from search.keywords import MIN_DAYS, count_search, forget, keyword_of, popular, set_hidden, standings

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("停水", "停水"),
        ("  台北   停水 ", "臺北 停水"),  # the index's normalisation: 台 is 臺, spaces collapsed
        ("ＡＰＰ繳費", "app繳費"),
        ("漏水減免", "漏水減免"),
    ],
)
def test_keywords_are_normalised_like_the_index(query: str, term: str) -> None:
    assert keyword_of(query) == term


@pytest.mark.parametrize(
    "query",
    [
        "王小明",  # a name
        "陳志明 水費",
        "0912345678",  # a mobile number
        "(02)2345-6789",
        "A123456789",  # a national identification number
        "someone@example.com",
        "1151126-0007",  # a case number
        "基隆市中正區中正路106號",  # an address
        "水" * 21,  # longer than a keyword
        "   ",
    ],
)
def test_what_looks_like_someone_s_details_is_never_kept(query: str) -> None:
    assert keyword_of(query) is None


@pytest.mark.usefixtures("app_context")
def test_a_term_is_listed_only_after_enough_different_days() -> None:
    for offset in range(MIN_DAYS - 1):
        for _ in range(20):  # many searches on few days are not enough
            assert count_search(db.session, "水壓不足", TODAY - timedelta(days=offset))
    assert "水壓不足" not in [keyword.term for keyword in popular(db.session, TODAY)]
    assert count_search(db.session, "水壓不足", TODAY - timedelta(days=MIN_DAYS - 1))
    listed = {keyword.term: keyword for keyword in popular(db.session, TODAY)}
    assert listed["水壓不足"].days == MIN_DAYS
    assert listed["水壓不足"].searches == 20 * (MIN_DAYS - 1) + 1


@pytest.mark.usefixtures("app_context")
def test_only_the_term_the_day_and_a_count_are_stored() -> None:
    assert count_search(db.session, "停水通知", TODAY)
    assert count_search(db.session, "停水通知", TODAY)
    term = db.session.scalar(select(SearchTerm).where(SearchTerm.term == "停水通知"))
    assert {column.key for column in SearchTerm.__table__.columns} == {"id", "term", "hidden", "hidden_at"}
    assert {column.key for column in SearchTermDay.__table__.columns} == {"id", "term_id", "day", "count"}
    day = db.session.scalar(select(SearchTermDay).where(SearchTermDay.term_id == term.id))
    assert (day.day, day.count) == (TODAY, 2)


@pytest.mark.usefixtures("app_context")
def test_a_hidden_term_stays_hidden_and_the_change_is_audited() -> None:
    for offset in range(MIN_DAYS):
        count_search(db.session, "不雅字詞", TODAY - timedelta(days=offset))
    assert "不雅字詞" in [keyword.term for keyword in popular(db.session, TODAY)]
    assert set_hidden(db.session, "不雅字詞", True)
    count_search(db.session, "不雅字詞", TODAY)
    assert "不雅字詞" not in [keyword.term for keyword in popular(db.session, TODAY)]
    assert any(
        row.hidden for row in standings(db.session, TODAY, include_hidden=True) if row.term == "不雅字詞"
    )
    audited = db.session.scalars(select(AuditRecord).where(AuditRecord.entity == "search_term")).all()
    assert [entry.action for entry in audited][-1] == "hide"
    assert not set_hidden(db.session, "從未搜尋過", True)


@pytest.mark.usefixtures("app_context")
def test_old_days_are_forgotten_and_hidden_terms_remembered() -> None:
    old = TODAY - timedelta(days=keywords.KEEP_DAYS + 1)
    count_search(db.session, "舊字詞", old)
    count_search(db.session, "舊的隱藏字詞", old)
    set_hidden(db.session, "舊的隱藏字詞", True)
    count_search(db.session, "新字詞", TODAY)
    assert forget(db.session, TODAY) == 2
    kept = set(db.session.scalars(select(SearchTerm.term)))
    assert "舊字詞" not in kept
    assert {"舊的隱藏字詞", "新字詞"} <= kept


def test_the_search_page_counts_what_found_something_and_lists_the_popular(app, client: Any) -> None:
    with app.app_context():
        db.session.add(Page(slug="keyword-page", title_zh="夜間水壓調降說明", body_zh="夜間降壓。"))
        for offset in range(1, MIN_DAYS):
            count_search(db.session, "水壓調降", keywords.local_today() - timedelta(days=offset))
        db.session.commit()
    assert client.get("/search", query_string={"q": "水壓調降"}).status_code == 200
    assert client.get("/search", query_string={"q": "水壓調降", "page": "2"}).status_code in (200, 400)
    client.get("/search", query_string={"q": "查無資料的字詞甲乙"})  # found nothing: not counted
    with app.app_context():
        counted = db.session.scalar(
            select(func.sum(SearchTermDay.count))
            .join(SearchTerm, SearchTerm.id == SearchTermDay.term_id)
            .where(SearchTerm.term == "水壓調降", SearchTermDay.day == keywords.local_today())
        )
        assert counted == 1  # the first page only
        assert db.session.scalar(select(SearchTerm.id).where(SearchTerm.term == "查無資料的字詞甲乙")) is None
    form = client.get("/search").get_data(as_text=True)
    assert "熱門關鍵字" in form
    assert "/search?q=%E6%B0%B4%E5%A3%93%E8%AA%BF%E9%99%8D" in form


def test_staff_hide_a_term_from_their_page(app, client: Any, pages: Any, sign_in) -> None:
    with app.app_context():
        for offset in range(MIN_DAYS):
            count_search(db.session, "要隱藏的字", keywords.local_today() - timedelta(days=offset))
        db.session.commit()
    assert "要隱藏的字" in client.get("/search").get_data(as_text=True)
    sign_in(Role.PUBLISHER)
    assert "要隱藏的字" in pages.get("/staff/search/keywords").get_text()
    hidden = pages.post_form(
        "/staff/search/keywords/visibility",
        {"term": "要隱藏的字", "action": "hide"},
        "/staff/search/keywords",
    )
    assert hidden.status_code == 303
    listing = pages.get("/staff/search/keywords").get_text()
    assert "已隱藏「要隱藏的字」" in listing  # the confirmation
    assert "要隱藏的字" not in client.get("/search").get_data(as_text=True)
    unknown = pages.post_form(
        "/staff/search/keywords/visibility",
        {"term": "從未搜尋過", "action": "hide"},
        "/staff/search/keywords",
    )
    assert unknown.status_code == 404
    bad = pages.post_form(
        "/staff/search/keywords/visibility", {"term": "x", "action": "drop"}, "/staff/search/keywords"
    )
    assert bad.status_code == 400


def test_staff_without_page_editing_cannot_hide(pages: Any, sign_in) -> None:
    sign_in(Role.CASE_OFFICER, office_code="KL")
    assert pages.get_response("/staff/search/keywords").status_code == 403


def test_forgetting_runs_once_a_day_however_many_timers_start_it(app, db_transaction) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["search", "forget-terms"])
    assert first.exit_code == 0, first.output
    assert "forgotten" in first.output
    again = runner.invoke(args=["search", "forget-terms"])
    assert again.exit_code == 0
    assert "Already run" in again.output
