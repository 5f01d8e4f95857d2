"""Helpers every form uses, and the text fields every staff form uses.

Every one-line text field of a staff form is a `LineField` and every multi-line one a
`MultilineField`: the characters they refuse are decided once, in `portal.text`, so a
title with a line break or an escape character is refused with one clear message on
every form (tests/portal/test_form_fields.py walks every form to keep it so).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import EmailInput

from portal.i18n import _
from portal.text import control_position


def text_problem(text: str | None, *, multiline: bool = False) -> str | None:
    """Why `text` cannot be taken as typed (in the visitor's language), or None when it can."""
    position = control_position(text or "", multiline=multiline)
    if position is None:
        return None
    if multiline:
        return _(
            "不能含有控制字元（第 %(position)d 個字）；換行與定位字元（Tab）可以使用。", position=position
        )
    return _(
        "只能填一行文字，不能含有換行、定位字元（Tab）或其他控制字元（第 %(position)d 個字）。",
        position=position,
    )


class LineField(StringField):
    """A one-line text field: refuses line breaks, tabs and every other control character."""

    def pre_validate(self, form: Any) -> None:
        """Stop at the first character a one-line value may not hold (other checks would only add noise)."""
        problem = text_problem(self.data if isinstance(self.data, str) else "")
        if problem:
            raise StopValidation(problem)


class LineEmailField(LineField):
    """A one-line field for an e-mail address (the browser's e-mail input)."""

    widget = EmailInput()


class MultilineField(TextAreaField):
    """A multi-line text field: line breaks and tabs are kept, other control characters refused."""

    def pre_validate(self, form: Any) -> None:
        """Stop at the first control character other than a line break or tab."""
        problem = text_problem(self.data if isinstance(self.data, str) else "", multiline=True)
        if problem:
            raise StopValidation(problem)


def select_choices(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """`(value, label)` pairs as the choices of a select or checkbox field."""
    return [SelectChoice(value, label) for value, label in pairs]


def _blank_if_missing(field: Field) -> None:
    if isinstance(field, FormField):
        blank_missing_fields(field.form)
    elif isinstance(field, FieldList):
        for entry in field:
            _blank_if_missing(entry)
    elif field.data is None:
        if isinstance(field, SelectMultipleField):
            field.data = []
        elif isinstance(field, StringField | SelectField):
            field.data = ""


def blank_missing_fields(form: Form) -> None:
    """Make every text or choice field a submission left out read as empty, not as None."""
    for field in form:
        _blank_if_missing(field)


class SubmittedForm(FlaskForm):
    """A form whose text and choice fields read as empty when a submission leaves them out.

    A browser sends an empty field as an empty value; a program may not send it at all,
    and WTForms then leaves its data None, which a column that is never NULL refuses.
    """

    def process(self, formdata: Any = None, obj: Any = None, data: Any = None, **kwargs: Any) -> None:
        """Fill the fields as WTForms does, then read fields left out of a submission as empty."""
        super().process(formdata, obj, data, **kwargs)
        if self.is_submitted():
            blank_missing_fields(self)


_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript:", re.IGNORECASE)


class NoMarkup:
    """Refuse HTML tags (and `javascript:` addresses) in plain text: a title is text, never markup."""

    def __call__(self, form: Any, field: Field) -> None:
        """Raise StopValidation when the field's text holds something that looks like a tag."""
        if isinstance(field.data, str) and _MARKUP.search(field.data):
            raise StopValidation(_("不能含有 HTML 標記或程式碼（例如 <script>）；請只輸入文字。"))
