"""What citizens are told by e-mail about their case, in the language they wrote in.

Each function returns the subject and text of one message; `send_notice` queues it in
the outbox (`feedback/cases/outbox.py`) when the case has an e-mail address. Texts say
what happened, what the citizen can do next and where to look the case up; they never
repeat the description or an internal note. The receipt carries the case password once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy.orm import Session

from feedback.cases.labels import STATE_LABELS
from feedback.cases.models import Case, CaseMail
from feedback.cases.outbox import queue_mail
from feedback.cases.states import CaseState
from portal.i18n import _

LOCALES = {"zh": "zh_Hant_TW", "en": "en"}


@dataclass(frozen=True)
class Notice:
    """One message: its kind, subject and text."""

    kind: str
    subject: str
    body: str


def notice_locale(case: Case) -> str:
    """The locale of the mails of `case`: the language its citizen used."""
    return LOCALES.get(case.language, LOCALES["zh"])


def receipt_notice(case: Case, password: str, lookup_url: str) -> Notice:
    """The receipt: the case number and password, and how to look the case up."""
    with force_locale(notice_locale(case)):
        subject = _("已收到您的案件 %(number)s", number=case.number)
        lines = [
            _("您好，我們已收到您的案件。"),
            "",
            _("案件編號：%(number)s", number=case.number),
            _("案件密碼：%(password)s", password=password),
            "",
            _("請保存案件編號與密碼，憑兩者可隨時查詢處理進度：%(url)s", url=lookup_url),
            _("案件密碼只在這封信與送出後的頁面出現一次，我們不會以其他方式寄送。"),
        ]
        return Notice("receipt", subject, "\n".join(lines))


def confirmation_notice(case: Case, confirm_url: str, days: int) -> Notice:
    """The request to confirm a web case's e-mail address before it enters an office's queue."""
    with force_locale(notice_locale(case)):
        subject = _("請確認您的案件 %(number)s", number=case.number)
        lines = [
            _("您好，請開啟以下連結確認您的電子郵件，案件才會送交承辦單位處理："),
            confirm_url,
            "",
            _("%(days)d 天內未確認的案件將會刪除。如果您沒有送出這個案件，請忽略這封信。", days=days),
        ]
        return Notice("confirmation", subject, "\n".join(lines))


def state_notice(case: Case, lookup_url: str, reply: str | None = None, extra: Sequence[str] = ()) -> Notice:
    """A change of state, with the public reply when there is one and `extra` lines (the survey's, on closure)."""
    with force_locale(notice_locale(case)):
        state = str(STATE_LABELS[CaseState(case.state)])
        subject = _("案件 %(number)s：%(state)s", number=case.number, state=state)
        lines = [_("您的案件 %(number)s 目前狀態為「%(state)s」。", number=case.number, state=state)]
        if reply:
            lines += ["", _("回覆內容："), reply]
        if case.due_on and case.state not in {CaseState.REPLIED, CaseState.CLOSED}:
            lines += ["", _("預定完成日期：%(day)s", day=case.due_on.isoformat())]
        if extra:
            lines += ["", *extra]
        lines += ["", _("查詢處理進度：%(url)s", url=lookup_url)]
        return Notice("state", subject, "\n".join(lines))


def lookup_link_notice(case: Case, link_url: str, minutes: int) -> Notice:
    """A one-time link that opens the case without its password, asked for on the lookup page."""
    with force_locale(notice_locale(case)):
        subject = _("案件 %(number)s 的查詢連結", number=case.number)
        lines = [
            _("您好，有人在案件查詢頁以案件編號與這個電子郵件要求查詢連結。開啟以下連結即可查看案件："),
            link_url,
            "",
            _("連結只能使用一次，%(minutes)d 分鐘後失效。", minutes=minutes),
            _("如果不是您要求的，請忽略這封信；沒有這個連結，別人無法查看您的案件。"),
        ]
        return Notice("lookup_link", subject, "\n".join(lines))


def send_notice(session: Session, case: Case, notice: Notice, now: datetime) -> CaseMail | None:
    """Queue `notice` to the case's e-mail address; None when the case has none."""
    if not case.contact_email:
        return None
    return queue_mail(session, case, notice.kind, case.contact_email, notice.subject, notice.body, now)
