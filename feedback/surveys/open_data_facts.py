"""What the open dataset of survey figures reads from the database: scores, offices and months only.

The columns selected are the whole of what leaves the survey tables: an office, a moment
turned into its Taipei month here, and the scores. Comments, tokens and cases are never
selected.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.surveys.models import CaseSurvey, CounterResponse
from feedback.surveys.open_data_rows import ASPECTS, CounterFact, OfficeLabel, SurveyFact, month_of
from portal.offices.models import Office


def survey_facts(session: Session, before: datetime) -> list[SurveyFact]:
    """Every survey issued before `before`, with the answers given before it (later ones are not yet counted)."""
    columns = [getattr(CaseSurvey, aspect) for aspect in ASPECTS]
    rows = session.execute(
        select(
            CaseSurvey.office_id, CaseSurvey.issued_at, CaseSurvey.answered_at, CaseSurvey.overall, *columns
        )
        .where(CaseSurvey.issued_at < before)
        .order_by(CaseSurvey.id)
    ).all()
    facts = []
    for office_id, issued_at, answered_at, overall, *aspects in rows:
        answered = overall is not None and answered_at is not None and answered_at < before
        facts.append(
            SurveyFact(
                office_id=office_id,
                month=month_of(issued_at),
                overall=overall if answered else None,
                aspects=dict(zip(ASPECTS, aspects, strict=True)) if answered else {},
            )
        )
    return facts


def counter_facts(session: Session, before: datetime) -> list[CounterFact]:
    """Every counter answer given before `before` that has not been excluded."""
    rows = session.execute(
        select(CounterResponse.office_id, CounterResponse.at, CounterResponse.channel, CounterResponse.score)
        .where(CounterResponse.at < before, CounterResponse.excluded_at.is_(None))
        .order_by(CounterResponse.id)
    ).all()
    return [
        CounterFact(office_id=office_id, month=month_of(at), channel=channel, score=score)
        for office_id, at, channel, score in rows
    ]


def office_labels(session: Session) -> dict[int, OfficeLabel]:
    """Every office's code and Chinese name, in the order the site lists offices."""
    rows = session.execute(
        select(Office.id, Office.code, Office.name_zh).order_by(Office.sort_order, Office.code)
    )
    return {office_id: OfficeLabel(code, name) for office_id, code, name in rows}
