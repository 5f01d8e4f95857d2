"""Helpers every form uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, Form, FormField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice


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
