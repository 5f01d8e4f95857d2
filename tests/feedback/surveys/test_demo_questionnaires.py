"""The demo's questionnaires: one closed and one open, with answers stored through the service, none twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from feedback.surveys.demo_questionnaires import load_demo_questionnaires
from feedback.surveys.questionnaire_models import Questionnaire
from feedback.surveys.questionnaires import (
    OpenState,
    by_slug,
    definition_of,
    responses_of,
    state_of,
    versions_of,
)
from feedback.surveys.tally import tally
from portal.db import db, utcnow


def test_the_demo_holds_a_closed_and_an_open_questionnaire_with_answers(app_context: None) -> None:
    now = utcnow()
    db.session.execute(
        delete(Questionnaire).where(Questionnaire.slug.in_(["water-saving-2026", "online-services"]))
    )
    lines = load_demo_questionnaires(db.session, now)
    assert len(lines) == 2
    closed, open_now = by_slug(db.session, "water-saving-2026"), by_slug(db.session, "online-services")
    assert closed is not None
    assert open_now is not None
    (closed_version,), (open_version,) = versions_of(db.session, closed), versions_of(db.session, open_now)
    assert state_of(closed_version, now) is OpenState.CLOSED
    assert state_of(open_version, now) is OpenState.OPEN
    responses = list(responses_of(db.session, closed_version))
    assert len(responses) == 140
    assert all(
        now.date() - timedelta(days=151) <= r.day <= now.date() - timedelta(days=59) for r in responses
    )
    results = tally(definition_of(closed_version), responses)
    # the condition holds: only those without fittings say why not
    without = sum(1 for r in responses if r.answers["q2"] == "o2")
    assert results.questions["q3"].answered == without
    assert closed.results_public
    assert open_now.results_public
    assert load_demo_questionnaires(db.session, now) == []
    assert (
        db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == "online-services"))
        == open_now.id
    )
