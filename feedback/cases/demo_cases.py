"""A year of demonstration cases, opened by intake and handled by the real handling functions.

`load_demo_cases` plays the year `demo_case_plan.plan_year` draws (seeded, so the same
day gives the same cases) from the office calendar's working days of the last twelve
months: each case is opened with `intake.open_case` on its day of receipt and each step
of its story is done with `handling` (`move`, `extend`, `transfer`, `merge`,
`close_without_reply`) at the moment the plan gives, so timelines, due dates and in-time
flags are exactly what real handling gives. Steps that would come after `now` are not
played: the recent cases are still open (in the queue, assigned, in progress, waiting
for the citizen, some past due). Cases at an office with a demo case officer are
mostly assigned to them.

It adds cases only to a database without any (a second `flask demo` adds nothing), and
it queues no mail: the contacts are fictitious (`demo_case_texts`), and nothing is sent
for them. Every demo case opens with the password `DEMO_PASSWORD`, hashed once, so the
case lookup can be tried with any demo case number.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases import handling
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.demo_case_plan import DemoCase, Step, plan_year
from feedback.cases.handling import OFFICE_ZONE, local_day
from feedback.cases.intake import CaseDraft, IntakeKeys, PreparedPassword, open_case
from feedback.cases.models import Case, CaseEvent, CaseType
from feedback.cases.passwords import hash_case_password
from feedback.cases.states import OPEN_STATES, CaseState, Channel
from portal.auth.models import Staff, StaffRole
from portal.auth.roles import Role
from portal.offices.models import Office

SEED = 20_260_101
DEMO_PASSWORD = "WATER479"  # noqa: S105 - printed by `flask demo`; opens every demo case
DAYS_BACK = 365
STAFF_INTAKE = {Channel.COUNTER, Channel.PHONE, Channel.LETTER, Channel.EMAIL}


def demo_days(today: date, calendar: OfficeCalendar) -> list[date]:
    """The working days of the twelve months up to `today` that the office calendar covers."""
    first = max(today - timedelta(days=DAYS_BACK), min(calendar.days_off, default=today))
    return sorted(day for day, off in calendar.days_off.items() if first <= day <= today and not off)


def moment_of(day: date, minute: int) -> datetime:
    """`minute` minutes after midnight of `day` in Taipei, in UTC."""
    start = datetime.combine(day, time(), tzinfo=OFFICE_ZONE)
    return (start + timedelta(minutes=minute)).astimezone(UTC)


@dataclass(frozen=True)
class Loaded:
    """What `load_demo_cases` stored."""

    cases: int
    first: date | None
    last: date | None


class _Player:
    """Plays planned cases through intake and handling, each step at its moment, none after `now`."""

    def __init__(self, session: Session, calendar: OfficeCalendar, now: datetime, keys: IntakeKeys) -> None:
        self.session, self.calendar, self.now, self.keys = session, calendar, now, keys
        self.rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not secrets
        self.working = sorted(day for day, off in calendar.days_off.items() if not off)
        self.offices = {office.code: office for office in session.scalars(select(Office))}
        self.office_codes = {office.id: code for code, office in self.offices.items()}
        self.officers = _officers_by_office(session)
        self.prepared = PreparedPassword(DEMO_PASSWORD, hash_case_password(keys.password_key, DEMO_PASSWORD))
        self.opened: dict[int, Case] = {}

    def open(self, key: int, planned: DemoCase) -> Case:
        """Open the planned case on its day, as intake does, stamped with its moment of receipt."""
        letter = planned.letter
        draft = CaseDraft(
            letter.type_code, letter.office, letter.channel, letter.subject, letter.description,
            letter.name, letter.email, letter.phone, letter.address, letter.district, letter.language,
        )  # fmt: skip
        opened = open_case(
            self.session, draft, today=planned.day, calendar=self.calendar, keys=self.keys,
            needs_confirmation=False, prepared=self.prepared,
        ).case  # fmt: skip
        received = moment_of(planned.day, planned.minute)
        opened.created_at = received
        for event in opened.events:
            event.at = received  # intake stamps the time it ran; the demo case arrived back then
        officer = self.officers.get(letter.office)
        if officer is not None and letter.channel in STAFF_INTAKE:
            opened.received_by_id = officer.id
        self.opened[key] = opened
        return opened

    def play(self, case: Case, planned: DemoCase) -> None:
        """Do the planned steps in order, stopping at the first that would come after `now`."""
        last = case.created_at
        for step in planned.steps:
            moment = self._when(case, step, last)
            if moment >= self.now:
                return
            self._do(case, step, planned, moment)
            last = moment

    def _when(self, case: Case, step: Step, last: datetime) -> datetime:
        base = bisect.bisect_right(self.working, local_day(last)) - 1
        if step.due is not None and case.due_on is not None:
            target = max(base, bisect.bisect_left(self.working, case.due_on) + step.due)
        else:
            target = base + step.after
        if target >= len(self.working):
            return datetime.max.replace(tzinfo=UTC)  # beyond the calendar: never played
        day = self.working[target]
        if day == local_day(last):
            # Later the same day, never past midnight: the next day may be a holiday.
            end_of_day = moment_of(day, 24 * 60 - 1)
            later = last + timedelta(minutes=self.rng.randrange(15, 150))
            return later if later <= end_of_day else last + max((end_of_day - last) / 2, timedelta(seconds=1))
        return max(moment_of(day, self.rng.randrange(8 * 60 + 40, 17 * 60 + 20)), last + timedelta(minutes=1))

    def _do(self, case: Case, step: Step, planned: DemoCase, now: datetime) -> None:
        calendar, staff, action = self.calendar, case.assigned_to_id, step.action
        if action == "assign":
            self._assign(case, now)
        elif action in {"start", "resume", "reopen"}:
            if case.state != CaseState.IN_PROGRESS:
                handling.move(case, CaseState.IN_PROGRESS, calendar=calendar, now=now, staff_id=staff)
        elif action in {"ask", "reply", "close"}:
            target = {"ask": CaseState.WAITING, "reply": CaseState.REPLIED, "close": CaseState.CLOSED}[action]
            reply = step.text or None
            handling.move(case, target, calendar=calendar, now=now, staff_id=staff, reply=reply)
        elif action == "extend":
            handling.extend(case, step.days, step.text, calendar=calendar, now=now, staff_id=staff)
        elif action == "transfer":
            office = self.offices[step.office].id
            handling.transfer(case, office, calendar=calendar, now=now, staff_id=staff)
        elif action == "no_reply":
            handling.close_without_reply(
                case, step.reason, step.text, calendar=calendar, now=now, staff_id=staff
            )
        elif action == "merge" and planned.merge_into is not None:
            into = self.opened[planned.merge_into]
            handling.merge(case, into, calendar=calendar, now=now, staff_id=staff)

    def _assign(self, case: Case, now: datetime) -> None:
        """Give an open case to its office's demo officer, as the staff pages do (an internal entry)."""
        officer = self.officers.get(self.office_codes[case.office_id])
        if officer is None or CaseState(case.state) not in OPEN_STATES or case.assigned_to_id == officer.id:
            return
        case.assigned_to_id = officer.id
        case.events.append(
            CaseEvent(at=now, kind="assigned", public=False, body=officer.display_name, staff_id=officer.id)
        )


