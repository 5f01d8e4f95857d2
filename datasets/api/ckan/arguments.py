"""The arguments of a CKAN action, and its failures in CKAN's terms.

Actions take their arguments from the query string (GET) or a JSON or form body (POST);
each reader here checks one argument's type and range and raises `ActionError` with
CKAN's error type ("Validation Error" 409, "Not Found Error" 404, ...) and a message in
the visitor's language.
"""

from __future__ import annotations

import json
from typing import Any

from flask import request

from datasets.api.rowquery import QueryError, parse_int
from portal.i18n import _


class ActionError(Exception):
    """An action's failure in CKAN's terms."""

    def __init__(
        self, status: int, kind: str, message: str, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.fields = fields or {}


def not_found(what: str) -> ActionError:
    """CKAN's "Not Found Error" for `what` (in the visitor's language)."""
    return ActionError(404, "Not Found Error", _("找不到%(what)s。", what=what))


def read_arguments() -> dict[str, Any]:
    """The action's arguments: a JSON object or form body on POST, the query string on GET."""
    if request.method == "POST":
        if request.mimetype == "application/json" or request.data.strip().startswith(b"{"):
            try:
                body = json.loads(request.get_data() or b"{}")
            except (ValueError, UnicodeDecodeError):
                raise ActionError(400, "Bad request", _("要求內容不是有效的 JSON。")) from None
            if not isinstance(body, dict):
                raise ActionError(400, "Bad request", _("要求內容必須是 JSON 物件。"))
            return body
        return request.form.to_dict()
    arguments: dict[str, Any] = {}
    for key in request.args:
        values = request.args.getlist(key)
        arguments[key] = values[0] if len(values) == 1 else values
    return arguments


def validation_error(field: str, message: str) -> ActionError:
    """CKAN's "Validation Error" for one argument."""
    return ActionError(409, "Validation Error", message, {field: [message]})


def int_argument(arguments: dict[str, Any], name: str, default: int, maximum: int) -> int:
    """A whole number from 0 to `maximum`; `default` when absent."""
    value = arguments.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise validation_error(name, _("必須是整數。"))
    try:
        return parse_int(str(value), name, default, maximum)
    except QueryError as error:
        raise validation_error(name, error.message) from None


def bool_argument(arguments: dict[str, Any], name: str, default: bool) -> bool:
    """true/false, 1/0 or yes/no; `default` when absent."""
    value = arguments.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise validation_error(name, _("必須是 true 或 false。"))


def text_argument(arguments: dict[str, Any], name: str, maximum: int = 200) -> str:
    """Text of at most `maximum` characters, stripped; empty when absent."""
    value = arguments.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise validation_error(name, _("必須是文字。"))
    if len(value) > maximum:
        raise validation_error(name, _("太長了，最多 %(count)d 個字。", count=maximum))
    return value.strip()
