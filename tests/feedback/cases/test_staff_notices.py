"""Staff mail: the assignment notice and the daily digest, what they say (no citizen's data) and that they leave once.

Mail goes through a real SMTP server (aiosmtpd). The digest tests put their officers
in an office of their own, so the demo's cases (in the demo's offices) stay out of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from feedback.cases import staff_notices
from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.handling import local_day
from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
from feedback.cases.models import Case, OfficeDay, StaffMail
from feedback.cases.outbox import deliver_due
from feedback.cases.staff_notices import (
    Recipient,
    due_horizon,
    group_digests,
    notify_assignment,
    officer_locale,
    queue_daily_digests,
    staff_case_url,
)
from feedback.cases.states import CaseState, Channel
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db, utcnow
from portal.mail import send_mail
from portal.offices.models import Office
from tests.conftest import StaffAccount
from tests.portal.test_mail import Inbox, free_port

NOW = datetime(2039, 3, 4, 1, tzinfo=UTC)  # 09:00 on Friday 4 March 2039 in Taipei
TODAY = date(2039, 3, 4)
CALENDAR = OfficeCalendar(
    {TODAY + timedelta(n): (TODAY + timedelta(n)).weekday() >= 5 for n in range(-60, 60)}
)
KEYS = IntakeKeys("p" * 40, "e" * 40)
CITIZEN = (
    "陳淑芬",
    "shufen.0042@example.org",
    "(02) 0123-4567",
    "基隆市仁愛區愛三路",
    "水壓太低",
    "我家三樓早上都沒有水",
)


@pytest.fixture
def office(app_context: None) -> Office:
    """An office of the test's own, with no demo case in it."""
    seed_case_types(db.session)
    office = Office(code="TST", name_zh="測試服務所", name_en="Test Office", sort_order=99)
    db.session.add(office)
    db.session.commit()
    return office


@pytest.fixture
def officer(make_staff: Callable[..., StaffAccount], office: Office) -> Callable[..., Staff]:
    """Case officers of the test office, with an e-mail address unless told otherwise."""

    def factory(email: str | None = "officer@example.gov.tw") -> Staff:
        account = make_staff(Role.CASE_OFFICER, office_code="TST")
        staff = db.session.get(Staff, account.id)
        assert staff is not None
        staff.email = email
        db.session.commit()
        return staff

    return factory


def _case(day: date = TODAY, type_code: str = "complaint", calendar: OfficeCalendar = CALENDAR) -> Case:
    name, email, phone, address, subject, description = CITIZEN
    draft = CaseDraft(type_code, "TST", Channel.PHONE, subject, description, name, email, phone, address)
    return open_case(
        db.session, draft, today=day, calendar=calendar, keys=KEYS, needs_confirmation=False
    ).case


def _no_citizen_data(text: str) -> None:
    for value in CITIZEN:
        assert value not in text


@dataclass
class Held:
    """A case for the pure grouping."""

    assigned_to_id: int | None
    office_id: int
    name: str


def test_digests_group_each_officers_cases_and_their_offices_unassigned_ones() -> None:
    cases = [
        Held(1, 10, "mine"),
        Held(2, 10, "bs"),
        Held(None, 10, "queue"),
        Held(99, 10, "a disabled account's"),
        Held(None, 20, "other office"),
    ]
    officers = [Recipient(1, 10), Recipient(2, 10), Recipient(3, 20), Recipient(4, 30), Recipient(5, None)]
    digests = group_digests(cases, officers)
    assert {
        key: ([c.name for c in mine], [c.name for c in office]) for key, (mine, office) in digests.items()
    } == {
        1: (["mine"], ["queue", "a disabled account's"]),
        2: (["bs"], ["queue", "a disabled account's"]),
        3: ([], ["other office"]),
    }  # 4 and 5 have nothing: no digest


def test_the_horizon_counts_working_days_and_falls_back_to_days_past_the_calendar() -> None:
    assert due_horizon(TODAY, 2, CALENDAR) == date(2039, 3, 8)  # Friday + 2 working days: Tuesday
    assert due_horizon(TODAY, 0, CALENDAR) == TODAY
    assert due_horizon(date(2045, 1, 2), 2, CALENDAR) == date(2045, 1, 4)


def test_the_officers_language_is_used_when_the_account_has_one() -> None:
    @dataclass
    class English:
        language: str = "en"

    assert officer_locale(English()) == "en"  # type: ignore[arg-type]
    assert officer_locale(object()) == "zh_Hant_TW"  # type: ignore[arg-type]


