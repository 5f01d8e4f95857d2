"""Requests refused before any view runs: parameters holding characters no field can hold.

A NUL or another control character in a query parameter or a form field (its name or
its value) is never something a visitor typed; PostgreSQL refuses a NUL in any text,
so such a value reaching a query would be a server error. Line breaks and tabs are
allowed (a multi-line field may hold them); every other character `portal.text` refuses
in multi-line text is answered 400, as the site's page or, for programs, a problem
document, in the visitor's language. Forms check their own fields more strictly.
"""

from __future__ import annotations

from flask import Flask, Response, request

from portal.errors import error_response
from portal.i18n import _
from portal.text import CONTROL_BUT_LINE_BREAKS

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _bad_parameter() -> str | None:
    """The name of the first parameter holding a refused character, or None."""
    sources = [request.args]
    if request.mimetype in FORM_TYPES:
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
