"""The phone page's form of the counter survey: one face (required) and one fixed reason (optional).

Values outside the offered ones are refused with a message of our own (not WTForms'
"Not a valid choice"), so a forged answer gets a clear 400.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import StopValidation

from feedback.surveys.counters import REASON_LABELS, REASONS, SCORES
from feedback.surveys.labels import FACE_LABELS
from portal.i18n import _l

SCORE_MESSAGE = _l("請選擇一個表情，告訴我們您對這次服務的感受。")
REASON_MESSAGE = _l("請從清單中選擇原因，或不要選。")


def _score_given(_form: Any, field: Any) -> None:
    if field.data not in {str(score) for score in SCORES}:
        raise StopValidation(str(SCORE_MESSAGE))


def _reason_offered(_form: Any, field: Any) -> None:
    if field.data not in (None, "", *REASONS):
        raise StopValidation(str(REASON_MESSAGE))


def face_choices() -> list[tuple[str, Any]]:
    """The five faces, most satisfied first."""
    return [(str(score), FACE_LABELS[score]) for score in reversed(SCORES)]


def reason_choices() -> list[tuple[str, Any]]:
    """The fixed reasons, in their order."""
    return [(code, REASON_LABELS[code]) for code in REASONS]


class CounterAnswerForm(FlaskForm):
    """The counter survey on a visitor's phone."""

    score = RadioField(
        _l("您對這次櫃台的服務滿意嗎？"),
        choices=face_choices(),
        validate_choice=False,
        validators=[_score_given],
    )
    reason = RadioField(
        _l("影響您評分的主要原因（可不選）"),
        choices=reason_choices(),
        validate_choice=False,
        validators=[_reason_offered],
    )
    submit = SubmitField(_l("送出評分"))
