"""Citizens' cases through the real server: many sent at once, and one sent while the mail server is down.

A server of this module's own (`scripts/serve`, two workers) runs on the run's server
database and instance folder (so the demo is not loaded twice), with the mailbox's rate
limits raised (`RATELIMIT_CASES`, `CASES_PER_EMAIL_PER_DAY`: every submission comes from
127.0.0.1) and its SMTP settings pointed at a port that is reserved but never listened
on, so every attempt to send is refused. The run's shared server keeps its own settings.
The tests read the database with an application on the same database and instance
folder, whose keys open the sealed columns.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import func, select

from feedback.cases.models import Case, CaseEvent, CaseMail, CaseType, StaffMail
from feedback.cases.outbox import deliver_due
from portal import create_app
from portal.config import PROJECT_ROOT
from portal.db import db, utcnow
from portal.mail import send_mail
from portal.offices.models import Office
from tests.conftest import app_overrides
from tests.portal.test_mail import Inbox
from tests.server.conftest import Server, serving
from tests.support.pages import csrf_token_of

pytestmark = pytest.mark.server

SUBMISSIONS = 100
THREADS = 25
SECONDS = 120  # per request: 25 at once on two workers of a shared machine


@dataclass(frozen=True)
class MailboxServer:
    """This module's server, the port its mail goes to, and the socket that keeps that port refusing."""

    server: Server
    smtp_port: int
    reserved: socket.socket
    settings: dict[str, str]


@dataclass(frozen=True)
class Sent:
    """One submission: what was typed, and the answer."""

    subject: str
    email: str
    status: int
    number: str  # empty when the answer showed none
    password: str
    page: str


def _reserve_port() -> socket.socket:
    """A port bound but not listening: connections to it are refused until it is released."""
    reserved = socket.socket()
    reserved.bind(("127.0.0.1", 0))
    return reserved


@pytest.fixture(scope="module")
def mailbox_server(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailboxServer]:
    reserved = _reserve_port()
    port = reserved.getsockname()[1]
    settings = {
        "RATELIMIT_CASES": "100000 per minute",
        "CASES_PER_EMAIL_PER_DAY": "100000",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "MAIL_USE_TLS": "false",
    }
    log = tmp_path_factory.mktemp("mailbox-server") / "server.log"
    try:
        with serving(server.database_url, server.instance, log, **settings) as running:
            yield MailboxServer(running, port, reserved, settings)
    finally:
        reserved.close()


