"""The forms of the citizen's lookup session: adding information, leaving, and asking for a lookup link."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms.validators import DataRequired, Email, Length

from feedback.cases.attachment_fields import AttachmentsField
from feedback.cases.forms import DESCRIPTION_MAX
from portal.forms import LineEmailField, LineField, MultilineField
from portal.i18n import _l


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class AddInformationForm(FlaskForm):
    """More words or files for an open case."""

    text = MultilineField(
        _l("補充說明"),
        description=_l("例如承辦同仁請您提供的資料，或事情的新發展。"),
        validators=[Length(max=DESCRIPTION_MAX, message=_l("最多 %(max)d 個字。", max=DESCRIPTION_MAX))],
    )
    attachments = AttachmentsField()
    submit = SubmitField(_l("送出補充資料"), id="add-submit")

    def validate(self, extra_validators: Any = None) -> bool:
        """Every field's checks, and something to add: words, files or both."""
        valid = super().validate(extra_validators)
        if valid and not (self.text.data or "").strip() and not self.attachments.checked:
            self.text.errors = [*self.text.errors, _l("請填寫補充說明或附加檔案。")]
            return False
        return valid


class LeaveForm(FlaskForm):
    """Ending the lookup session."""

    submit = SubmitField(_l("結束查詢"), id="leave-submit")


class LinkRequestForm(FlaskForm):
    """A case number and the e-mail address given with it, for a one-time lookup link."""

    number = LineField(
        _l("案件編號"),
        description=_l("例如 1151126-0007"),
        validators=[
            DataRequired(message=_l("請輸入案件編號。")),
            Length(max=40, message=_l("最多 %(max)d 個字。", max=40)),
        ],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    email = LineEmailField(
        _l("電子郵件"),
        description=_l("送出案件時填寫的電子郵件。"),
        validators=[
            DataRequired(message=_l("請輸入電子郵件。")),
            Email(message=_l("電子郵件格式不正確。")),
            Length(max=254, message=_l("最多 %(max)d 個字。", max=254)),
        ],
        filters=[_stripped],  # as people paste it, with a space before or after
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("寄送查詢連結"))


class LinkOpenForm(FlaskForm):
    """The press that uses a one-time link (a mail scanner fetching the link does not)."""

    submit = SubmitField(_l("開啟案件"))
