"""Publishing disclosure documents: the staff form, its refusals (nothing stored), the public pages and files."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from flask import Flask
from sqlalchemy import func, select

from disclosure.documents import category_states, files_folder
from disclosure.models import DisclosureDocument, DisclosureFile
from portal.auth.roles import Role
from portal.clock import taipei_today
from portal.db import db
from search.services import search
from tests.disclosure import samples
from tests.support.pages import PageClient

NEW = "/staff/disclosure/new"
PLAN_TEXT = "基隆市暖暖區淨水場汰換計畫 預計改善供水穩定"


@pytest.fixture(scope="module")
def plan_pdf() -> bytes:
    return samples.pdf_with_text(PLAN_TEXT)


@pytest.fixture
def publisher(sign_in: Callable[..., Any]) -> Any:
    return sign_in(Role.PUBLISHER)


@dataclass(frozen=True)
class Stored:
    """A document as stored: its id and its files' ids, names and flags."""

    id: int
    published: bool
    files: list[tuple[int, str, bool, int | None]]


def stored(app: Flask, title: str) -> Stored | None:
    """The document titled `title`, read in an application context of its own.

    Requests are never made inside it: the test client would share its `g`, where
    Flask-Babel keeps the first request's language.
    """
    with app.app_context():
        document = db.session.scalar(select(DisclosureDocument).where(DisclosureDocument.title_zh == title))
        if document is None:
            return None
        files = [(item.id, item.name, item.has_text, item.pages) for item in document.files]
        return Stored(document.id, document.published, files)


def form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "category": "5",
        "title_zh": "淨水場汰換計畫",
        "title_en": "Water treatment plant renewal plan",
        "summary_zh": "暖暖淨水場設備汰換的計畫書。",
        "summary_en": "",
        "document_date": "2026-11-20",
        "office_id": "",
        "theme_code": "",
        "cake_code": "",
        "service_code": "I00",
        "source_name": "",
        "source_url": "",
        "published": "y",
    }
    values.update(overrides)
    return values


def stored_files(app: Flask) -> set[Path]:
    with app.test_request_context("/"):
        folder = files_folder()
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


def counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (
            int(db.session.scalar(select(func.count(DisclosureDocument.id))) or 0),
            int(db.session.scalar(select(func.count(DisclosureFile.id))) or 0),
        )


def publish(pages: PageClient, files: list[tuple[bytes, str]], **overrides: Any) -> Any:
    data = form(**overrides)
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return pages.post_form(NEW, data)


