"""The citizens' e-mails: in the language they wrote in, with what they need and nothing internal."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from feedback.cases import handling
from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
from feedback.cases.models import Case
from feedback.cases.notices import confirmation_notice, receipt_notice, send_notice, state_notice
from feedback.cases.states import CaseState, Channel
from portal.db import db

HAN = re.compile(r"[\u3400-\u9fff]")
DAY = date(2039, 9, 1)
CALENDAR = OfficeCalendar({DAY + timedelta(n): n % 7 in (5, 6) for n in range(40)})
NOW = datetime(2039, 9, 1, 3, tzinfo=UTC)
LOOKUP = "https://example.gov.tw/cases/lookup?number=1280901-0001"


def _case(language: str, email: str | None = "li@example.org") -> Case:
    seed_case_types(db.session)
    draft = CaseDraft(
        "complaint",
        "KL",
        Channel.WEB,
        "水管破裂",
        "內部描述不會寄出",
        "李家豪",
        contact_email=email,
        language=language,
    )
    keys = IntakeKeys("p" * 40, "e" * 40)
    return open_case(
        db.session, draft, today=DAY, calendar=CALENDAR, keys=keys, needs_confirmation=False
    ).case


def test_the_receipt_carries_the_number_and_password_in_chinese(app_context: None) -> None:
    case = _case("zh")
    notice = receipt_notice(case, "ACDEFGHJ", LOOKUP)
    assert case.number in notice.subject
    assert "ACDEFGHJ" in notice.body
    assert LOOKUP in notice.body
    assert "案件密碼" in notice.body
    assert "內部描述" not in notice.body


def test_a_citizen_who_wrote_in_english_is_written_to_in_english(app_context: None) -> None:
    case = _case("en")
    for notice in (
        receipt_notice(case, "ACDEFGHJ", LOOKUP),
        confirmation_notice(case, "https://example.gov.tw/cases/confirm/abc", 3),
        state_notice(case, LOOKUP),
    ):
        assert not HAN.search(notice.subject + notice.body), notice.kind
    assert "3 days" in confirmation_notice(case, "https://x", 3).body


def test_a_state_change_tells_the_reply_and_the_due_date_while_open(app_context: None) -> None:
    case = _case("zh")
    handling.move(case, CaseState.IN_PROGRESS, calendar=CALENDAR, now=NOW, staff_id=None)
    in_progress = state_notice(case, LOOKUP)
    assert "處理中" in in_progress.subject
    assert case.due_on is not None
    assert case.due_on.isoformat() in in_progress.body
    handling.move(case, CaseState.REPLIED, calendar=CALENDAR, now=NOW, staff_id=None, reply="已完成修復")
    replied = state_notice(case, LOOKUP, reply="已完成修復")
    assert "已完成修復" in replied.body
    assert case.due_on.isoformat() not in replied.body


def test_a_case_without_an_email_gets_no_mail(app_context: None) -> None:
    case = _case("zh", email=None)
    assert send_notice(db.session, case, state_notice(case, LOOKUP), NOW) is None
    with_email = _case("zh")
    queued = send_notice(db.session, with_email, receipt_notice(with_email, "ACDEFGHJ", LOOKUP), NOW)
    assert queued is not None
    assert (queued.kind, queued.to_address) == ("receipt", "li@example.org")
