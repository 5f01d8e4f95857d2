"""The forms of the satisfaction survey after a case."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from feedback.surveys.case_surveys import COMMENT_MAX, SCORES
from feedback.surveys.labels import ASPECT_LABELS, FACE_LABELS
from portal.forms import MultilineField
from portal.i18n import _l


def _face_choices() -> list[tuple[str, object]]:
    return [(str(score), FACE_LABELS[score]) for score in reversed(SCORES)]


class CaseSurveyForm(FlaskForm):
    """Overall satisfaction (required), four aspects and a comment (optional)."""

    overall = RadioField(
        _l("整體而言，您對這次的服務滿意嗎？"),
        choices=_face_choices(),
        validators=[DataRequired(message=_l("請選擇整體滿意度。"))],
    )
    timeliness = RadioField(ASPECT_LABELS["timeliness"], choices=_face_choices(), validators=[Optional()])
    attitude = RadioField(ASPECT_LABELS["attitude"], choices=_face_choices(), validators=[Optional()])
    professionalism = RadioField(
        ASPECT_LABELS["professionalism"], choices=_face_choices(), validators=[Optional()]
    )
    clarity = RadioField(ASPECT_LABELS["clarity"], choices=_face_choices(), validators=[Optional()])
    comment = MultilineField(
        _l("其他意見"),
        description=_l("請勿填寫身分證字號等個人資料。意見只有本公司同仁會看到。"),
        validators=[Length(max=COMMENT_MAX, message=_l("最多 %(max)d 個字。", max=COMMENT_MAX))],
    )
    submit = SubmitField(_l("送出問卷"))