@pytest.fixture(scope="module")
def reader(mailbox_server: MailboxServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An application on the server's database with its keys (its instance folder), sending to the module's port."""
    server = mailbox_server.server
    application = create_app(
        app_overrides(
            server.database_url,
            server.instance,
            TESTING=False,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=mailbox_server.smtp_port,
            MAIL_USE_TLS=False,
        )
    )
    yield application
    application.extensions["portal.db"].engine.dispose()


def _choices(reader: Flask) -> tuple[list[str], list[str]]:
    """The case types the web form offers and the active offices' codes."""
    with reader.app_context():
        types = db.session.scalars(
            select(CaseType.code)
            .where(CaseType.active.is_(True), CaseType.web_intake.is_(True))
            .order_by(CaseType.sort_order)
        )
        offices = db.session.scalars(select(Office.code).where(Office.active.is_(True)).order_by(Office.code))
        return list(types), list(offices)


def _submit(url: str, subject: str, email: str, case_type: str, office: str) -> Sent:
    """What a citizen's browser does: open the form (a session and its token), then send it."""
    browser = requests.Session()
    form = browser.get(url + "/cases/new", timeout=SECONDS)
    assert form.status_code == 200, form.text[:300]
    data = {
        "csrf_token": csrf_token_of(form.text),
        "case_type": case_type,
        "district": "",
        "office": office,
        "subject": subject,
        "description": f"{subject}：從昨天晚上開始，每天早上七點水壓很低。",
        "contact_name": "林美華",
        "contact_email": email,
        "contact_phone": "",
        "consent": "y",
        "website": "",
    }
    answer = browser.post(url + "/cases/new", data=data, timeout=SECONDS)
    shown = [
        item.get_text(strip=True)
        for item in BeautifulSoup(answer.text, "html.parser").select(".case-receipt strong")
    ]
    number, password = (shown[0], shown[1]) if len(shown) >= 2 else ("", "")
    return Sent(subject, email, answer.status_code, number, password, answer.text)


def _cases_stored(reader: Flask) -> int:
    with reader.app_context():
        return db.session.scalar(select(func.count()).select_from(Case)) or 0


def test_a_hundred_cases_sent_at_once_get_a_hundred_numbers_nothing_lost_or_doubled(
    mailbox_server: MailboxServer, reader: Flask
) -> None:
    url = mailbox_server.server.url
    types, offices = _choices(reader)
    assert types
    assert offices
    run = uuid.uuid4().hex[:8]
    before = _cases_stored(reader)
    started = utcnow()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        sent = list(
            pool.map(
                lambda index: _submit(
                    url,
                    f"水壓不足 {run}-{index:03d}",  # distinct: identical texts within 24 h are refused
                    f"citizen{index}.{run}@example.org",
                    types[index % len(types)],
                    offices[index % len(offices)],
                ),
                range(SUBMISSIONS),
            )
        )
    failed = [item for item in sent if item.status != 201 or not item.number]
    assert not failed, f"{len(failed)} refused, first: {failed[0].status} {failed[0].page[:800]}"
    numbers = [item.number for item in sent]
    assert len(set(numbers)) == SUBMISSIONS, Counter(numbers).most_common(3)

    assert _cases_stored(reader) - before == SUBMISSIONS
    with reader.app_context():
        stored = {
            case.number: case for case in db.session.scalars(select(Case).where(Case.created_at >= started))
        }
        assert set(stored) == set(numbers)
        for item in sent:
            case = stored[item.number]
            assert (case.subject, case.contact_email, case.state) == (item.subject, item.email, "received")
        ids = {case.id: case.number for case in stored.values()}
        events = Counter(
            ids[case_id]
            for case_id in db.session.scalars(
                select(CaseEvent.case_id).where(CaseEvent.case_id.in_(ids), CaseEvent.kind == "received")
            )
        )
        assert events == Counter(numbers), "each case has exactly one received entry"
        mails: dict[str, list[tuple[str, str]]] = {}
        for mail in db.session.scalars(select(CaseMail).where(CaseMail.case_id.in_(ids))):
            mails.setdefault(ids[mail.case_id], []).append((mail.kind, mail.to_address))
        for item in sent:
            assert sorted(mails[item.number]) == [("confirmation", item.email), ("receipt", item.email)]


def _case_mail(reader: Flask, number: str) -> list[CaseMail]:
    with reader.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        rows = list(
            db.session.scalars(select(CaseMail).where(CaseMail.case_id == case_id).order_by(CaseMail.kind))
        )
        db.session.expunge_all()
        return rows


def _attempted(reader: Flask, number: str, seconds: float = 60) -> list[CaseMail]:
    """The case's mail once every message has been tried and no sender holds it any more."""
    deadline = time.monotonic() + seconds
    while True:
        rows = _case_mail(reader, number)
        if all(row.attempts >= 1 and row.claimed_until is None for row in rows):
            return rows
        assert time.monotonic() < deadline, [(row.kind, row.attempts, row.claimed_until) for row in rows]
        time.sleep(0.2)


def _send_mail_command(mailbox_server: MailboxServer) -> str:
    """`flask cases send-mail`, the timer's command, against the server's database with its settings."""
    server = mailbox_server.server
    env = {
        **os.environ,
        **mailbox_server.settings,
        "DATABASE_URL": server.database_url,
        "INSTANCE_PATH": str(server.instance),
    }
    flask = Path(sys.prefix) / "bin" / "flask"
    done = subprocess.run(
        [str(flask), "--app", "portal", "cases", "send-mail"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _header(message: Message, name: str) -> str:
    return str(make_header(decode_header(message[name])))


def _deliver_due_until_done(reader: Flask, now: datetime, *, expect_failures: bool = False) -> int:
    """What the timer's runs at `now` send, 50 at a time until nothing is due: citizens' and staff's mail."""
    total = 0
    with reader.app_context():
        for table in (CaseMail, StaffMail):
            while True:
                sent, failed = deliver_due(db.use_writer_session(), now, send_mail, table=table)
                assert (sent if expect_failures else failed) == 0
                total += sent
                if sent + failed == 0:
                    break
    return total


def _unsent(reader: Flask) -> int:
    """Messages of either table still to send (not sent, not given up)."""
    with reader.app_context():
        return sum(
            db.session.scalar(
                select(func.count())
                .select_from(table)
                .where(table.sent_at.is_(None), table.gave_up_at.is_(None))
            )
            or 0
            for table in (CaseMail, StaffMail)
        )


def test_a_case_sent_while_the_mail_server_is_down_is_kept_and_its_mail_leaves_once_it_is_back(
    mailbox_server: MailboxServer, reader: Flask
) -> None:
    url = mailbox_server.server.url
    types, offices = _choices(reader)
    sent = _submit(url, f"停水通知 {uuid.uuid4().hex[:8]}", "offline@example.org", types[0], offices[0])
    assert sent.status == 201, sent.page[:800]
    assert sent.number
    assert sent.password
    browser = requests.Session()
    form = browser.get(url + "/cases/lookup", timeout=SECONDS)
    data = {"csrf_token": csrf_token_of(form.text), "number": sent.number, "password": sent.password}
    found = browser.post(url + "/cases/lookup", data=data, timeout=SECONDS)
    assert found.status_code == 200
    heading = BeautifulSoup(found.text, "html.parser").select_one("h1")
    assert heading is not None
    assert heading.get_text(strip=True) == f"案件 {sent.number}"

    # Sending while nothing listens (on SQLite the server's background sender tries as well).
    assert _deliver_due_until_done(reader, utcnow(), expect_failures=True) == 0
    tried = _attempted(reader, sent.number)
    assert [row.kind for row in tried] == ["confirmation", "receipt"]
    for row in tried:
        assert (row.sent_at, row.gave_up_at) == (None, None)
        assert row.last_error
        assert row.next_attempt_at - utcnow() > timedelta(seconds=30), "retried after a back-off, not at once"
    assert sent.password in next(row.body for row in tried if row.kind == "receipt"), "kept until it leaves"

    pending = _unsent(reader)  # this case's two, and any other case's mail the down server kept
    inbox = Inbox()
    mailbox_server.reserved.close()  # the port is free for the mail server now
    controller = Controller(inbox, hostname="127.0.0.1", port=mailbox_server.smtp_port)
    controller.start()
    try:
        after_back_off = max(row.next_attempt_at for row in tried) + timedelta(seconds=1)
        assert _deliver_due_until_done(reader, after_back_off) >= 2
        _deliver_due_until_done(reader, after_back_off + timedelta(days=1))  # every later retry's time too
        assert _send_mail_command(mailbox_server).startswith("0 sent, 0 failed")  # and the timer, now
    finally:
        controller.stop()

    assert _unsent(reader) == 0
    assert len(inbox.messages) == pending, "every kept message arrived exactly once"
    ours = [message for message in inbox.messages if sent.number in _header(message, "Subject")]
    assert sorted(_header(message, "Subject")[:3] for message in ours) == ["已收到", "請確認"]
    receipt = next(message for message in ours if _header(message, "Subject").startswith("已收到"))
    assert receipt["To"] == "offline@example.org"
    payload = receipt.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    assert sent.number in body
    assert sent.password in body
    for row in _case_mail(reader, sent.number):
        assert row.sent_at is not None
        assert sent.password not in row.body, "a sent message's text is erased"
