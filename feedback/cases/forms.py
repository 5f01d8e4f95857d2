"""The citizen's forms: the opinion mailbox and online applications, and the case lookup.

Limits are the ones the database and the officers can take: a subject of one line up to
100 characters, a description up to 4,000 (Open311's limit, about two pages), a name
up to 60. `website` is a honeypot: hidden from people (and from screen readers), left
empty by them, filled in by programs that fill every field. `attachments` takes photos and
PDFs (`feedback/cases/attachment_fields.py`).
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from feedback.cases.attachment_fields import AttachmentsField
from portal.forms import LineEmailField, LineField, MultilineField
from portal.i18n import _l

SUBJECT_MAX = 100
DESCRIPTION_MAX = 4000
NAME_MAX = 60
PHONE_MAX = 30


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=_l("最多 %(max)d 個字。", max=limit))


class MailboxForm(FlaskForm):
    """A message or an application to the water company."""

    case_type = SelectField(_l("類別"), validators=[DataRequired(message=_l("請選擇類別。"))])
    district = SelectField(
        _l("地址所在行政區"),
        description=_l("用來選出負責的服務所；可以在下一欄改選。"),
        validators=[Optional()],
    )
    office = SelectField(
        _l("承辦單位"), description=_l("不確定時請選「依地址自動選擇」。"), validators=[Optional()]
    )
    subject = LineField(
        _l("主旨"), validators=[DataRequired(message=_l("請填寫主旨。")), _too_long(SUBJECT_MAX)]
    )
    description = MultilineField(
        _l("內容"),
        description=_l("請說明發生了什麼事、在哪裡、從什麼時候開始。"),
        validators=[DataRequired(message=_l("請填寫內容。")), _too_long(DESCRIPTION_MAX)],
    )
    attachments = AttachmentsField()
    contact_name = LineField(
        _l("姓名"),
        validators=[DataRequired(message=_l("請填寫姓名，以便回覆。")), _too_long(NAME_MAX)],
        render_kw={"autocomplete": "name"},
    )
    contact_email = LineEmailField(
        _l("電子郵件"),
        description=_l("填寫後會寄出確認信；確認後案件才送交承辦單位。"),
        validators=[Optional(), Email(message=_l("電子郵件格式不正確。")), _too_long(254)],
        render_kw={"autocomplete": "email"},
    )
    contact_phone = LineField(
        _l("電話"),
        description=_l("電子郵件與電話至少填一項。"),
        validators=[Optional(), _too_long(PHONE_MAX)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    consent = BooleanField(
        _l("我已閱讀並同意上方的個人資料告知事項。"),
        validators=[DataRequired(message=_l("請勾選同意個人資料告知事項，我們才能受理。"))],
    )
    website = LineField(_l("請勿填寫此欄"), render_kw={"autocomplete": "off", "tabindex": "-1"})
    submit = SubmitField(_l("送出"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Every field's checks, then a way to reach the citizen: an e-mail address or a phone number.

        Checked here, not as a validator of the phone field: an empty optional field stops its own checks.
        """
        valid = super().validate(extra_validators)
        if not (self.contact_email.data or "").strip() and not (self.contact_phone.data or "").strip():
            self.contact_phone.errors = [
                *self.contact_phone.errors,
                _l("電子郵件與電話至少填一項，我們才能回覆您。"),
            ]
            return False
        return valid


class LookupForm(FlaskForm):
    """A case number and its password."""

    number = LineField(
        _l("案件編號"),
        description=_l("例如 1151126-0007"),
        validators=[
            DataRequired(message=_l("請輸入案件編號。")),
            Length(max=40, message=_l("最多 %(max)d 個字。", max=40)),
        ],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    password = PasswordField(
        _l("案件密碼"),
        description=_l("8 個英文字母或數字，大小寫都可以"),
        validators=[
            DataRequired(message=_l("請輸入案件密碼。")),
            Length(max=40, message=_l("最多 %(max)d 個字。", max=40)),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    submit = SubmitField(_l("查詢"))
