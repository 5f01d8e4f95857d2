"""The forms of the staff queue and of a case's page: filters, assignment, and each handling action.

Choices (offices, officers, types) are filled by the view from the database, so a value
that is not offered is refused by the form with a message, never looked up blindly.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from feedback.cases.forms import DESCRIPTION_MAX
from portal.forms import LineField, MultilineField
from portal.i18n import _l

NOTE_MAX = DESCRIPTION_MAX
EXTENSION_MAX_DAYS = 60
_choose = _l("請從清單中選擇。")


class PageForm(FlaskForm):
    """A form that shares its page with others, under a prefix (so ids never clash).

    Its token is checked by the application's CSRF protection on every POST, which reads the
    page's one `csrf_token` field; the form itself does not ask for a prefixed copy.
    """

    class Meta:
        csrf = False


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=_l("最多 %(max)d 個字。", max=limit))


class QueueFilterForm(FlaskForm):
    """The queue's filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    office = SelectField(_l("單位"), validators=[Optional()], validate_choice=True)
    officer = SelectField(_l("承辦人"), validators=[Optional()])
    type_code = SelectField(_l("類別"), validators=[Optional()])
    channel = SelectField(_l("受理管道"), validators=[Optional()])
    state = SelectField(_l("狀態"), validators=[Optional()], default="open")
    due = SelectField(_l("期限"), validators=[Optional()])
    submit = SubmitField(_l("篩選"))


class BulkAssignForm(PageForm):
    """Give the chosen cases to one officer."""

    cases = SelectMultipleField(
        _l("選取的案件"), validators=[DataRequired(message=_l("請至少選取一件案件。"))], choices=[]
    )
    officer = SelectField(_l("分派給"), validators=[DataRequired(message=_l("請選擇承辦人。"))])
    submit = SubmitField(_l("分派選取的案件"))


class AssignForm(PageForm):
    """Give this case to an officer (or take it back to the office's queue)."""

    officer = SelectField(_l("承辦人"), validators=[Optional()])
    submit = SubmitField(_l("分派"))


class MoveForm(PageForm):
    """Move the case to another state, with a reply the citizen reads."""

    target = SelectField(_l("改為"), validators=[DataRequired(message=_l("請選擇新的狀態。"))])
    reply = MultilineField(
        _l("回覆民眾的內容"),
        description=_l("會顯示在案件查詢頁並寄給民眾；改為「已回覆」時必填。"),
        validators=[Optional(), _too_long(NOTE_MAX)],
    )
    submit = SubmitField(_l("更新狀態"))


class NoteForm(PageForm):
    """An internal note: staff only, never shown to the citizen."""

    note = MultilineField(
        _l("內部註記"),
        description=_l("只有員工看得到，不會顯示給民眾。"),
        validators=[DataRequired(message=_l("請填寫註記內容。")), _too_long(NOTE_MAX)],
    )
    submit = SubmitField(_l("加入註記"))


class ExtendForm(PageForm):
    """More working days, with the reason the citizen reads."""

    days = IntegerField(
        _l("延長工作天數"),
        validators=[
            DataRequired(message=_l("請填寫延長的工作天數。")),
            NumberRange(
                min=1,
                max=EXTENSION_MAX_DAYS,
                message=_l("請填 1 到 %(max)d 之間的數字。", max=EXTENSION_MAX_DAYS),
            ),
        ],
    )
    reason = MultilineField(
        _l("延長原因"),
        description=_l("民眾會在案件查詢頁看到這段說明。"),
        validators=[DataRequired(message=_l("延長處理期限必須說明原因。")), _too_long(1000)],
    )
    submit = SubmitField(_l("延長期限"))


class TransferForm(PageForm):
    """Send the case to the office that handles it."""

    office = SelectField(_l("移轉至"), validators=[DataRequired(message=_l("請選擇單位。"))])
    submit = SubmitField(_l("移轉"))


class MergeForm(PageForm):
    """Close this case as a duplicate of another."""

    into = LineField(
        _l("併入案件編號"),
        description=_l("例如 1151126-0007；本案將結案，並告知民眾由該案繼續處理。"),
        validators=[DataRequired(message=_l("請輸入要併入的案件編號。")), _too_long(40)],
    )
    submit = SubmitField(_l("併案"))


class NoReplyForm(PageForm):
    """Close a petition without an answer under 行政程序法 §173."""

    reason = SelectField(_l("不予處理的理由"), validators=[DataRequired(message=_choose)])
    note = MultilineField(_l("說明（內部）"), validators=[Optional(), _too_long(1000)])
    submit = SubmitField(_l("依第 173 條結案"))


class RevealForm(PageForm):
    """Ask to see the citizen's full contact details (the request is written to the audit log)."""

    submit = SubmitField(_l("顯示完整聯絡資料"))
