"""Mail to staff about cases: the notice of an assignment, and the daily digest of cases due.

- `notify_assignment(session, case, officer, now, *, assigned_by=None)` queues the notice
  to the officer's e-mail address in the caller's transaction, so an assignment and its
  notice are stored together; the outbox sends it in the background and retries a
  failure (`feedback/cases/outbox.py`, table `staff_mail`). It never fails or holds up
  the assignment: an officer without an address, or a notice that cannot be queued
  (logged), is simply not told.
- `queue_daily_digests(session, now, calendar, within_days)` runs in `flask cases daily`:
  once per Taipei day (`portal/once.py`, job `cases-digest`, so several machines or a
  forced rerun never send two), on working days, each case officer with an address gets
  one message listing their open cases past due or due within `within_days` working
  days, and their office's cases nobody is handling yet (a case given to an account
  since disabled counts as nobody's). An officer with nothing to list gets nothing.

Staff mail names a case by number, type, office and due date, with the link to its staff
page, and nothing a citizen wrote or anything about who they are: mail leaves the
branch's systems and is read on phones. It is written in the officer's language when the
account has one (accounts have no language setting yet, so Chinese).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar
from urllib.parse import quote

from flask import current_app, has_request_context
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session, load_only
from werkzeug.routing import BuildError

from feedback.cases.deadlines import CalendarGapError, OfficeCalendar, due_date
from feedback.cases.handling import local_day
from feedback.cases.models import Case, CaseType, StaffMail
from feedback.cases.notices import LOCALES, Notice
from feedback.cases.states import CaseState
from portal.auth.models import Staff, StaffRole
from portal.auth.roles import Role
from portal.i18n import LANGUAGES, _, absolute_url, unprefixed_script_root
from portal.offices.models import Office
from portal.once import claim

logger = logging.getLogger(__name__)

DIGEST_JOB = "cases-digest"
# Cases that wait on us: a case waiting for the citizen has its clock paused, a replied one was answered.
DIGEST_STATES = (CaseState.ASSIGNED.value, CaseState.IN_PROGRESS.value)
SECTION_LIMIT = 40  # lines per section; the rest are counted, and the staff pages list them all
STAFF_CASE_ENDPOINT = "cases_staff.case"
DIGEST_COLUMNS = (
    Case.id,
    Case.number,
    Case.type_id,
    Case.office_id,
    Case.assigned_to_id,
    Case.due_on,
    Case.state,
)


@dataclass(frozen=True)
class CaseLine:
    """What staff mail says of a case: nothing about the citizen."""

    number: str
    type_name: str
    office_name: str
    due_on: date | None
    url: str


def officer_locale(officer: Staff) -> str:
    """The locale to write to `officer` in: the account's language when it has one, else Chinese."""
    language = getattr(officer, "language", None) or "zh"
    return LOCALES.get(str(language), LOCALES["zh"])


def staff_case_url(number: str, locale: str) -> str:
    """The link to the case's staff page in `locale`: absolute with `SITE_URL` or in a request, else a path."""
    try:
        path = current_app.url_map.bind("localhost").build(STAFF_CASE_ENDPOINT, {"number": number})
    except BuildError:  # the staff pages are not registered in this application
        path = f"/staff/cases/{quote(number)}"
    prefix = next((language.prefix for language in LANGUAGES if language.locale == locale), "")
    if has_request_context():
        return absolute_url(unprefixed_script_root() + prefix + path)
    root = str(current_app.config.get("APPLICATION_ROOT") or "/").rstrip("/")
    if current_app.config.get("SITE_URL"):
        return absolute_url(root + prefix + path)
    return root + prefix + path


def _named(obj: Office | CaseType | None, locale: str) -> str:
    if obj is None:
        return ""
    return obj.name_en if locale == LOCALES["en"] and obj.name_en else obj.name_zh


def case_line(case: Case, office: Office | None, locale: str) -> CaseLine:
    """The case as staff mail shows it, in `locale`."""
    return CaseLine(
        case.number,
        _named(case.case_type, locale),
        _named(office, locale),
        case.due_on,
        staff_case_url(case.number, locale),
    )


