"""The staff intake form: a case taken at the counter, on the phone, from a letter or an e-mail.

The same limits as the citizen's mailbox (`feedback/cases/forms.py`). The citizen is told
of the personal-data notice in person or on the phone, which the officer confirms; a
spoken request is read back before it is saved (`read_back`, required for the counter
and the phone on the second step).
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from feedback.cases.forms import DESCRIPTION_MAX, NAME_MAX, PHONE_MAX, SUBJECT_MAX
from feedback.cases.states import Channel
from portal.forms import LineEmailField, LineField, MultilineField
from portal.i18n import _l

STAFF_CHANNELS = (Channel.COUNTER, Channel.PHONE, Channel.LETTER, Channel.EMAIL)
SPOKEN_CHANNELS = frozenset({Channel.COUNTER.value, Channel.PHONE.value})
ADDRESS_MAX = 200


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=_l("最多 %(max)d 個字。", max=limit))


class StaffIntakeForm(FlaskForm):
    """A case a member of staff types in for a citizen."""

    channel = SelectField(_l("受理管道"), validators=[DataRequired(message=_l("請選擇受理管道。"))])
    case_type = SelectField(_l("類別"), validators=[DataRequired(message=_l("請選擇類別。"))])
    office = SelectField(_l("承辦單位"), validators=[DataRequired(message=_l("請選擇承辦單位。"))])
    language = SelectField(_l("民眾使用的語言"), description=_l("通知信以這個語言寄出。"), default="zh")
    subject = LineField(
        _l("主旨"), validators=[DataRequired(message=_l("請填寫主旨。")), _too_long(SUBJECT_MAX)]
    )
    description = MultilineField(
        _l("內容"), validators=[DataRequired(message=_l("請填寫內容。")), _too_long(DESCRIPTION_MAX)]
    )
    contact_name = LineField(
        _l("民眾姓名"), validators=[DataRequired(message=_l("請填寫民眾姓名。")), _too_long(NAME_MAX)]
    )
    contact_email = LineEmailField(
        _l("電子郵件"),
        description=_l("填寫後，案件編號、密碼與處理進度會寄到這個信箱。"),
        validators=[Optional(), Email(message=_l("電子郵件格式不正確。")), _too_long(254)],
    )
    contact_phone = LineField(_l("電話"), validators=[Optional(), _too_long(PHONE_MAX)])
    address = LineField(_l("地址"), validators=[Optional(), _too_long(ADDRESS_MAX)])
    notice_given = BooleanField(
        _l("已告知民眾個人資料蒐集的目的與使用範圍（個人資料保護法第 8 條）"),
        validators=[DataRequired(message=_l("請先告知民眾個人資料蒐集事項並勾選。"))],
    )
    read_back = BooleanField(
        _l("已向民眾逐項複誦以上內容，民眾確認無誤"),
        description=_l("臨櫃與電話受理的案件，儲存前必須複誦確認。"),
    )
    review = SubmitField(_l("下一步：核對內容"))
    edit = SubmitField(_l("返回修改"))
    save = SubmitField(_l("確認並建立案件"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Every field's checks, then a way to reach the citizen (e-mail, phone or address)."""
        valid = super().validate(extra_validators)
        reachable = any(
            (field.data or "").strip() for field in (self.contact_email, self.contact_phone, self.address)
        )
        if not reachable:
            self.contact_phone.errors = [
                *self.contact_phone.errors,
                _l("電子郵件、電話與地址至少填一項，才能回覆民眾。"),
            ]
            return False
        return valid


class ReceiptForm(FlaskForm):
    """The saved case's password, carried from the page that showed it once to the receipt."""

    password = HiddenField(validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("列印收件回執（PDF）"))