def test_an_assignment_notice_names_the_case_and_nothing_of_the_citizen(
    officer: Callable[..., Staff],
) -> None:
    staff = officer()
    case = _case()
    mail = notify_assignment(db.session, case, staff, NOW)
    assert mail is not None
    assert (mail.to_address, mail.staff_id, mail.case_id, mail.kind) == (
        staff.email,
        staff.id,
        case.id,
        "assignment",
    )
    assert case.number in mail.subject
    assert "陳情與申訴" in mail.subject
    assert f"/staff/cases/{case.number}" in mail.body
    assert "測試服務所" in mail.body
    assert case.due_on is not None
    assert case.due_on.isoformat() in mail.body
    _no_citizen_data(mail.subject + mail.body)


def test_the_link_is_the_staff_page_absolute_with_the_site_url_or_in_a_request(
    app: Flask, bound_app: Callable[..., Flask], office: Office
) -> None:
    number = "1280304-0001"
    assert staff_case_url(number, "zh_Hant_TW") == f"/staff/cases/{number}"
    assert staff_case_url(number, "en") == f"/en/staff/cases/{number}"
    with app.test_request_context("/en/staff/cases/"):
        assert staff_case_url(number, "zh_Hant_TW") == f"http://localhost/staff/cases/{number}"
    with bound_app(SITE_URL="https://portal.example.gov.tw").app_context():
        assert staff_case_url(number, "en") == f"https://portal.example.gov.tw/en/staff/cases/{number}"


def test_no_notice_without_an_address_or_to_an_officer_who_took_the_case(
    officer: Callable[..., Staff],
) -> None:
    case = _case()
    assert notify_assignment(db.session, case, officer(email=None), NOW) is None
    staff = officer()
    assert notify_assignment(db.session, case, staff, NOW, assigned_by=staff) is None
    assert db.session.scalars(select(StaffMail).where(StaffMail.case_id == case.id)).all() == []


