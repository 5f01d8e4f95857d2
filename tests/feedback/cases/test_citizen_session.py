"""The citizen's side of an open case: attachments with the mailbox, the lookup session, adding information, what we hold."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from feedback.cases import citizen_session
from feedback.cases.attachments import file_path, store_attachment
from feedback.cases.calendar import office_calendar
from feedback.cases.case_types import seed_case_types
from feedback.cases.citizen_session import LookupSession, is_current
from feedback.cases.handling import move
from feedback.cases.models import Case, CaseAttachment, CaseEvent
from feedback.cases.states import CaseState
from portal.db import db, utcnow
from tests.feedback.cases import files
from tests.feedback.cases.citizen_cases import Made, new_case
from tests.feedback.cases.test_views import GOOD
from tests.support.pages import CSRF_FIELD, PageClient, check_page, csrf_token_of

MB = 1024 * 1024


# Each request must run in an application context of its own, as on a server (a context the test
# kept open would be shared by every request, with its `g`): the test opens one only to set up or check.


@pytest.fixture
def seeded(app: Flask, db_transaction: Any) -> None:
    with app.app_context():
        seed_case_types(db.session)
        db.session.commit()


def look_up(pages: PageClient, case: Made) -> Any:
    response = pages.post_form("/cases/lookup", {"number": case.number, "password": case.password})
    assert response.status_code == 200
    return response


def count(app: Flask, model: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def kinds_of(app: Flask, case: Made) -> list[str]:
    with app.app_context():
        stored = db.session.get(Case, case.id)
        assert stored is not None
        return [event.kind for event in stored.events]


def upload(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return (io.BytesIO(data), name)


def post_with_files(pages: PageClient, url: str, data: dict[str, Any], form_url: str | None = None) -> Any:
    page = pages.client.get(form_url or url)
    payload = {CSRF_FIELD: csrf_token_of(page.get_data(as_text=True)), **data}
    return pages.client.post(url, data=payload, content_type="multipart/form-data")


# --- the mailbox with attachments -----------------------------------------------------------------


def test_the_mailbox_form_is_multipart_and_offers_attachments(pages: PageClient, seeded: None) -> None:
    page = pages.get("/cases/new")
    form = page.select_one("main form")
    assert form["enctype"] == "multipart/form-data"
    field = page.select_one("#attachments")
    assert field["type"] == "file"
    assert "multiple" in field.attrs
    assert "application/pdf" in field["accept"]


def test_files_sent_with_the_mailbox_are_stored_with_the_case(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    sent = [upload(files.photo_with_gps(), "IMG_1234.JPG"), upload(files.good_pdf(), "單據.pdf")]
    response = post_with_files(pages, "/cases/new", {**GOOD, "attachments": sent})
    assert response.status_code == 201, response.get_data(as_text=True)[:800]
    number = re.findall(r"<strong[^>]*>([^<]+)</strong>", response.get_data(as_text=True))[0]
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert case is not None
        stored = list(db.session.scalars(select(CaseAttachment).where(CaseAttachment.case_id == case.id)))
        assert sorted((item.name, item.media_type, item.from_citizen) for item in stored) == [
            ("IMG_1234.jpg", "image/jpeg", True),
            ("單據.pdf", "application/pdf", True),
        ]
        assert all(file_path(item.storage_key).is_file() for item in stored)


@pytest.mark.parametrize(
    ("attachments", "words"),
    [
        ([upload(files.windows_program(), "照片.jpg")], "Windows 程式"),
        ([upload(files.broken_pdf(), "申請書.pdf")], "損壞"),
        ([upload(files.encrypted_pdf(), "帳單.pdf")], "密碼"),
        ([upload(files.decompression_bomb(), "地圖.png")], "像素太多"),
        ([upload(files.plain_png(), f"{n}.png") for n in range(6)], "最多只能附加 5 個檔案"),
    ],
    ids=["lying-extension", "broken-pdf", "encrypted-pdf", "decompression-bomb", "too-many"],
)
def test_a_refused_attachment_stores_nothing_and_keeps_what_was_typed(
    app: Flask, pages: PageClient, seeded: None, attachments: list[Any], words: str
) -> None:
    before = (count(app, Case), count(app, CaseAttachment))
    response = post_with_files(pages, "/cases/new", {**GOOD, "attachments": attachments})
    assert response.status_code == 400
    page = check_page(response, "/cases/new")
    link = page.select_one(".error-summary a[href='#attachments']")
    assert link is not None, "the summary links to the field"
    assert words in link.get_text()
    assert "重新選擇附件" in page.select_one("#attachments-error").get_text(), (
        "files cannot be kept: it says so"
    )
    assert page.select_one("#subject")["value"] == GOOD["subject"]
    assert page.select_one("#description").get_text().strip() == GOOD["description"]
    assert (count(app, Case), count(app, CaseAttachment)) == before


def test_a_50_mb_image_is_refused_from_its_size_without_being_read(
    app: Flask, pages: PageClient, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedback.cases import attachment_fields

    def never(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the file was read")

    monkeypatch.setattr(attachment_fields, "examine", never)
    huge = b"\xff\xd8\xff\xe0" + b"\x00" * (50 * MB)
    before = count(app, Case)
    response = post_with_files(pages, "/cases/new", {**GOOD, "attachments": [upload(huge, "大照片.jpg")]})
    assert response.status_code == 400
    page = check_page(response, "/cases/new")
    assert "每個檔案最多 10 MB" in page.select_one("#attachments-error").get_text()
    assert count(app, Case) == before


def test_other_errors_say_that_chosen_files_must_be_chosen_again(pages: PageClient, seeded: None) -> None:
    response = post_with_files(
        pages, "/cases/new", {**GOOD, "subject": "", "attachments": [upload(files.plain_png(), "a.png")]}
    )
    assert response.status_code == 400
    page = check_page(response, "/cases/new")
    assert page.select_one("#subject-error") is not None
    assert "重新選擇附件" in page.select_one("#attachments-error").get_text()


@pytest.fixture
def small_limits(bound_app: Callable[..., Flask]) -> Flask:
    return bound_app(CASE_ATTACHMENT_MAX_MB=1, CASE_ATTACHMENTS_MAX=2)


@pytest.mark.parametrize(("prefix", "words"), [("", "上傳的內容太大"), ("/en", 'lang="en"')])
def test_a_request_over_the_upload_limit_gets_the_413_page_in_the_visitors_language(
    app: Flask, small_limits: Flask, seeded: None, prefix: str, words: str
) -> None:
    pages = PageClient(small_limits.test_client())
    before = count(app, Case)
    too_big = [upload(b"\xff\xd8\xff" + b"\x00" * (4 * MB), "a.jpg")]
    response = post_with_files(pages, f"{prefix}/cases/new", {**GOOD, "attachments": too_big})
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert words in response.get_data(as_text=True)
    assert count(app, Case) == before


# --- the lookup session ---------------------------------------------------------------------------


def test_a_lookup_opens_a_session_in_which_the_status_page_is_reached_by_get(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    assert pages.get_response("/cases/status").status_code == 303, "no session yet: to the lookup page"
    case = new_case(app)
    look_up(pages, case)
    response = pages.client.get("/cases/status")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = check_page(response, "/cases/status")
    assert page.select_one("h1").get_text() == f"案件 {case.number}"
    assert page.select_one("form[action$='/cases/status/add']")["enctype"] == "multipart/form-data"
    assert "huang@example.org" not in response.get_data(as_text=True)
    english = pages.get("/en/cases/status")
    assert english.select_one("html")["lang"] == "en"


def test_the_cookie_carries_only_the_case_id_and_times(app: Flask, pages: PageClient, seeded: None) -> None:
    case = new_case(app)
    look_up(pages, case)
    with pages.client.session_transaction() as stored:
        value = stored[citizen_session.SESSION_KEY]
    assert set(value) == {"case", "id", "started", "seen"}
    assert value["case"] == case.id
    assert case.password not in json.dumps(value)


def test_the_session_ends_when_idle_or_too_old() -> None:
    started = 1_000_000.0
    fresh = LookupSession(1, "x", started, started)
    assert is_current(fresh, started + 29 * 60)
    assert not is_current(fresh, started + 31 * 60), "30 idle minutes"
    busy = LookupSession(1, "x", started, started + 3 * 3600 - 60)
    assert not is_current(busy, started + 3 * 3600 + 1), "3 hours however busy"
    assert citizen_session.read_state({"case": "1", "id": "x", "started": 1, "seen": 1}) is None


def test_an_expired_session_sends_the_visitor_back_saying_why(
    app: Flask, pages: PageClient, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = new_case(app)
    look_up(pages, case)
    later = citizen_session.time.time() + 31 * 60
    monkeypatch.setattr(citizen_session.time, "time", lambda: later)
    response = pages.client.get("/cases/status")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/cases/lookup")
    lookup = pages.get("/cases/lookup")
    assert "查詢已逾時或已結束" in lookup.get_text()


def leave(pages: PageClient) -> None:
    status = pages.client.get("/cases/status")
    token = csrf_token_of(status.get_data(as_text=True))
    assert pages.client.post("/cases/status/leave", data={CSRF_FIELD: token}).status_code == 303


def test_leaving_ends_the_session_even_for_a_copy_of_the_cookie(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    case = new_case(app)
    look_up(pages, case)
    with pages.client.session_transaction() as stored:
        copy = dict(stored)
    leave(pages)
    assert pages.client.get("/cases/status").status_code == 303
    assert "已結束查詢" in pages.get("/cases/lookup").get_text()
    with pages.client.session_transaction() as stored:
        stored.update(copy)  # the cookie as it was before leaving
    assert pages.client.get("/cases/status").status_code == 303, "the copy opens nothing"


def test_files_are_given_only_for_the_sessions_own_case(app: Flask, pages: PageClient, seeded: None) -> None:
    case, other = new_case(app), new_case(app)
    with app.app_context():
        mine_case, other_case = db.session.get(Case, case.id), db.session.get(Case, other.id)
        assert mine_case is not None
        assert other_case is not None
        mine = store_attachment(db.session, mine_case, files.plain_png(), "mine.png", from_citizen=True).id
        theirs = store_attachment(
            db.session, other_case, files.plain_png(), "theirs.png", from_citizen=True
        ).id
        note = CaseEvent(kind="note", body="內部：請查水錶", public=False)
        reply = CaseEvent(
            kind="reply", body="附上檢驗報告", public=True, state_from="assigned", state_to="replied"
        )
        mine_case.events.extend([note, reply])
        db.session.flush()
        internal = store_attachment(
            db.session, mine_case, files.good_pdf(), "內部簽呈.pdf", from_citizen=False, event=note
        ).id
        public = store_attachment(
            db.session, mine_case, files.good_pdf(), "檢驗報告.pdf", from_citizen=False, event=reply
        ).id
        db.session.commit()
    look_up(pages, case)
    own = pages.client.get(f"/cases/status/attachments/{mine}")
    assert own.status_code == 200
    assert own.headers["Cache-Control"] == "private, no-store"
    assert own.data.startswith(b"\x89PNG")
    assert pages.client.get(f"/cases/status/attachments/{public}").status_code == 200
    assert pages.client.get(f"/cases/status/attachments/{theirs}").status_code == 404
    assert pages.client.get(f"/cases/status/attachments/{internal}").status_code == 404
    assert pages.client.get("/cases/status/attachments/999999").status_code == 404
    page = pages.get("/cases/status")
    names = [link.get_text() for link in page.select(".attachment-list a")]
    assert sorted(names) == ["mine.png", "檢驗報告.pdf"]


# --- adding information ---------------------------------------------------------------------------


def add(pages: PageClient, data: dict[str, Any]) -> Any:
    return post_with_files(pages, "/cases/status/add", data, form_url="/cases/status")


def test_adding_information_to_a_waiting_case_resumes_its_clock(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    case = new_case(app, CaseState.WAITING)
    look_up(pages, case)
    photo = [upload(files.photo_with_gps(), "水錶.jpg")]
    response = add(pages, {"text": "補上水錶照片與地址：愛三路 1 號", "attachments": photo})
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    with app.app_context():
        stored = db.session.get(Case, case.id)
        assert stored is not None
        assert stored.state == CaseState.IN_PROGRESS
        added = [event for event in stored.events if event.kind == "citizen_added"]
        assert len(added) == 1
        assert (added[0].public, added[0].body) == (True, "補上水錶照片與地址：愛三路 1 號")
        moved = [event.state_to for event in stored.events if event.state_from == "waiting"]
        assert moved == ["in_progress"], "through handling.move"
        raw = db.session.execute(text("SELECT body FROM case_event WHERE id = :id"), {"id": added[0].id})
        assert "愛三路" not in raw.scalar_one(), "sealed"
        with_entry = db.session.scalars(select(CaseAttachment).where(CaseAttachment.event_id == added[0].id))
        assert [(item.name, item.from_citizen) for item in with_entry] == [("水錶.jpg", True)]
    page = pages.get("/cases/status")
    assert "已收到您補充的資料" in page.get_text()
    assert "補上水錶照片" in page.select_one(".timeline").get_text()


def test_a_closed_case_refuses_added_information_with_the_reason(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    case = new_case(app, CaseState.CLOSED)
    look_up(pages, case)
    before = (kinds_of(app, case), count(app, CaseAttachment))
    response = add(pages, {"text": "還有一件事", "attachments": [upload(files.plain_png(), "a.png")]})
    assert response.status_code == 409
    page = check_page(response, "/cases/status/add")
    assert "已經結案，無法再補充資料" in page.select_one(".error-summary").get_text()
    assert (kinds_of(app, case), count(app, CaseAttachment)) == before


def test_an_empty_addition_or_a_bad_file_is_refused_and_nothing_is_stored(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    case = new_case(app)
    look_up(pages, case)
    empty = add(pages, {"text": "  "})
    assert empty.status_code == 400
    assert check_page(empty, "/cases/status/add").select_one("#text-error") is not None
    bad = add(pages, {"text": "附件", "attachments": [upload(files.windows_program(), "帳單.pdf")]})
    assert bad.status_code == 400
    page = check_page(bad, "/cases/status/add")
    assert page.select_one(".error-summary a[href='#attachments']") is not None
    assert page.select_one("#text").get_text().strip() == "附件", "what was typed is kept"
    assert kinds_of(app, case) == ["received"]


def test_a_forged_or_replayed_form_adds_nothing(app: Flask, pages: PageClient, seeded: None) -> None:
    case = new_case(app)
    look_up(pages, case)
    forged = pages.client.post("/cases/status/add", data={"text": "沒有權杖"})
    assert forged.status_code == 400
    status = pages.client.get("/cases/status")
    token = csrf_token_of(status.get_data(as_text=True))
    with pages.client.session_transaction() as stored:
        copy = dict(stored)
    leave(pages)
    with pages.client.session_transaction() as stored:
        stored.update(copy)
    replayed = pages.client.post("/cases/status/add", data={CSRF_FIELD: token, "text": "重送"})
    assert replayed.status_code == 303
    assert replayed.headers["Location"].endswith("/cases/lookup")
    stranger = app.test_client()
    assert stranger.post("/cases/status/add", data={"text": "別人"}).status_code == 303
    assert kinds_of(app, case) == ["received"]


# --- what we hold ---------------------------------------------------------------------------------


def test_the_data_download_holds_the_citizens_data_and_the_public_timeline_only(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    case = new_case(app, address="基隆市仁愛區愛三路1號")
    with app.app_context():
        stored = db.session.get(Case, case.id)
        assert stored is not None
        stored.events.append(CaseEvent(kind="note", body="內部註記：疑似重複陳情", public=False))
        move(
            stored,
            CaseState.REPLIED,
            calendar=office_calendar(),
            now=utcnow(),
            staff_id=None,
            reply="已派員更換水錶",
        )
        db.session.commit()
    look_up(pages, case)
    response = pages.client.get("/cases/status/data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="case-{case.number}.json"'
    )
    record = response.get_json()
    assert record["number"] == case.number
    assert record["you_gave_us"] == {
        "name": "黃志明", "email": "huang@example.org", "phone": "0912-000-111",
        "address": "基隆市仁愛區愛三路1號", "district": None, "subject": "水錶漏水", "description": "水錶箱一直滴水",
    }  # fmt: skip
    assert [entry["kind"] for entry in record["timeline"]][:2] == ["received", "reply"]
    assert any(entry["text"] == "已派員更換水錶" for entry in record["timeline"])
    body = response.get_data(as_text=True)
    assert "疑似重複" not in body
    assert "staff" not in body
    assert "password" not in body
    assert "email_key" not in body
    printable = pages.get("/cases/status/data")
    assert "黃志明" in printable.get_text()
    assert "疑似重複" not in printable.get_text()


def test_without_a_session_every_page_of_it_goes_to_the_lookup(pages: PageClient, seeded: None) -> None:
    for url in (
        "/cases/status",
        "/cases/status/data",
        "/cases/status/data.json",
        "/cases/status/attachments/1",
    ):
        response = pages.get_response(url)
        assert response.status_code == 303, url
        assert response.headers["Location"].endswith("/cases/lookup")


def test_a_purged_case_shows_what_is_left_and_takes_nothing(
    app: Flask, pages: PageClient, seeded: None
) -> None:
    case = new_case(app, CaseState.CLOSED)
    with app.app_context():
        stored = db.session.get(Case, case.id)
        assert stored is not None
        stored.purged_at = datetime(2030, 1, 1, tzinfo=UTC)
        stored.contact_name = stored.subject = stored.description = ""
        stored.contact_email = stored.contact_phone = None
        db.session.commit()
    look_up(pages, case)
    page = pages.get("/cases/status")
    assert "刪除了個人資料" in page.get_text()
    assert page.select_one("form[action$='/cases/status/add']") is None