def _officers_by_office(session: Session) -> dict[str, Staff]:
    """The first active case officer of each office (by user name), who the demo's cases go to."""
    rows = session.execute(
        select(Office.code, Staff)
        .join(Staff, Staff.office_id == Office.id)
        .join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(Staff.active.is_(True), StaffRole.role == Role.CASE_OFFICER.value)
        .order_by(Staff.username)
    ).all()
    officers: dict[str, Staff] = {}
    for code, staff in rows:
        officers.setdefault(code, staff)
    return officers


def load_demo_cases(session: Session, now: datetime, calendar: OfficeCalendar, keys: IntakeKeys) -> Loaded:
    """Open and handle a year of demo cases up to `now`, unless the database holds cases already.

    Works in the caller's transaction (which commits); returns what it stored.
    """
    if session.scalar(select(Case.id).limit(1)) is not None:
        return Loaded(0, None, None)
    days = demo_days(local_day(now), calendar)
    pauses = dict(session.execute(select(CaseType.code, CaseType.pauses_when_waiting)).tuples().all())
    plan = plan_year(random.Random(SEED), days, pauses)  # noqa: S311 - demo data, not secrets
    order = sorted(range(len(plan)), key=lambda key: (plan[key].day, plan[key].minute))
    player = _Player(session, calendar, now, keys)
    stored = 0
    # One flush a case (intake's own): the steps played on one case are written with the next.
    with session.no_autoflush:
        for key in order:
            planned = plan[key]
            if moment_of(planned.day, planned.minute) >= now:
                continue  # later today: not received yet
            player.play(player.open(key, planned), planned)
            stored += 1
    session.flush()
    return Loaded(stored, days[0] if days else None, days[-1] if days else None)


def _calendar_reaching_back(today: date) -> OfficeCalendar:
    """The office calendar, with last year's demonstration days imported when this year is still young.

    In the first half of a year the calendar's own years would give the demo only a few
    months of cases, so last year is imported too (through the same parser as a published
    file); later in the year this year's days are enough and last year is left alone.
    """
    from feedback.cases.calendar import import_year, office_calendar
    from feedback.cases.calendar_file import parse_calendar
    from feedback.cases.demo_calendar import calendar_csv

    calendar = office_calendar()
    last_year = today.year - 1
    young = today < date(today.year, 7, 1)
    if young and not any(day.year == last_year for day in calendar.days_off):
        import_year(parse_calendar(calendar_csv(last_year).encode("utf-8-sig")), f"demo-{last_year}.csv")
        calendar = office_calendar()
    return calendar


def load_demo_cases_now() -> list[str]:
    """The demo loader (`flask demo`): a year of cases up to this moment; the lines it prints."""
    from flask import current_app

    from portal.db import db, utcnow

    now = utcnow()
    config = current_app.config
    keys = IntakeKeys(password_key=config["CASE_PASSWORD_KEY"], email_key=config["SECRET_KEY"])
    loaded = load_demo_cases(db.session, now, _calendar_reaching_back(local_day(now)), keys)
    db.session.commit()
    if not loaded.cases:
        return []
    return [
        f"demo cases: {loaded.cases} received {loaded.first} to {loaded.last}; "
        f"each opens in the case lookup with the password {DEMO_PASSWORD}"
    ]
