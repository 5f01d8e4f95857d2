"""Case mail through a real SMTP server: sent once, retried with back-off while the server is down, text erased."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select, text

from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
from feedback.cases.models import Case, CaseMail
from feedback.cases.outbox import MAX_ATTEMPTS, deliver_due, queue_mail, retry_delay
from feedback.cases.states import Channel
from portal.db import db, utcnow
from portal.mail import send_mail
from tests.portal.test_mail import Inbox, free_port

NOW = datetime(2039, 4, 1, 2, tzinfo=UTC)
DAY = date(2039, 4, 1)


@pytest.fixture
def mail_app(bound_app: Callable[..., Flask]) -> Callable[[int], Flask]:
    """Applications sending through the SMTP server on `port`, on the test's transaction."""
    return lambda port: bound_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)


def _case() -> Case:
    seed_case_types(db.session)
    calendar = OfficeCalendar({DAY + timedelta(n): False for n in range(30)})
    draft = CaseDraft(
        "inquiry", "KL", Channel.WEB, "水質", "水有異味", "鄭雅婷", contact_email="yating@example.org"
    )
    keys = IntakeKeys("p" * 40, "e" * 40)
    return open_case(
        db.session, draft, today=DAY, calendar=calendar, keys=keys, needs_confirmation=False
    ).case


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 5), (3, 15), (4, 60), (5, 240), (6, 720), (9, 720)]
)
def test_retries_back_off(attempts: int, minutes: int) -> None:
    assert retry_delay(attempts) == timedelta(minutes=minutes)


def test_a_queued_mail_reaches_the_server_once_and_its_text_is_erased(
    mail_app: Callable[[int], Flask],
) -> None:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        application = mail_app(port)
        with application.app_context():
            case = _case()
            mail = queue_mail(
                db.session, case, "receipt", "yating@example.org", "案件編號", "密碼 ACDEFGHJ", NOW
            )
            db.session.commit()
            assert deliver_due(db.session, NOW, send_mail) == (1, 0)
            assert deliver_due(db.session, NOW + timedelta(hours=1), send_mail) == (0, 0)
            stored = db.session.execute(
                text("SELECT body, sent_at FROM case_mail WHERE id = :id"), {"id": mail.id}
            ).one()
            assert stored.sent_at is not None
            assert "ACDEFGHJ" not in stored.body
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert "ACDEFGHJ" in inbox.messages[0].get_payload(decode=True).decode()


def test_while_the_server_is_down_the_case_is_kept_and_the_mail_leaves_once_it_is_back(
    mail_app: Callable[[int], Flask],
) -> None:
    port = free_port()
    application = mail_app(port)
    with application.app_context():
        case = _case()
        queue_mail(db.session, case, "receipt", "yating@example.org", "案件編號", "您的案件已收到", NOW)
        db.session.commit()
        assert deliver_due(db.session, NOW, send_mail) == (0, 1)
        mail = db.session.scalars(select(CaseMail).where(CaseMail.case_id == case.id)).one()
        assert (mail.attempts, mail.next_attempt_at, mail.sent_at) == (1, NOW + timedelta(minutes=1), None)
        assert deliver_due(db.session, NOW + timedelta(seconds=30), send_mail) == (0, 0)  # not due yet
        assert db.session.get(Case, case.id) is not None
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with application.app_context():
            assert deliver_due(db.session, NOW + timedelta(minutes=2), send_mail) == (1, 0)
    finally:
        controller.stop()
    assert [message["To"] for message in inbox.messages] == ["yating@example.org"]


def test_a_mail_that_never_leaves_is_given_up_after_the_last_attempt(app_context: None) -> None:
    case = _case()
    queue_mail(db.session, case, "receipt", "x@example.org", "s", "b", NOW)
    moment = NOW
    for _ in range(MAX_ATTEMPTS):
        deliver_due(db.session, moment, lambda *_args: False)
        moment += timedelta(days=1)
    mail = db.session.scalars(select(CaseMail).where(CaseMail.case_id == case.id)).one()
    assert mail.attempts == MAX_ATTEMPTS
    assert mail.gave_up_at is not None
    assert deliver_due(db.session, moment, lambda *_args: True) == (0, 0)


def test_a_mail_another_worker_holds_is_not_sent_twice(app_context: None) -> None:
    case = _case()
    mail = queue_mail(db.session, case, "receipt", "x@example.org", "s", "b", NOW)
    mail.claimed_until = utcnow() + timedelta(minutes=3)  # a lease in real time
    db.session.flush()
    sent: list[str] = []
    assert deliver_due(db.session, NOW, lambda to, *_rest: sent.append(to) or True) == (0, 0)
    # Catching up on a later moment's retries does not take it either: the lease is in real time.
    assert deliver_due(db.session, NOW + timedelta(days=1), lambda to, *_rest: sent.append(to) or True) == (
        0,
        0,
    )
    assert sent == []
    mail.claimed_until = utcnow() - timedelta(seconds=1)  # the other worker's lease ran out
    db.session.flush()
    assert deliver_due(
        db.session, NOW + timedelta(minutes=4), lambda to, *_rest: sent.append(to) or True
    ) == (1, 0)


def test_the_send_mail_command_sends_what_is_due(mail_app: Callable[[int], Flask]) -> None:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        application = mail_app(port)
        with application.app_context():
            case = _case()
            just_now = datetime.now(UTC) - timedelta(seconds=1)
            queue_mail(db.session, case, "receipt", "yating@example.org", "案件編號", "內文", just_now)
            db.session.commit()
        result = application.test_cli_runner().invoke(args=["cases", "send-mail"])
        assert result.exit_code == 0, result.output
        assert "1 sent, 0 failed" in result.output
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
