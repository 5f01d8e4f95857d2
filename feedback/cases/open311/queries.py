"""What Open311 reads from the database: the services offered, and cases as the public may see them.

Cases are read through `PUBLISHED_COLUMNS` only, never as whole rows: the sealed columns
(name, e-mail, phone, address, subject, description) are not even selected, so no answer
of GET requests can hold them. A case is listed once it is in an office's queue; one
still waiting for its e-mail to be confirmed, one merged into another and one whose
personal data was purged are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from feedback.cases.districts import english_district
from feedback.cases.labels import KIND_LABELS, STATE_LABELS
from feedback.cases.models import Case, CaseEvent, CaseType
from feedback.cases.open311.formats import PublicRequest, Service, end_of_day
from feedback.cases.open311.params import Filters
from feedback.cases.states import CaseKind, CaseState
from feedback.cases.views import PUBLIC_KINDS
from portal.i18n import localized
from portal.offices.models import Office

PUBLISHED_COLUMNS = (
    Case.id,
    Case.number,
    Case.state,
    Case.type_id,
    Case.office_id,
    Case.created_at,
    Case.due_on,
    Case.district,
    Case.latitude,
    Case.longitude,
)


def offered_types(session: Session) -> list[CaseType]:
    """The case types Open311 offers: active ones citizens may bring online, in their order."""
    query = select(CaseType).where(CaseType.active.is_(True), CaseType.web_intake.is_(True))
    return list(session.scalars(query.order_by(CaseType.sort_order, CaseType.id)))


def offered_type(session: Session, code: str) -> CaseType | None:
    """The offered case type with `code`, or None."""
    return next((kind for kind in offered_types(session) if kind.code == code), None)


def as_service(kind: CaseType) -> Service:
    """A case type as a service, in the request's language; its kind is its group."""
    label = str(KIND_LABELS[CaseKind(kind.kind)])
    return Service(
        code=kind.code,
        name=localized(kind, "name"),
        description=localized(kind, "description"),
        group=label,
        keywords=(kind.kind, label),
    )


def unknown_codes(session: Session, codes: Sequence[str]) -> list[str]:
    """Which of `codes` name no case type at all (a retired type's cases can still be asked for)."""
    known = set(session.scalars(select(CaseType.code).where(CaseType.code.in_(codes))))
    return [code for code in codes if code not in known]


def _listed() -> Select[*tuple[Any, ...]]:
    return select(*PUBLISHED_COLUMNS).where(
        Case.state != CaseState.RECEIVED.value,
        Case.merged_into_id.is_(None),
        Case.purged_at.is_(None),
    )


def public_rows(session: Session, filters: Filters) -> list[Row[Any]]:
    """The cases `filters` ask for, newest first, at most `filters.limit`."""
    query = _listed()
    if filters.ids:
        query = query.where(Case.number.in_(filters.ids))
    else:
        if filters.codes:
            query = query.where(Case.type_id.in_(select(CaseType.id).where(CaseType.code.in_(filters.codes))))
        if filters.start is not None:
            query = query.where(Case.created_at >= filters.start)
        if filters.end is not None:
            query = query.where(Case.created_at <= filters.end)
        if set(filters.statuses) == {"open"}:
            query = query.where(Case.state != CaseState.CLOSED.value)
        elif set(filters.statuses) == {"closed"}:
            query = query.where(Case.state == CaseState.CLOSED.value)
    query = query.order_by(Case.created_at.desc(), Case.id.desc()).limit(filters.limit)
    return list(session.execute(query))


def public_row_by_number(session: Session, number: str) -> Row[Any] | None:
    """The listed case numbered `number`, or None."""
    return session.execute(_listed().where(Case.number == number)).first()


def number_for_token(session: Session, token: str) -> str | None:
    """The number of the case an Open311 POST was answered with `token` for, or None."""
    return session.scalar(select(Case.number).where(Case.open311_token == token))


def last_public_change(session: Session, case_ids: Sequence[int]) -> dict[int, datetime]:
    """When each case last changed in a way its citizen can see (its public timeline's last entry)."""
    if not case_ids:
        return {}
    query = (
        select(CaseEvent.case_id, func.max(CaseEvent.at))
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.public.is_(True), CaseEvent.kind.in_(PUBLIC_KINDS))
        .group_by(CaseEvent.case_id)
    )
    return {row[0]: row[1] for row in session.execute(query)}


def public_requests(session: Session, rows: Sequence[Row[Any]], *, english: bool) -> list[PublicRequest]:
    """The rows as Open311 publishes them, in the request's language."""
    types = {kind.id: kind for kind in session.scalars(select(CaseType))}
    offices = {office.id: office for office in session.scalars(select(Office))}
    updated = last_public_change(session, [row.id for row in rows])
    published = []
    for row in rows:
        kind, office = types[row.type_id], offices.get(row.office_id)
        published.append(
            PublicRequest(
                number=row.number,
                status="closed" if row.state == CaseState.CLOSED else "open",
                status_notes=str(STATE_LABELS[CaseState(row.state)]),
                service_code=kind.code,
                service_name=localized(kind, "name"),
                agency=localized(office, "name") if office else "",
                requested=row.created_at,
                updated=updated.get(row.id, row.created_at),
                expected=end_of_day(row.due_on) if row.due_on else None,
                district=(english_district(row.district) if english else row.district)
                if row.district
                else "",
                latitude=row.latitude,
                longitude=row.longitude,
            )
        )
    return published
