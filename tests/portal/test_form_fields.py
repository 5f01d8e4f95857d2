"""Every text field of every form is one of the shared field types, which refuse control characters."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField, PasswordField, StringField
from wtforms.fields.core import UnboundField

from portal.forms import LineEmailField, LineField, MultilineField
from portal.text import control_position, single_line

SHARED = (LineField, MultilineField, LineEmailField)
# Not typed by a person as text: passwords are never shown or stored, hidden fields are checked by their view.
EXEMPT = (PasswordField, HiddenField)


def _our_forms() -> list[type[Form]]:
    found: list[type[Form]] = []
    pending: list[type[Any]] = [Form]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith(("portal.", "datasets.", "feedback.")):
            found.append(cls)
    return found


def test_every_text_field_of_every_form_is_a_shared_field_type(app: Flask) -> None:
    forms = _our_forms()
    assert len(forms) >= 10, [form.__name__ for form in forms]  # the application's modules are imported
    plain = []
    for form in forms:
        for name in dir(form):
            unbound = getattr(form, name)
            if not isinstance(unbound, UnboundField) or not issubclass(unbound.field_class, StringField):
                continue
            if not issubclass(unbound.field_class, SHARED + EXEMPT):
                plain.append(f"{form.__module__}.{form.__name__}.{name}: {unbound.field_class.__name__}")
    assert plain == [], "use LineField, MultilineField or LineEmailField from portal.forms"


class _Sample(Form):
    title = LineField("title")
    body = MultilineField("body")


@pytest.mark.parametrize(
    "control", ["\n", "\r", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\u202e"]
)
def test_a_line_refuses_every_control_character_and_a_text_keeps_its_line_breaks(
    app: Flask, control: str
) -> None:
    with app.test_request_context("/"):
        form = _Sample(MultiDict({"title": f"停水{control}公告", "body": "第一段\r\n\t第二段"}))
        assert not form.validate()
        assert list(form.errors) == ["title"]
        assert "第 3 個字" in form.errors["title"][0]
        allowed_in_text = control in "\n\r\t\u2028\u2029"
        body = _Sample(MultiDict({"title": "停水公告", "body": f"第一段{control}第二段"}))
        assert body.validate() is allowed_in_text, body.errors


def test_stored_text_is_cleaned_into_one_line() -> None:
    assert single_line("停水\r\n通知\x00\x1b[2J") == "停水 通知 [2J"
    assert single_line("\n\t") == ""
    assert control_position("abc") is None
    assert control_position("ab\u2028c") == 3
    assert control_position("ab\nc", multiline=True) is None
