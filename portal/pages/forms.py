"""The form staff use to write content pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from portal.forms import LineField, MultilineField
from portal.i18n import _l


class PageForm(FlaskForm):
    """A content page in both languages."""

    slug = LineField(
        _l("網址代稱"),
        validators=[
            DataRequired(message=_l("請輸入網址代稱。")),
            Regexp(
                r"^[a-z0-9][a-z0-9-]{0,79}$",
                message=_l("網址代稱只能用小寫英文字母、數字與連字號，最多 80 字。"),
            ),
        ],
        description=_l("出現在網址中，例如 privacy。"),
    )
    title_zh = LineField(
        _l("標題（中文）"), validators=[DataRequired(message=_l("請輸入中文標題。")), Length(max=200)]
    )
    title_en = LineField(
        _l("標題（英文）"), validators=[DataRequired(message=_l("請輸入英文標題。")), Length(max=300)]
    )
    summary_zh = LineField(_l("摘要（中文）"), validators=[Optional(), Length(max=500)])
    summary_en = LineField(_l("摘要（英文）"), validators=[Optional(), Length(max=800)])
    body_zh = MultilineField(
        _l("內文（中文）"),
        validators=[DataRequired(message=_l("請輸入中文內文。")), Length(max=100_000)],
        description=_l("以 Markdown 撰寫：空一行分段，「## 」開頭為小標題，「- 」開頭為清單。"),
        render_kw={"rows": 16},
    )
    body_en = MultilineField(
        _l("內文（英文）"),
        validators=[DataRequired(message=_l("請輸入英文內文。")), Length(max=100_000)],
        render_kw={"rows": 16},
    )
    theme_code = SelectField(_l("主題分類"), validators=[Optional()])
    cake_code = SelectField(_l("施政分類"), validators=[Optional()])
    service_code = SelectField(_l("服務分類"), validators=[Optional()])
    published = BooleanField(_l("公開"), default=True)
    in_footer = BooleanField(_l("列在頁尾"), default=False)
    sort_order = IntegerField(
        _l("排列順序"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=9999, message=_l("排列順序須為 0 到 9999 的整數。"))],
    )
    submit = SubmitField(_l("儲存"))
