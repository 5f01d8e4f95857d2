"""The forms of the questionnaire builder: a questionnaire's details, a question, a section, publishing."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from feedback.surveys.definition import QuestionKind
from portal.forms import LineField, MultilineField, SubmittedForm, select_choices
from portal.i18n import _l

KIND_LABELS = {
    QuestionKind.SINGLE: _l("單選題"),
    QuestionKind.MULTIPLE: _l("複選題"),
    QuestionKind.LIKERT: _l("同意程度（五點量表）"),
    QuestionKind.RATING: _l("評分（1 到 5 分）"),
    QuestionKind.NUMBER: _l("數字"),
    QuestionKind.DATE: _l("日期"),
    QuestionKind.SHORT_TEXT: _l("簡答"),
    QuestionKind.LONG_TEXT: _l("詳答"),
}
OPERATOR_LABELS = {"equals": _l("等於"), "one_of": _l("是其中之一"), "answered": _l("已回答")}

_REQUIRED = DataRequired(message=_l("此欄必填。"))


def _length(limit: int) -> Length:
    return Length(max=limit, message=_l("最多 %(max)d 個字。", max=limit))


class QuestionnaireForm(SubmittedForm):
    """A questionnaire's address, titles, description and how it is answered."""

    slug = LineField(
        _l("網址代稱"),
        description=_l("問卷網址的最後一段，例如 water-saving-2027。建立後不能修改。"),
        validators=[_REQUIRED, _length(80)],
    )
    title_zh = LineField(_l("中文標題"), validators=[_REQUIRED, _length(200)])
    title_en = LineField(_l("英文標題"), validators=[Optional(), _length(300)])
    description_zh = MultilineField(_l("中文說明"), validators=[Optional(), _length(2000)])
    description_en = MultilineField(_l("英文說明"), validators=[Optional(), _length(3000)])
    anonymous = BooleanField(_l("匿名問卷（不記錄填答時間，只記錄日期）"), default=True)
    results_public = BooleanField(_l("公開統計結果"))
    submit = SubmitField(_l("儲存"))


class QuestionForm(SubmittedForm):
    """One question as the builder edits it."""

    kind = SelectField(
        _l("題型"), choices=select_choices((str(kind), label) for kind, label in KIND_LABELS.items())
    )
    label_zh = LineField(_l("中文題目"), validators=[_REQUIRED, _length(300)])
    label_en = LineField(_l("英文題目"), validators=[Optional(), _length(300)])
    help_zh = LineField(_l("中文說明文字"), validators=[Optional(), _length(1000)])
    help_en = LineField(_l("英文說明文字"), validators=[Optional(), _length(1000)])
    required = BooleanField(_l("必答"))
    options = MultilineField(
        _l("選項"),
        description=_l("單選題與複選題才需要。每行一個選項，可寫成「中文 | English」。"),
        validators=[Optional(), _length(6000)],
    )
    allow_other = BooleanField(_l("加上「其他」選項，可填寫說明"))
    minimum = LineField(
        _l("最小值"),
        description=_l("數字題填數字，日期題填 2026-01-31 格式的日期。"),
        validators=[Optional(), _length(40)],
    )
    maximum = LineField(_l("最大值"), validators=[Optional(), _length(40)])
    condition_question = SelectField(_l("只在這一題的答案符合時顯示"), choices=[], validate_choice=False)
    condition_operator = SelectField(
        _l("條件"), choices=select_choices(OPERATOR_LABELS.items()), default="equals"
    )
    condition_values = LineField(
        _l("答案"),
        description=_l("填選項文字或代碼；「是其中之一」可填多個，以逗號分隔；評分題填 1 到 5。"),
        validators=[Optional(), _length(500)],
    )
    submit = SubmitField(_l("儲存題目"))


class SectionForm(SubmittedForm):
    """A section's title and description."""

    section_title_zh = LineField(_l("段落中文標題"), validators=[_REQUIRED, _length(300)])
    section_title_en = LineField(_l("段落英文標題"), validators=[Optional(), _length(300)])
    submit = SubmitField(_l("儲存段落"))


class NewSectionForm(QuestionForm):
    """A new section with its first question (a section is never empty)."""

    section_title_zh = LineField(_l("段落中文標題"), validators=[_REQUIRED, _length(300)])
    section_title_en = LineField(_l("段落英文標題"), validators=[Optional(), _length(300)])


class PublishForm(FlaskForm):
    """When a version opens and closes (Taipei days)."""

    opens_on = DateField(_l("開始日期"), validators=[DataRequired(message=_l("請填寫開始日期。"))])
    closes_on = DateField(
        _l("結束日期"), description=_l("最後一天也可以填答。可留空，之後再結束。"), validators=[Optional()]
    )
    submit = SubmitField(_l("發布"), id="publish-submit")


class InvitationForm(FlaskForm):
    """A batch of one-use invitations."""

    count = IntegerField(
        _l("邀請數量"),
        validators=[
            DataRequired(message=_l("請填寫數量。")),
            NumberRange(min=1, max=10000, message=_l("邀請數量必須介於 1 到 10000。")),
        ],
    )
    valid_from = DateField(_l("可開始填答的日期"), validators=[DataRequired(message=_l("請填寫日期。"))])
    valid_until = DateField(_l("最後可填答的日期"), validators=[DataRequired(message=_l("請填寫日期。"))])
    submit = SubmitField(_l("產生邀請連結"), id="invite-submit")


class ActionForm(FlaskForm):
    """A button that posts (move, remove, close, new version): its CSRF token only."""