def test_a_document_is_published_with_its_files_and_found_by_its_words(
    app: Flask, pages: PageClient, publisher: Any, plan_pdf: bytes
) -> None:
    response = publish(
        pages, [(plan_pdf, "計畫書.pdf"), (samples.odt("淨水場汰換計畫", "可編輯版本"), "計畫書.odt")]
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    assert response.headers["Location"].endswith("/staff/disclosure?category=5")
    document = stored(app, "淨水場汰換計畫")
    assert document is not None
    assert [name for _id, name, _text, _pages in document.files] == ["計畫書.pdf", "計畫書.odt"]
    assert document.files[0][3] == 1
    page = pages.get(f"/disclosure/documents/{document.id}")
    assert page.h1.get_text(strip=True) == "淨水場汰換計畫"
    links = {a.get_text(strip=True): a["href"] for a in page.select(".file-list a")}
    download = pages.get_response(links["計畫書.pdf"])
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.data == plan_pdf
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert "inline" in download.headers["Content-Disposition"]
    odt_download = pages.get_response(links["計畫書.odt"])
    assert odt_download.mimetype == "application/vnd.oasis.opendocument.text"
    assert "attachment" in odt_download.headers["Content-Disposition"]
    assert pages.get_response(f"/disclosure/files/{document.files[0][0]}/other.pdf").status_code == 404
    # The PDF's text is in the index, in the same transaction as the document.
    with app.app_context():
        found = search("暖暖區淨水場", kind="disclosure", language="zh")
    assert [result.url for result in found.results] == [f"/disclosure/documents/{document.id}"]


def test_a_scanned_pdf_is_published_with_a_warning_and_flagged(
    app: Flask, pages: PageClient, publisher: Any
) -> None:
    response = publish(pages, [(samples.scanned_pdf(), "掃描.pdf")], title_zh="掃描的會議紀錄", category="10")
    assert response.status_code == 302
    listing = pages.get(response.headers["Location"])
    assert "掃描的影像，沒有可讀取的文字" in listing.get_text()
    document = stored(app, "掃描的會議紀錄")
    assert document is not None
    assert document.files[0][2] is False
    public = pages.get(f"/disclosure/documents/{document.id}")
    assert "掃描影像，無法搜尋或朗讀" in public.get_text()


@pytest.mark.parametrize(
    ("files", "overrides", "message"),
    [
        ([(samples.ooxml("word/"), "計畫.docx")], {}, "Word 文件（.docx）"),
        ([(samples.odt("x"), "計畫.pdf")], {}, "副檔名是 .pdf，內容卻是ODF 文件（.odt）"),
        ([(b"%PDF-1.7 broken", "壞.pdf")], {}, "已損壞或不完整"),
        ([], {}, "文件至少要有一個檔案"),
        ("ENCRYPTED", {}, "設有密碼或加密"),
        ("PLAN", {"title_zh": "<script>alert(1)</script>計畫"}, "不能含有 HTML 標記"),
        ("PLAN", {"summary_zh": "請看 <img src=x onerror=alert(1)>"}, "不能含有 HTML 標記"),
        ("PLAN", {"document_date": "1900-01-01"}, "日期須在 1945-01-01 到"),
        ("PLAN", {"document_date": "2026-02-30"}, "文件日期"),
        ("PLAN", {"source_url": "javascript:alert(1)"}, "網址格式不正確"),
        ("PLAN", {"category": "11"}, "類別"),
        ("PLAN", {"title_zh": ""}, "請輸入中文標題"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    app: Flask,
    pages: PageClient,
    publisher: Any,
    plan_pdf: bytes,
    files: Any,
    overrides: dict[str, str],
    message: str,
) -> None:
    if files == "PLAN":
        files = [(plan_pdf, "計畫.pdf")]
    elif files == "ENCRYPTED":
        files = [(samples.encrypted_pdf(plan_pdf), "加密.pdf")]
    before_files, before_counts = stored_files(app), counts(app)
    response = publish(pages, files, **overrides)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert 'class="error-summary"' in text
    assert stored_files(app) == before_files
    assert counts(app) == before_counts


def test_a_file_too_large_is_refused_before_it_is_read(app: Flask, pages: PageClient, publisher: Any) -> None:
    app.config["DISCLOSURE_FILE_MAX_MB"] = 1
    try:
        big = b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10)
        response = publish(pages, [(big, "大檔.pdf")])
    finally:
        app.config["DISCLOSURE_FILE_MAX_MB"] = 50
    assert response.status_code == 400
    assert "每個檔案最多 1 MB" in response.get_data(as_text=True)


def test_the_english_form_refuses_in_english(pages: PageClient, publisher: Any) -> None:
    data = form()
    data["files"] = [(io.BytesIO(samples.ooxml("xl/")), "data.xlsx")]
    response = pages.post_form("/en" + NEW, data)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Excel spreadsheet (.xlsx)" in text
    assert "ODF" in text


def test_files_are_added_and_removed_but_never_all(
    app: Flask, pages: PageClient, publisher: Any, plan_pdf: bytes
) -> None:
    assert publish(pages, [(plan_pdf, "一.pdf")], title_zh="檔案增減").status_code == 302
    document = stored(app, "檔案增減")
    assert document is not None
    first = document.files[0][0]
    url = f"/staff/disclosure/{document.id}"
    files_before = stored_files(app)
    data = form(title_zh="檔案增減", remove_files=str(first))
    refused = pages.post_form(url, data)
    assert refused.status_code == 400
    assert "文件至少要有一個檔案" in refused.get_data(as_text=True)
    assert stored_files(app) == files_before
    data["files"] = [(io.BytesIO(samples.odt("新版")), "二.odt")]
    assert pages.post_form(url, data).status_code == 302
    after = stored(app, "檔案增減")
    assert after is not None
    # The removed file's row and file are gone (SQLite may give its id to the new file).
    assert [name for _id, name, _text, _pages in after.files] == ["二.odt"]
    files_after = stored_files(app)
    assert len(files_before - files_after) == 1
    assert len(files_after - files_before) == 1


def test_an_unpublished_document_and_its_files_are_not_shown(
    app: Flask, pages: PageClient, publisher: Any, plan_pdf: bytes
) -> None:
    assert (
        publish(pages, [(plan_pdf, "草稿.pdf")], title_zh="尚未公開的草稿", published="").status_code == 302
    )
    document = stored(app, "尚未公開的草稿")
    assert document is not None
    assert document.published is False
    pages.get(f"/disclosure/documents/{document.id}", status=404)
    assert pages.get_response(f"/disclosure/files/{document.files[0][0]}/草稿.pdf").status_code == 404
    with app.app_context():
        assert search("尚未公開的草稿").total == 0
    assert "尚未公開的草稿" not in pages.get("/disclosure/plans-and-statistics").get_text()


def test_english_pages_show_chinese_titles_with_a_visible_note(
    app: Flask, pages: PageClient, publisher: Any, plan_pdf: bytes
) -> None:
    assert publish(pages, [(plan_pdf, "計畫.pdf")], title_zh="只有中文的文件", title_en="").status_code == 302
    document = stored(app, "只有中文的文件")
    assert document is not None
    page = pages.get(f"/en/disclosure/documents/{document.id}")
    heading = page.find("h1")
    assert heading.get_text(strip=True) == "只有中文的文件"
    assert heading["lang"] == "zh-Hant-TW"
    assert "No English version yet" in page.get_text()


def test_the_index_shows_each_category_and_its_last_update(
    pages: PageClient, publisher: Any, plan_pdf: bytes
) -> None:
    assert (
        publish(
            pages, [(plan_pdf, "契約.pdf")], title_zh="水表採購契約", category="8", document_date="2026-11-30"
        ).status_code
        == 302
    )
    page = pages.get("/disclosure/")
    rows = page.select("tbody tr")
    assert len(rows) == 10
    contracts = rows[7].get_text(" ", strip=True)
    assert contracts.startswith("8. 公共工程及採購契約")
    english = pages.get("/en/disclosure/")
    assert "Public works and procurement contracts" in english.get_text()


def test_the_feed_lists_the_newest_documents(pages: PageClient, publisher: Any, plan_pdf: bytes) -> None:
    assert publish(pages, [(plan_pdf, "預算.pdf")], title_zh="115年度預算書", category="6").status_code == 302
    response = pages.get_response("/disclosure/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title") for entry in root.findall(f"{atom}entry")]
    assert titles[0] == "115年度預算書"


def test_staff_without_the_permission_are_refused(pages: PageClient, sign_in: Callable[..., Any]) -> None:
    sign_in(Role.CASE_OFFICER)
    assert pages.get_response(NEW).status_code == 403
    assert pages.get_response("/staff/disclosure").status_code == 403


def _card_text(pages: PageClient) -> str:
    page = pages.get("/staff/")
    heading = next(h for h in page.find_all(["h2", "h3"]) if h.get_text(strip=True) == "主動公開資訊")
    return heading.find_parent(["section", "article", "div"]).get_text(" ", strip=True)


def test_the_dashboard_lists_the_categories_out_of_date_until_they_are_updated(
    app: Flask, pages: PageClient, publisher: Any, plan_pdf: bytes
) -> None:
    with app.app_context():
        behind = [state.category for state in category_states(taipei_today()) if not state.current]
    card = _card_text(pages)
    for category in behind:
        assert f"{category.number}. {category.name}" in card
    if not behind:
        assert "十個類別都在檢視期限內更新" in card
    response = publish(pages, [(plan_pdf, "紀錄.pdf")], title_zh="本月會議紀錄", category="10")
    assert response.status_code == 302
    card = _card_text(pages)
    assert "10. 合議制機關之會議紀錄" not in card
    with app.app_context():
        minutes = next(state for state in category_states(taipei_today()) if state.category.number == 10)
    assert minutes.current
    assert minutes.last_update == taipei_today()


def test_the_section_announces_its_feed(pages: PageClient) -> None:
    page = pages.get("/disclosure/")
    feed = page.find("link", attrs={"rel": "alternate", "type": "application/atom+xml"})
    assert feed["href"] == "/disclosure/feed.atom"
    catalogue = pages.get("/datasets")
    assert catalogue.find("link", attrs={"type": "application/atom+xml"}) is not None
