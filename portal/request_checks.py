"""Requests refused before any view runs: parameters holding characters no field can hold.

A NUL or another control character in a query parameter or a form field (its name or
its value) is never something a visitor typed; PostgreSQL refuses a NUL in any text,
so such a value reaching a query would be a server error. Line breaks and tabs are
allowed (a multi-line field may hold them); every other character `portal.text` refuses
in multi-line text is answered 400, as the site's page or, for programs, a problem
document, in the visitor's language.

A view marked `@checks_its_own_fields` reads its body through forms that check each field
(`portal.forms.LineField`, `MultilineField`) and answer with the field's own message beside
it; its body is left to them, and not read here at all, so that a view raising the upload
limit before it reads the body still can.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request

from portal.errors import error_response
from portal.i18n import _
from portal.text import CONTROL_BUT_LINE_BREAKS

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
OWN_CHECKS = "_checks_its_own_fields"

View = TypeVar("View", bound=Callable[..., Any])


def checks_its_own_fields(view: View) -> View:
    """Mark a view whose forms check every field of the body; put it just below the route."""
    setattr(view, OWN_CHECKS, True)
    return view


def _body_is_checked_here() -> bool:
    if request.mimetype not in FORM_TYPES:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, OWN_CHECKS, False)


def _bad_parameter() -> str | None:
    """The name of the first parameter holding a refused character, or None."""
    sources = [request.args]
    if _body_is_checked_here():
        sources.append(request.form)
    for source in sources:
        for name, value in source.items(multi=True):
            if CONTROL_BUT_LINE_BREAKS.search(name) or CONTROL_BUT_LINE_BREAKS.search(value):
                return CONTROL_BUT_LINE_BREAKS.sub("?", name)[:60]
    return None


def _refuse_control_characters() -> Response | None:
    name = _bad_parameter()
    if name is None:
        return None
    detail = _("參數「%(name)s」含有不能使用的控制字元，請移除後再試一次。", name=name)
    return error_response(400, detail, parameter=name)


def init_app(app: Flask) -> None:
    """Check every request's parameters before its view."""
    app.before_request(_refuse_control_characters)
