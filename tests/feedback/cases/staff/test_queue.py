"""The staff queue: who sees which cases, the filters, countdowns, masked contacts and bulk assignment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.handling import local_day
from feedback.cases.models import CaseEvent, StaffMail
from feedback.cases.staff.queue import countdown, due_soon_limit
from feedback.cases.states import Channel
from portal.audit import AuditRecord
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.db import db, utcnow
from tests.feedback.cases.staff.conftest import forget_request_state, reload, token

Officer = Role.CASE_OFFICER


def numbers_on(page: Any) -> set[str]:
    return {link.get_text(strip=True) for link in page.select("tbody th a")}


def test_an_officer_sees_their_office_s_cases_only_and_an_administrator_every_office_s(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    ours = open_today("KL").case
    theirs = open_today("XZ").case
    ours.due_on = theirs.due_on = date(2000, 1, 3)  # first in the list, ahead of the demo's cases
    db.session.commit()
    officer, _account = client_as(Officer, office_code="KL")
    page = officer.get("/staff/cases/?state=all&type_code=complaint")
    assert ours.number in numbers_on(page)
    assert theirs.number not in numbers_on(page)
    officer.get(f"/staff/cases/{theirs.number}", status=404)
    admin, _account = client_as(Role.ADMINISTRATOR)
    everything = numbers_on(admin.get("/staff/cases/?state=all&type_code=complaint"))
    assert {ours.number, theirs.number} <= everything


def test_contact_names_are_masked_in_the_list(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    open_today("KL", contact_name="林美惠")
    officer, _account = client_as(Officer, office_code="KL")
    html = str(officer.get("/staff/cases/"))
    assert "林○惠" in html
    assert "林美惠" not in html
    assert "ming@example.org" not in html
    assert "0912-345-678" not in html


def test_the_overdue_and_due_soon_views_hold_the_right_cases(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    today = local_day(utcnow())
    late, soon, later = (open_today("KL").case for _ in range(3))
    late.due_on = date(2000, 1, 3)  # overdue, and first in the list ahead of the demo's cases
    soon.due_on = today
    later.due_on = today + timedelta(days=30)
    db.session.commit()
    officer, _account = client_as(Officer, office_code="KL")
    overdue = numbers_on(officer.get("/staff/cases/?due=overdue"))
    due_soon = numbers_on(officer.get("/staff/cases/?due=soon"))
    assert late.number in overdue
    assert soon.number not in overdue
    assert later.number not in overdue
    assert soon.number in due_soon
    assert late.number not in due_soon
    assert later.number not in due_soon
    page = officer.get("/staff/cases/?due=overdue")
    row = next(row for row in page.select("tbody tr") if late.number in row.get_text())
    assert "逾期" in row.get_text()  # the calendar does not reach back to 2000: overdue, uncounted
    assert "逾期" in officer.get(f"/staff/cases/{late.number}").select_one(".case-summary").get_text()


def test_filters_by_type_channel_and_state(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    meter = open_today("KL", type_code="meter-check", channel=Channel.PHONE).case
    counter = open_today("KL").case
    officer, _account = client_as(Officer, office_code="KL")
    assert numbers_on(officer.get("/staff/cases/?type_code=meter-check")) >= {meter.number}
    assert counter.number not in numbers_on(officer.get("/staff/cases/?type_code=meter-check"))
    assert counter.number not in numbers_on(officer.get("/staff/cases/?channel=phone"))
    assert meter.number not in numbers_on(officer.get("/staff/cases/?state=closed"))


def test_a_filter_value_that_is_not_offered_is_refused_with_the_reason(client_as: Callable[..., Any]) -> None:
    officer, _account = client_as(Officer, office_code="KL")
    page = officer.get("/staff/cases/?state=nonsense&channel=fax", status=400)
    assert page.select_one(".error-summary")
    forget_request_state()
    english = officer.get("/en/staff/cases/?due=someday", status=400)
    assert "Not a valid choice" in english.get_text()


def test_a_case_held_by_a_disabled_account_is_in_the_unassigned_view(
    open_today: Callable[..., Any], client_as: Callable[..., Any], make_staff: Callable[..., Any]
) -> None:
    case = open_today("KL").case
    gone = make_staff(Officer, office_code="KL")
    case.assigned_to_id = gone.id
    case.due_on = date(2000, 1, 3)  # first in the list, ahead of the demo's cases
    leaver = db.session.get(Staff, gone.id)
    assert leaver is not None
    leaver.active = False
    db.session.commit()
    officer, _account = client_as(Officer, office_code="KL")
    page = officer.get("/staff/cases/?officer=unassigned")
    assert case.number in numbers_on(page)
    row = next(row for row in page.select("tbody tr") if case.number in row.get_text())
    assert "尚未分派" in row.get_text()


def test_bulk_assignment_gives_the_ticked_cases_to_one_officer_with_a_notice(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    first, second = open_today("KL").case, open_today("KL").case
    officer, account = client_as(Officer, office_code="KL")
    csrf = token(officer)
    response = officer.client.post(
        "/staff/cases/assign",
        data={
            "csrf_token": csrf,
            "assign-cases": [first.number, second.number],
            "assign-officer": str(account.id),
        },
    )
    assert response.status_code == 302
    for case in (reload(first), reload(second)):
        assert case.assigned_to_id == account.id
        assigned = [event for event in case.events if event.kind == "assigned"]
        assert len(assigned) == 1
        assert not assigned[0].public
        assert assigned[0].staff_id == account.id
    audits = db.session.scalars(
        select(AuditRecord).where(AuditRecord.entity == "case", AuditRecord.entity_id == str(first.id))
    ).all()
    assert any(record.action == "update" and record.actor_id == account.id for record in audits)
    assert first.number in numbers_on(officer.get("/staff/cases/?officer=mine"))


def test_bulk_assignment_to_another_office_s_officer_assigns_nothing(
    open_today: Callable[..., Any], client_as: Callable[..., Any], make_staff: Callable[..., Any]
) -> None:
    ours = open_today("KL").case
    elsewhere = make_staff(Officer, office_code="XZ")
    admin, _account = client_as(Role.ADMINISTRATOR)
    response = admin.client.post(
        "/staff/cases/assign",
        data={"csrf_token": token(admin), "assign-cases": [ours.number], "assign-officer": str(elsewhere.id)},
    )
    assert response.status_code == 400
    assert "不屬於這位承辦人的單位" in response.get_data(as_text=True)
    assert reload(ours).assigned_to_id is None
    assert not db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == ours.id, CaseEvent.kind == "assigned")
    ).all()


def test_bulk_assignment_of_nothing_or_of_a_case_out_of_reach_is_refused(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    ours, theirs = open_today("KL").case, open_today("XZ").case
    officer, account = client_as(Officer, office_code="KL")
    empty = officer.client.post(
        "/staff/cases/assign", data={"csrf_token": token(officer), "assign-officer": str(account.id)}
    )
    assert empty.status_code == 400
    assert "請至少選取一件案件" in empty.get_data(as_text=True)
    mixed = officer.client.post(
        "/staff/cases/assign",
        data={
            "csrf_token": token(officer),
            "assign-cases": [ours.number, theirs.number],
            "assign-officer": str(account.id),
        },
    )
    assert mixed.status_code == 400
    assert reload(ours).assigned_to_id is None
    assert reload(theirs).assigned_to_id is None
    forged = officer.client.post(
        "/staff/cases/assign", data={"assign-cases": [ours.number], "assign-officer": str(account.id)}
    )
    assert forged.status_code == 400
    assert reload(ours).assigned_to_id is None


def test_countdowns_count_working_days_both_ways() -> None:
    monday = date(2036, 3, 3)
    calendar = OfficeCalendar(
        {monday + timedelta(n): (monday + timedelta(n)).weekday() >= 5 for n in range(30)}
    )
    assert countdown(monday, monday, calendar) == 0
    assert countdown(monday, monday + timedelta(days=7), calendar) == 5
    assert countdown(monday + timedelta(days=7), monday, calendar) == -5
    assert countdown(monday, None, calendar) is None
    assert countdown(monday, monday + timedelta(days=400), calendar) is None  # past the calendar: unknown
    assert due_soon_limit(monday + timedelta(days=4), calendar) == monday + timedelta(days=8)  # Fri → Tue


def test_a_case_due_on_friday_is_overdue_on_the_weekend_not_due_today() -> None:
    friday = date(2036, 3, 7)
    calendar = OfficeCalendar(
        {friday + timedelta(n): (friday + timedelta(n)).weekday() >= 5 for n in range(-10, 10)}
    )
    assert countdown(friday + timedelta(days=1), friday, calendar) == -1  # Saturday
    assert countdown(friday + timedelta(days=2), friday, calendar) == -1  # Sunday
    assert countdown(friday + timedelta(days=3), friday, calendar) == -1  # Monday
    assert countdown(friday + timedelta(days=4), friday, calendar) == -2
    assert countdown(friday + timedelta(days=1), friday + timedelta(days=3), calendar) == 1  # Sat → Mon


def test_the_dashboard_card_counts_the_officer_s_cases(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    open_today("KL")
    officer, _account = client_as(Officer, office_code="KL")
    page = officer.get("/staff/")
    card = next(card for card in page.select(".card") if card.find("a", href="/staff/cases/"))
    assert "已逾期" in card.get_text()


def test_an_officer_taking_cases_is_not_mailed_about_them_but_a_colleague_given_one_is(
    open_today: Callable[..., Any], client_as: Callable[..., Any], make_staff: Callable[..., Any]
) -> None:
    mine, theirs = open_today("KL").case, open_today("KL").case
    officer, account = client_as(Officer, office_code="KL")
    colleague = make_staff(Officer, office_code="KL")
    for staff_id in (account.id, colleague.id):
        member = db.session.get(Staff, staff_id)
        assert member is not None
        member.email = f"staff{staff_id}@example.org"
    db.session.commit()
    for case, staff_id in ((mine, account.id), (theirs, colleague.id)):
        response = officer.client.post(
            "/staff/cases/assign",
            data={
                "csrf_token": token(officer),
                "assign-cases": [case.number],
                "assign-officer": str(staff_id),
            },
        )
        assert response.status_code == 302
    mailed = db.session.scalars(select(StaffMail).where(StaffMail.case_id.in_([mine.id, theirs.id]))).all()
    assert [(mail.case_id, mail.staff_id) for mail in mailed] == [(theirs.id, colleague.id)]


def test_a_case_ticked_twice_is_assigned_once(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    case = open_today("KL").case
    officer, account = client_as(Officer, office_code="KL")
    response = officer.client.post(
        "/staff/cases/assign",
        data={
            "csrf_token": token(officer),
            "assign-cases": [case.number, case.number],
            "assign-officer": str(account.id),
        },
    )
    assert response.status_code == 302
    assert [event.kind for event in reload(case).events].count("assigned") == 1
    forget_request_state()
    assert "已分派 1 件案件" in officer.get(response.headers["Location"]).get_text()


def test_a_case_whose_clock_stands_still_is_neither_overdue_nor_due_soon(
    open_today: Callable[..., Any], client_as: Callable[..., Any]
) -> None:
    """Waiting for the citizen pauses the clock of a type that pauses; a replied case was answered."""
    paused, replied, running = (
        open_today("KL", type_code=code).case for code in ("complaint", "inquiry", "inquiry")
    )
    paused.case_type.pauses_when_waiting = True
    running.case_type.pauses_when_waiting = False  # the inquiry type's clock runs while waiting
    paused.state = running.state = "waiting"
    replied.state = "replied"
    for case in (paused, replied, running):
        case.due_on = date(2000, 1, 3)  # long past, and first in the lists
    db.session.commit()
    officer, _account = client_as(Officer, office_code="KL")
    overdue = numbers_on(officer.get("/staff/cases/?due=overdue"))
    assert running.number in overdue
    assert paused.number not in overdue
    assert replied.number not in overdue
    page = officer.get("/staff/cases/")
    rows = {row.select_one("th").get_text(strip=True): row.get_text() for row in page.select("tbody tr")}
    assert "逾期" in rows[running.number]
    assert "逾期" not in rows[paused.number]
    assert "逾期" not in rows[replied.number]
    summary = officer.get(f"/staff/cases/{paused.number}").select_one(".case-summary")
    assert summary is not None
    assert "逾期" not in summary.get_text()