def _privacy_line() -> str:
    return _("本信不含民眾個人資料；民眾資料請登入案件後台查看。")


def _facts(line: CaseLine) -> list[str]:
    due = (
        _("預定完成日期：%(day)s", day=line.due_on.isoformat())
        if line.due_on
        else _("預定完成日期：未定（辦公日曆尚未涵蓋）")
    )
    return [
        _("案件編號：%(number)s", number=line.number),
        _("案件類別：%(type)s", type=line.type_name),
        _("承辦單位：%(office)s", office=line.office_name),
        due,
    ]


def assignment_notice(line: CaseLine, locale: str) -> Notice:
    """The notice telling an officer a case is now theirs."""
    with force_locale(locale):
        subject = _("新分派案件 %(number)s：%(type)s", number=line.number, type=line.type_name)
        lines = [
            _("您好，以下案件已分派給您處理："),
            "",
            *_facts(line),
            "",
            _("開啟案件：%(url)s", url=line.url),
            "",
            _privacy_line(),
        ]
        return Notice("assignment", subject, "\n".join(lines))


def notify_assignment(
    session: Session, case: Case, officer: Staff, now: datetime, *, assigned_by: Staff | None = None
) -> StaffMail | None:
    """Queue the notice of `case` to `officer` in the caller's transaction; None when not sent.

    Not sent to an officer without an e-mail address, nor to one who took the case
    themselves (`assigned_by`). Whatever goes wrong here is logged and never fails the
    assignment: the savepoint keeps the caller's transaction usable.
    """
    if not officer.email or (assigned_by is not None and assigned_by.id == officer.id):
        return None
    try:
        with session.begin_nested():
            locale = officer_locale(officer)
            notice = assignment_notice(case_line(case, session.get(Office, case.office_id), locale), locale)
            mail = _queue(session, officer, notice, now, case_id=case.id)
    except Exception:  # a notice must never fail the assignment it tells of
        logger.exception("the notice of case %s to staff %s could not be queued", case.number, officer.id)
        return None
    return mail


def _queue(session: Session, officer: Staff, notice: Notice, now: datetime, case_id: int | None) -> StaffMail:
    mail = StaffMail(
        staff_id=officer.id,
        case_id=case_id,
        kind=notice.kind,
        to_address=officer.email or "",
        subject=notice.subject[:200],
        body=notice.body,
        next_attempt_at=now,
    )
    session.add(mail)
    session.flush()
    return mail


class Assignable(Protocol):
    """What grouping a case into digests reads of it."""

    @property
    def assigned_to_id(self) -> int | None: ...

    @property
    def office_id(self) -> int: ...


T = TypeVar("T", bound=Assignable)


@dataclass(frozen=True)
class Recipient:
    """An active case officer: who they are and which office they belong to."""

    staff_id: int
    office_id: int | None


def group_digests(cases: Iterable[T], officers: Sequence[Recipient]) -> dict[int, tuple[list[T], list[T]]]:
    """Each officer's digest: (their cases, their office's cases no active officer holds); only non-empty ones.

    `officers` are every active case officer, so a case given to one of them is theirs and
    no one else's, and a case given to anyone else (a disabled account) is its office's.
    """
    active = {officer.staff_id for officer in officers}
    theirs: dict[int, list[T]] = defaultdict(list)
    nobodys: dict[int, list[T]] = defaultdict(list)
    for case in cases:
        if case.assigned_to_id in active:
            theirs[case.assigned_to_id].append(case)
        else:
            nobodys[case.office_id].append(case)
    digests: dict[int, tuple[list[T], list[T]]] = {}
    for officer in officers:
        office_cases = nobodys.get(officer.office_id, []) if officer.office_id is not None else []
        mine = theirs.get(officer.staff_id, [])
        if mine or office_cases:
            digests[officer.staff_id] = (mine, office_cases)
    return digests


