"""Forms for the agency's contact details and its offices."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SubmitField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from portal.forms import LineEmailField, LineField, MultilineField
from portal.i18n import _l

PHONE_PATTERN = re.compile(r"^[0-9()+#\- ]{3,40}$")
_phone_message = _l("電話只能包含數字、空格、括號、加號、連字號與 #。")


def _required(message: str) -> DataRequired:
    return DataRequired(message=message)


class AgencyForm(FlaskForm):
    """The agency's name and contact details shown in every page's header and footer."""

    name_zh = LineField(
        _l("機關名稱（中文）"), validators=[_required(_l("請輸入機關中文名稱。")), Length(max=120)]
    )
    name_en = LineField(
        _l("機關名稱（英文）"), validators=[_required(_l("請輸入機關英文名稱。")), Length(max=200)]
    )
    parent_zh = LineField(_l("上級機關（中文）"), validators=[Optional(), Length(max=120)])
    parent_en = LineField(_l("上級機關（英文）"), validators=[Optional(), Length(max=200)])
    address_zh = LineField(
        _l("地址（中文）"), validators=[_required(_l("請輸入中文地址。")), Length(max=200)]
    )
    address_en = LineField(
        _l("地址（英文）"), validators=[_required(_l("請輸入英文地址。")), Length(max=300)]
    )
    phone = LineField(
        _l("總機電話"),
        validators=[_required(_l("請輸入電話。")), Regexp(PHONE_PATTERN, message=_phone_message)],
    )
    fax = LineField(_l("傳真"), validators=[Optional(), Regexp(PHONE_PATTERN, message=_phone_message)])
    hotline = LineField(
        _l("客服專線"), validators=[Optional(), Regexp(PHONE_PATTERN, message=_phone_message)]
    )
    email = LineEmailField(
        _l("電子郵件"),
        validators=[Optional(), Email(message=_l("電子郵件格式不正確。"), check_deliverability=False)],
    )
    hours_zh = LineField(
        _l("服務時間（中文）"), validators=[_required(_l("請輸入中文服務時間。")), Length(max=200)]
    )
    hours_en = LineField(
        _l("服務時間（英文）"), validators=[_required(_l("請輸入英文服務時間。")), Length(max=300)]
    )
    accessibility_mark_url = LineField(
        _l("無障礙標章圖片路徑"),
        validators=[
            Optional(),
            Length(max=300),
            Regexp(r"^/[A-Za-z0-9._/-]+$", message=_l("請填寫網站內的路徑，以 / 開頭。")),
        ],
        description=_l(
            "通過檢測後取得的標章圖片，放在網站內的路徑，例如 /static/img/accessibility-aa.png；留空則不顯示標章。"
        ),
    )
    submit = SubmitField(_l("儲存"))


class OfficeForm(FlaskForm):
    """A service office."""

    code = LineField(
        _l("單位代碼"),
        validators=[
            _required(_l("請輸入單位代碼。")),
            Regexp(
                r"^[A-Za-z0-9_-]{1,20}$",
                message=_l("單位代碼只能用 1 到 20 個英文字母、數字、底線或連字號。"),
            ),
        ],
    )
    name_zh = LineField(_l("名稱（中文）"), validators=[_required(_l("請輸入中文名稱。")), Length(max=120)])
    name_en = LineField(_l("名稱（英文）"), validators=[_required(_l("請輸入英文名稱。")), Length(max=200)])
    address_zh = LineField(_l("地址（中文）"), validators=[Optional(), Length(max=200)])
    address_en = LineField(_l("地址（英文）"), validators=[Optional(), Length(max=300)])
    phone = LineField(_l("電話"), validators=[Optional(), Regexp(PHONE_PATTERN, message=_phone_message)])
    hours_zh = LineField(_l("服務時間（中文）"), validators=[Optional(), Length(max=200)])
    hours_en = LineField(_l("服務時間（英文）"), validators=[Optional(), Length(max=300)])
    service_area_zh = MultilineField(_l("服務區域（中文）"), validators=[Optional(), Length(max=2000)])
    service_area_en = MultilineField(_l("服務區域（英文）"), validators=[Optional(), Length(max=4000)])
    sort_order = IntegerField(
        _l("排列順序"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=9999, message=_l("排列順序須為 0 到 9999 的整數。")),
        ],
    )
    active = BooleanField(_l("對外顯示"), default=True)
    submit = SubmitField(_l("儲存"))
