"""The development outbox: mail kept as files when there is no server, listed for administrators only."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from portal.auth.roles import Role
from portal.mail import outbox_folder, send_mail
from tests.conftest import StaffAccount, log_in
from tests.support.pages import PageClient


def test_mail_is_kept_and_listed_for_administrators(
    bound_app: Callable[..., Flask], make_staff: Callable[..., StaffAccount]
) -> None:
    application = bound_app(MAIL_OUTBOX=True, MAIL_SERVER="")
    with application.app_context():
        assert send_mail(
            "ming@example.org", "案件 1151202-0001：已回覆", "您的案件已回覆。\n查詢：https://example.org"
        )
        kept = list(outbox_folder().glob("*.eml"))
    assert len(kept) == 1
    admin = make_staff(Role.ADMINISTRATOR)
    officer = make_staff(Role.CASE_OFFICER)
    pages = PageClient(application.test_client())
    assert log_in(pages, admin.username, admin.password).status_code == 302
    page = pages.get("/staff/outbox/")
    assert "案件 1151202-0001：已回覆" in page.get_text()
    assert "ming@example.org" in page.get_text()
    assert "您的案件已回覆。" in page.get_text()
    other = PageClient(application.test_client())
    assert log_in(other, officer.username, officer.password).status_code == 302
    assert other.client.get("/staff/outbox/").status_code == 403


def test_without_the_setting_there_is_no_page_and_no_file(bound_app: Callable[..., Flask]) -> None:
    application = bound_app(MAIL_SERVER="")
    with application.app_context():
        folder = outbox_folder()
        before = len(list(folder.glob("*.eml"))) if folder.exists() else 0
        assert send_mail("ming@example.org", "subject", "body")
        assert (len(list(folder.glob("*.eml"))) if folder.exists() else 0) == before
    assert "outbox.messages" not in application.view_functions
