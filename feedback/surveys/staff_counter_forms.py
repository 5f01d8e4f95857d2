"""The forms of the staff's counter pages: a counter, the answers' date range, and excluding a burst."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp, StopValidation

from feedback.surveys.counters import EXCLUSION_REASON_MAX
from portal.forms import LineField
from portal.i18n import _l

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$"
MAX_RANGE_DAYS = 3 * 366


class CounterForm(FlaskForm):
    """A counter of an office: its code (fixed once made), names, and whether it is in use."""

    office = SelectField(_l("服務據點"), validators=[DataRequired(message=_l("請選擇服務據點。"))])
    code = LineField(
        _l("櫃台代碼"),
        description=_l("英文字母、數字與連字號，例如 1 或 A-2；會出現在網址與海報上，建立後不能修改。"),
        validators=[
            DataRequired(message=_l("請填寫櫃台代碼。")),
            Regexp(CODE_PATTERN, message=_l("櫃台代碼只能使用英文字母、數字與連字號，最多 20 個字。")),
        ],
    )
    name_zh = LineField(
        _l("名稱（中文）"),
        validators=[
            DataRequired(message=_l("請填寫中文名稱。")),
            Length(max=60, message=_l("最多 60 個字。")),
        ],
    )
    name_en = LineField(
        _l("名稱（英文）"), validators=[Optional(), Length(max=100, message=_l("最多 100 個字。"))]
    )
    active = BooleanField(_l("使用中（取消勾選即停用，停用的櫃台不再接受評分）"))
    submit = SubmitField(_l("儲存"))


def _range_in_order(form: Any, field: Any) -> None:
    start = form.start.data
    if start is None or field.data is None:
        return
    if field.data < start:
        raise StopValidation(str(_l("結束日期不能早於開始日期。")))
    if (field.data - start).days > MAX_RANGE_DAYS:
        raise StopValidation(str(_l("日期範圍最長三年。")))


class AnswersFilterForm(FlaskForm):
    """Which office's answers, from which day to which (query string; no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    office = SelectField(_l("服務據點"), validators=[Optional()])
    start = DateField(
        _l("開始日期"), validators=[DataRequired(message=_l("請填寫開始日期（例如 2026-01-31）。"))]
    )
    end = DateField(
        _l("結束日期"),
        validators=[DataRequired(message=_l("請填寫結束日期（例如 2026-01-31）。")), _range_in_order],
    )
    submit = SubmitField(_l("查看"))


def _id_list(_form: Any, field: Any) -> None:
    parts = (field.data or "").split(",")
    if not parts or not all(part.isdigit() and len(part) < 10 for part in parts):
        raise StopValidation(str(_l("找不到要排除的回答，請重新整理頁面。")))


class ExcludeBurstForm(FlaskForm):
    """Exclude a burst's answers from the figures, saying why."""

    counter = HiddenField(
        validators=[Regexp(r"^\d{1,9}$", message=_l("找不到要排除的回答，請重新整理頁面。"))]
    )
    ids = HiddenField(validators=[_id_list])
    start = HiddenField()
    end = HiddenField()
    office = HiddenField()
    reason = LineField(
        _l("排除原因"),
        description=_l("例如：同一人連續按壓。原因會記錄在稽核紀錄中。"),
        validators=[
            DataRequired(message=_l("請填寫排除原因。")),
            Length(max=EXCLUSION_REASON_MAX, message=_l("最多 %(max)d 個字。", max=EXCLUSION_REASON_MAX)),
        ],
    )
    submit = SubmitField(_l("排除這批回答"))

    def id_numbers(self) -> list[int]:
        """The answers' ids (after validation)."""
        return [int(part) for part in (self.ids.data or "").split(",")]