def due_horizon(today: date, within_days: int, calendar: OfficeCalendar) -> date:
    """The last due date a digest lists: `within_days` working days after today (calendar days past the calendar)."""
    try:
        return due_date(today, within_days, calendar).due
    except CalendarGapError:
        return today + timedelta(days=within_days)


def _section(title: str, lines: Sequence[CaseLine], today: date) -> list[str]:
    out = [title]
    for line in lines[:SECTION_LIMIT]:
        day = line.due_on.isoformat() if line.due_on else ""
        when = (
            _("已逾期，期限 %(day)s", day=day)
            if line.due_on and line.due_on < today
            else _("期限 %(day)s", day=day)
        )
        out += [f"- {line.number}　{line.type_name}　{line.office_name}　{when}", f"  {line.url}"]
    if len(lines) > SECTION_LIMIT:
        out.append(_("另有 %(count)d 件，請至案件後台查看。", count=len(lines) - SECTION_LIMIT))
    return [*out, ""]


def digest_notice(
    mine: Sequence[CaseLine],
    office: Sequence[CaseLine],
    office_name: str,
    today: date,
    horizon: date,
    locale: str,
) -> Notice:
    """The daily digest of one officer: their cases, then their office's unassigned ones, past due first."""
    with force_locale(locale):
        subject = _(
            "案件到期提醒 %(day)s：共 %(count)d 件", day=today.isoformat(), count=len(mine) + len(office)
        )
        lines = [_("您好，以下是已逾期或將於 %(day)s 以前到期的案件：", day=horizon.isoformat()), ""]
        if mine:
            lines += _section(_("分派給您的案件："), mine, today)
        if office:
            lines += _section(_("%(office)s尚未分派的案件：", office=office_name), office, today)
        lines += [_privacy_line(), _("這封信在工作天寄出，沒有到期案件時不寄。")]
        return Notice("digest", subject, "\n".join(lines))


def _recipients(session: Session) -> list[Staff]:
    statement = (
        select(Staff)
        .join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(Staff.active.is_(True), StaffRole.role == Role.CASE_OFFICER.value)
        .order_by(Staff.id)
    )
    return list(session.scalars(statement).unique())


def queue_daily_digests(
    session: Session, now: datetime, calendar: OfficeCalendar, within_days: int
) -> int | None:
    """Queue today's digests (once per Taipei day, working days only); their number, or None when already done.

    In the caller's transaction, with the day's claim: both commit or neither does.
    """
    today = local_day(now)
    run = claim(session, DIGEST_JOB, today.isoformat())
    if run is None:
        return None
    try:
        working = calendar.is_working_day(today)
    except CalendarGapError:
        working = today.weekday() < 5  # a year not imported: weekdays, rather than no reminder at all
    if not working:
        run.summary = "not a working day: no digests"
        return 0
    horizon = due_horizon(today, within_days, calendar)
    cases = list(
        session.scalars(
            select(Case)
            .options(load_only(*DIGEST_COLUMNS))  # what the citizen wrote is never even opened
            .where(Case.state.in_(DIGEST_STATES), Case.due_on.is_not(None), Case.due_on <= horizon)
            .order_by(Case.due_on, Case.number)
        )
    )
    officers = _recipients(session)
    digests = group_digests(cases, [Recipient(officer.id, officer.office_id) for officer in officers])
    offices = {office.id: office for office in session.scalars(select(Office))}
    queued = 0
    for officer in officers:
        if officer.id not in digests or not officer.email:
            continue
        mine, office_cases = digests[officer.id]
        locale = officer_locale(officer)
        office = offices.get(officer.office_id) if officer.office_id is not None else None
        notice = digest_notice(
            [case_line(case, offices.get(case.office_id), locale) for case in mine],
            [case_line(case, office, locale) for case in office_cases],
            _named(office, locale),
            today,
            horizon,
            locale,
        )
        _queue(session, officer, notice, now, case_id=None)
        queued += 1
    run.summary = f"{queued} digests queued, cases due by {horizon.isoformat()}"
    return queued
