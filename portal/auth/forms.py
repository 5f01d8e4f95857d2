"""Forms of the staff area: login, password change, staff accounts."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.passwords import MAX_LENGTH, password_problems
from portal.auth.roles import ROLES_NEEDING_OFFICE, Role
from portal.auth.services import USERNAME_PATTERN
from portal.forms import LineEmailField, LineField, select_choices
from portal.i18n import _, _l


class LoginForm(FlaskForm):
    """User name and password."""

    username = LineField(
        _l("帳號"),
        validators=[DataRequired(message=_l("請輸入帳號。")), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("密碼"),
        validators=[DataRequired(message=_l("請輸入密碼。")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("登入"))


class PolicyPassword:
    """Validator: the field's value meets the password policy."""

    def __init__(self, username_field: str | None = None) -> None:
        self.username_field = username_field

    def __call__(self, form: FlaskForm, field: Any) -> None:
        username = ""
        if self.username_field:
            username = form[self.username_field].data or ""
        elif getattr(form, "username_for_policy", None):
            username = form.username_for_policy
        problems = password_problems(field.data or "", username)
        if problems:
            raise ValidationError(" ".join(problems))


class PasswordChangeForm(FlaskForm):
    """Current password and a new one, typed twice."""

    current_password = PasswordField(
        _l("目前的密碼"),
        validators=[DataRequired(message=_l("請輸入目前的密碼。"))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("新密碼"),
        validators=[DataRequired(message=_l("請輸入新密碼。")), PolicyPassword()],
        description=_l("至少 12 個字元；可以用一句好記的話，不必混用符號。"),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("再輸入一次新密碼"),
        validators=[
            DataRequired(message=_l("請再輸入一次新密碼。")),
            EqualTo("new_password", message=_l("兩次輸入的新密碼不同。")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("變更密碼"))

    def __init__(self, *args: Any, username: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.username_for_policy = username


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _role_choices() -> list[SelectChoice]:
    return select_choices((role.value, role.label) for role in Role)


class StaffForm(FlaskForm):
    """An administrator's form for a staff account."""

    username = LineField(
        _l("帳號"),
        validators=[DataRequired(message=_l("請輸入帳號。")), Length(max=64)],
        description=_l("3 到 64 個小寫英文字母、數字、點、底線或連字號，以字母或數字開頭。"),
        render_kw={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"},
    )
    display_name = LineField(
        _l("姓名"),
        validators=[DataRequired(message=_l("請輸入姓名。")), Length(max=120)],
    )
    email = LineEmailField(
        _l("電子郵件"),
        validators=[
            Optional(),
            Email(message=_l("電子郵件格式不正確。"), check_deliverability=False),
            Length(max=254),
        ],
        render_kw={"autocomplete": "off"},
    )
    office_id = SelectField(_l("所屬單位"), coerce=str, validators=[Optional()])
    roles = MultiCheckboxField(_l("角色"), choices=_role_choices)
    active = BooleanField(_l("帳號啟用"), default=True)
    password = PasswordField(
        _l("初始密碼"),
        validators=[Optional(), PolicyPassword(username_field="username")],
        description=_l("新帳號必填。本人第一次登入時必須改成自己的密碼。"),
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("儲存"))

    def validate_username(self, field: StringField) -> None:
        field.data = (field.data or "").strip().lower()
        if not USERNAME_PATTERN.match(field.data):
            raise ValidationError(_("帳號格式不正確：請用 3 到 64 個小寫英文字母、數字、點、底線或連字號。"))

    def validate_roles(self, field: MultiCheckboxField) -> None:
        if not field.data:
            raise ValidationError(_("請至少選擇一個角色。"))

    def validate_office_id(self, field: SelectField) -> None:
        chosen = {Role(value) for value in (self.roles.data or []) if value in Role._value2member_map_}
        needs_office = bool(chosen & ROLES_NEEDING_OFFICE)
        if needs_office and not field.data:
            raise ValidationError(_("案件承辦人必須指定所屬單位。"))


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token and a button, for actions such as unlock."""

    submit = SubmitField(_l("確定"))
