"""Outgoing mail reaches a real SMTP server; the owner of a locked account is told."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import update
from sqlalchemy.engine import Connection

from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db
from portal.mail import send_mail
from tests.conftest import StaffAccount, log_in
from tests.support.pages import PageClient


class Inbox:
    """Collects the messages an SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_mail_goes_through_smtp(make_app: Callable[..., Flask], smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    application = make_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_FROM="portal@example.gov.tw"
    )
    with application.app_context():
        assert send_mail("someone@example.gov.tw", "測試主旨", "內文：停水通知")
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "someone@example.gov.tw"
    assert message["From"] == "portal@example.gov.tw"
    assert "停水通知" in message.get_payload(decode=True).decode("utf-8")


def test_unreachable_server_is_reported_not_raised(make_app: Callable[..., Flask], caplog) -> None:
    application = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    with application.app_context():
        assert send_mail("someone@example.gov.tw", "subject", "body") is False
    assert "mail to someone@example.gov.tw failed" in caplog.text


def test_without_a_server_mail_is_logged(make_app: Callable[..., Flask], caplog) -> None:
    application = make_app(MAIL_SERVER="")
    with application.app_context(), caplog.at_level("INFO"):
        assert send_mail("someone@example.gov.tw", "subject", "body")
    assert "no MAIL_SERVER" in caplog.text


def test_owner_is_told_when_their_name_starts_waiting(
    make_app: Callable[..., Flask],
    smtp_server: tuple[Inbox, int],
    make_staff: Callable[..., StaffAccount],
    app: Flask,
    db_transaction: Connection,
) -> None:
    inbox, port = smtp_server
    account = make_staff(Role.ANALYST)
    with app.app_context():
        db.session.execute(update(Staff).where(Staff.id == account.id).values(email="owner@example.gov.tw"))
        db.session.commit()
    application = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    db.bind_to(application, db_transaction)  # the account exists only inside the test's transaction
    client = PageClient(application.test_client())
    for _ in range(5):
        log_in(client, account.username, "wrong-password-guess")
    assert [message["To"] for message in inbox.messages] == ["owner@example.gov.tw"]
    body = inbox.messages[0].get_payload(decode=True).decode("utf-8")
    assert account.username in body
    assert "曾登入過的裝置仍可照常登入" in body, "the owner learns their own devices still work"
