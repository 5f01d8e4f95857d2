"""Staff intake at the counter, on the phone and from letters: review, read-back, the PDF receipt."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from feedback.cases.models import Case, CaseMail
from portal.auth.roles import Role
from portal.db import db
from tests.feedback.cases.staff.conftest import token
from tests.support.pages import PageClient

FORM = {
    "channel": "phone",
    "case_type": "complaint",
    "office": "KL",
    "language": "zh",
    "subject": "路面漏水",
    "description": "信二路口人孔蓋旁持續冒水",
    "contact_name": "張志明",
    "contact_email": "chih.ming@example.org",
    "contact_phone": "0922-111-222",
    "address": "",
    "notice_given": "y",
}


@pytest.fixture
def officer(client_as: Callable[..., Any]) -> tuple[PageClient, Any]:
    return client_as(Role.CASE_OFFICER, office_code="KL")


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Case)) or 0


def send(pages: PageClient, **fields: Any) -> Any:
    return pages.client.post(
        "/staff/cases/new", data={"csrf_token": token(pages, "/staff/cases/new"), **FORM, **fields}
    )


def test_a_phone_case_is_reviewed_read_back_and_saved_with_its_channel_and_officer(
    officer: tuple[PageClient, Any],
) -> None:
    pages, account = officer
    before = stored()
    review = send(pages, review="y")
    assert review.status_code == 200
    assert "請向民眾逐項複誦" in review.get_data(as_text=True)
    assert stored() == before
    unread = send(pages, save="y")
    assert unread.status_code == 400
    assert "請先向民眾複誦內容並確認無誤" in unread.get_data(as_text=True)
    assert stored() == before
    saved = send(pages, save="y", read_back="y")
    assert saved.status_code == 201
    assert saved.headers["Cache-Control"] == "no-store"
    number, password = re.findall(r"<strong>([^<]+)</strong>", saved.get_data(as_text=True))[:2]
    case = db.session.scalar(select(Case).where(Case.number == number))
    assert case is not None
    assert (case.channel, case.state, case.received_by_id) == ("phone", "assigned", account.id)
    assert case.due_on is not None
    assert password not in case.password_hash
    mails = db.session.scalars(select(CaseMail).where(CaseMail.case_id == case.id)).all()
    assert [mail.kind for mail in mails] == ["receipt"]
    assert password in mails[0].body


def test_a_letter_needs_no_read_back(officer: tuple[PageClient, Any]) -> None:
    pages, _account = officer
    assert send(pages, channel="letter", save="y").status_code == 201


def test_going_back_from_the_review_keeps_what_was_typed(officer: tuple[PageClient, Any]) -> None:
    pages, _account = officer
    page = send(pages, edit="y").get_data(as_text=True)
    assert "信二路口人孔蓋旁持續冒水" in page
    assert 'value="張志明"' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subject": ""}, "請填寫主旨"),
        ({"subject": "長" * 101}, "最多 100 個字"),
        ({"contact_email": "", "contact_phone": "", "address": ""}, "至少填一項"),
        ({"case_type": "no-such-type"}, "不是有效的選擇"),
        ({"office": "ZZ"}, "不是有效的選擇"),
        ({"notice_given": ""}, "請先告知民眾個人資料蒐集事項"),
        ({"description": "<script>alert(1)</script>"}, None),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_stored(
    officer: tuple[PageClient, Any], fields: dict[str, str], message: str | None
) -> None:
    pages, _account = officer
    before = stored()
    response = send(pages, save="y", read_back="y", **fields)
    if message is None:  # script is kept as text, never as markup
        assert response.status_code == 201
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
        return
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored() == before


def test_the_receipt_is_a_chinese_pdf_with_the_number_password_and_lookup_link(
    officer: tuple[PageClient, Any], tmp_path: Path
) -> None:
    pages, _account = officer
    saved = send(pages, channel="counter", save="y", read_back="y").get_data(as_text=True)
    number, password = re.findall(r"<strong>([^<]+)</strong>", saved)[:2]
    response = pages.client.post(
        f"/staff/cases/{number}/receipt.pdf", data={"csrf_token": token(pages), "password": password}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        number,
        password,
        "案件收件回執",
        "陳情與申訴",
        f"/cases/lookup?number={number}",
        "民國",
    ):
        assert expected in text.replace("\n", ""), expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


def test_an_english_speaker_s_receipt_and_mail_link_to_the_english_lookup_page(
    officer: tuple[PageClient, Any], tmp_path: Path
) -> None:
    pages, _account = officer
    saved = send(pages, channel="counter", language="en", save="y", read_back="y").get_data(as_text=True)
    number, password = re.findall(r"<strong>([^<]+)</strong>", saved)[:2]
    response = pages.client.post(
        f"/staff/cases/{number}/receipt.pdf", data={"csrf_token": token(pages), "password": password}
    )
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"/en/cases/lookup?number={number}" in text.replace("\n", "")
    case = db.session.scalar(select(Case).where(Case.number == number))
    assert case is not None
    (mail,) = db.session.scalars(select(CaseMail).where(CaseMail.case_id == case.id)).all()
    assert f"/en/cases/lookup?number={number}" in mail.body


def test_a_receipt_with_a_wrong_password_is_refused(
    officer: tuple[PageClient, Any], open_today: Callable[..., Any]
) -> None:
    case = open_today("KL").case
    pages, _account = officer
    response = pages.client.post(
        f"/staff/cases/{case.number}/receipt.pdf", data={"csrf_token": token(pages), "password": "AAAAAAAA"}
    )
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def test_the_officer_who_took_a_case_for_another_office_prints_its_receipt(
    officer: tuple[PageClient, Any], client_as: Callable[..., Any]
) -> None:
    pages, _account = officer
    saved = send(pages, channel="counter", office="XZ", save="y", read_back="y").get_data(as_text=True)
    number, password = re.findall(r"<strong>([^<]+)</strong>", saved)[:2]
    assert "前往案件頁面" not in saved  # no link to a page that would answer 404
    response = pages.client.post(
        f"/staff/cases/{number}/receipt.pdf", data={"csrf_token": token(pages), "password": password}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert pages.client.get(f"/staff/cases/{number}").status_code == 404  # the case itself is Xizhi's
    colleague, _other = client_as(Role.CASE_OFFICER, office_code="KL")
    refused = colleague.client.post(
        f"/staff/cases/{number}/receipt.pdf", data={"csrf_token": token(colleague), "password": password}
    )
    assert refused.status_code == 404
