"""What the questionnaire builder's views share: the blueprint, finding records, saving a definition."""

from __future__ import annotations

from flask import Blueprint, abort, flash
from sqlalchemy import select

from feedback.surveys.definition import Definition
from feedback.surveys.questionnaire_models import Questionnaire, QuestionnaireVersion
from feedback.surveys.questionnaires import DefinitionRefusedError, save_definition
from feedback.surveys.staff.problem_messages import problem_message
from portal.db import db
from portal.i18n import _, url_for_language

bp = Blueprint("questionnaire_staff", __name__, url_prefix="/staff/surveys/questionnaires")

_LARGEST_ID = 2**31 - 1


def public_url(endpoint: str, **values: object) -> str:
    """The absolute address of a public questionnaire page, in Chinese (what posters and invitations carry)."""
    return url_for_language("zh", endpoint, **values)


def questionnaire_or_404(questionnaire_id: int) -> Questionnaire:
    """The questionnaire, or a 404 page."""
    found = db.session.get(Questionnaire, questionnaire_id) if questionnaire_id <= _LARGEST_ID else None
    if found is None:
        abort(404)
    return found


def version_or_404(questionnaire: Questionnaire, number: int) -> QuestionnaireVersion:
    """The questionnaire's version `number`, or a 404 page."""
    found = db.session.scalar(
        select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == questionnaire.id,
            QuestionnaireVersion.number == min(number, _LARGEST_ID),
        )
    )
    if found is None:
        abort(404)
    return found


def save(
    version: QuestionnaireVersion, definition: Definition
) -> tuple[QuestionnaireVersion | None, list[str]]:
    """Save `definition` into `version` (or a new version); the saved version, or None and the problems' words."""
    try:
        saved = save_definition(db.session, version, definition)
    except DefinitionRefusedError as refused:
        db.session.rollback()
        return None, [problem_message(problem) for problem in refused.problems]
    db.session.commit()
    if saved.id != version.id:
        flash(
            _(
                "第 %(old)d 版已發布或已有填答，這項修改會改變題目，所以存成新的第 %(new)d 版。",
                old=version.number,
                new=saved.number,
            ),
            "notice",
        )
    else:
        flash(_("已儲存。"), "success")
    return saved, []