def test_a_notice_that_cannot_be_written_never_fails_the_assignment(
    officer: Callable[..., Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("the notice could not be written")

    monkeypatch.setattr(staff_notices, "assignment_notice", broken)
    staff = officer()
    case = _case()
    case.assigned_to_id = staff.id
    assert notify_assignment(db.session, case, staff, NOW) is None
    db.session.commit()  # the assignment itself is stored
    assert db.session.get(Case, case.id).assigned_to_id == staff.id  # type: ignore[union-attr]


def test_assigning_on_the_staff_side_queues_the_notice(officer: Callable[..., Staff]) -> None:
    assignment = pytest.importorskip("feedback.cases.staff.assignment")
    staff, chief = officer(), officer(email="chief@example.gov.tw")
    case = _case()
    assert assignment.assign(db.session, case, staff.id, actor=chief, now=NOW)
    queued = db.session.scalars(select(StaffMail).where(StaffMail.case_id == case.id)).all()
    assert [(mail.to_address, mail.kind) for mail in queued] == [(staff.email, "assignment")]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_a_notice_reaches_the_officer_once_and_a_failed_send_is_retried(
    bound_app: Callable[..., Flask], officer: Callable[..., Staff]
) -> None:
    staff = officer()
    case = _case()
    mail = notify_assignment(db.session, case, staff, NOW)
    assert mail is not None
    db.session.commit()
    mail_id, number, email = mail.id, case.number, staff.email
    down = bound_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    with down.app_context():
        assert deliver_due(db.session, NOW, send_mail, table=StaffMail) == (0, 1)
        held = db.session.get(StaffMail, mail_id)
        assert held is not None
        assert (held.attempts, held.sent_at, held.next_attempt_at) == (1, None, NOW + timedelta(minutes=1))
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = bound_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
        with up.app_context():
            later = NOW + timedelta(minutes=2)
            assert deliver_due(db.session, later, send_mail, table=StaffMail) == (1, 0)
            assert deliver_due(db.session, later + timedelta(hours=1), send_mail, table=StaffMail) == (0, 0)
            assert db.session.get(StaffMail, mail_id).body == ""  # type: ignore[union-attr]
    finally:
        controller.stop()
    assert [message["To"] for message in inbox.messages] == [email]
    assert number in str(inbox.messages[0]["Subject"]) or number in _body(inbox.messages[0])
    assert f"/staff/cases/{number}" in _body(inbox.messages[0])
    _no_citizen_data(_body(inbox.messages[0]))


def _desk(officer: Callable[..., Staff]) -> dict[str, Case]:
    """Two officers with cases: past due, due tomorrow, due later, waiting, and unassigned ones."""
    first, second = officer("first@example.gov.tw"), officer("second@example.gov.tw")
    cases = {
        name: _case(TODAY - timedelta(days=20))
        for name in ("late", "soon", "later", "waiting", "queue", "mine2")
    }
    due = {"late": -3, "soon": 1, "later": 12, "waiting": -1, "queue": 2, "mine2": 0}
    for name, case in cases.items():
        case.due_on = TODAY + timedelta(days=due[name])
        case.state = CaseState.IN_PROGRESS.value
        case.assigned_to_id = None if name == "queue" else (second.id if name == "mine2" else first.id)
    cases["waiting"].state = CaseState.WAITING.value
    db.session.flush()
    return cases


def test_the_digest_lists_what_is_past_due_or_due_soon_and_the_offices_unassigned_cases(
    officer: Callable[..., Staff],
) -> None:
    cases = _desk(officer)
    officer(email="idle@example.gov.tw")  # nothing on their desk, but the office's queue is theirs too
    assert queue_daily_digests(db.session, NOW, CALENDAR, within_days=2) == 3
    digests = {
        mail.to_address: mail
        for mail in db.session.scalars(select(StaffMail).where(StaffMail.kind == "digest"))
    }
    assert set(digests) == {"first@example.gov.tw", "second@example.gov.tw", "idle@example.gov.tw"}
    body = digests["first@example.gov.tw"].body
    assert cases["late"].number in body
    assert cases["soon"].number in body
    assert cases["queue"].number in body
    assert cases["later"].number not in body  # due beyond the horizon
    assert cases["waiting"].number not in body  # the citizen owes the next step
    assert cases["mine2"].number not in body  # someone else's
    assert (
        body.index(cases["late"].number)
        < body.index(cases["soon"].number)
        < body.index(cases["queue"].number)
    )
    assert "已逾期" in body
    assert "2039-03-08" in body  # the horizon
    assert digests["first@example.gov.tw"].subject.endswith("3 件")
    assert cases["mine2"].number in digests["second@example.gov.tw"].body
    assert cases["queue"].number in digests["idle@example.gov.tw"].body
    for mail in digests.values():
        _no_citizen_data(mail.subject + mail.body)
    assert queue_daily_digests(db.session, NOW + timedelta(hours=3), CALENDAR, within_days=2) is None


def test_no_digest_on_a_day_off(officer: Callable[..., Staff]) -> None:
    _desk(officer)
    saturday = NOW + timedelta(days=1)
    assert queue_daily_digests(db.session, saturday, CALENDAR, within_days=2) == 0
    assert db.session.scalars(select(StaffMail)).all() == []


def test_the_daily_command_mails_one_digest_however_often_it_runs(
    app: Flask, bound_app: Callable[..., Flask], officer: Callable[..., Staff], smtp: tuple[Inbox, int]
) -> None:
    today = local_day(utcnow())
    # Whatever day the suite runs on, the calendar makes it a working day (a make-up day when it is not).
    day = db.session.get(OfficeDay, today)
    if day is None:
        db.session.add(OfficeDay(day=today, year=today.year, day_off=False))
    else:
        day.day_off = False
    staff = officer()
    case = _case(
        today - timedelta(days=1), calendar=OfficeCalendar({today - timedelta(1): False, today: False})
    )
    case.assigned_to_id, case.due_on = staff.id, today - timedelta(days=1)
    db.session.commit()
    inbox, port = smtp
    keys = app.config["CASE_DATA_KEYS"]  # the demo's cases are sealed with the suite's keys
    mailing = bound_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, CASE_DATA_KEYS=keys)
    runner = mailing.test_cli_runner()
    with mailing.app_context():  # the commands run in it, not in the test's own application
        first = runner.invoke(args=["cases", "daily"])
        assert first.exit_code == 0, first.output
        assert "1 digests of cases due queued" in first.output
        assert "already ran" in runner.invoke(args=["cases", "daily"]).output
        forced = runner.invoke(args=["cases", "daily", "--force"])
        assert "digests of cases due already queued today" in forced.output
        sent = runner.invoke(args=["cases", "send-mail"])
        assert sent.exit_code == 0, sent.output
        assert "0 sent" in runner.invoke(args=["cases", "send-mail"]).output
    digests = [message for message in inbox.messages if message["To"] == "officer@example.gov.tw"]
    assert len(digests) == 1
    assert case.number in _body(digests[0])
