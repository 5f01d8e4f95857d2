"""CKAN's Action API, the part harvesters and `ckanapi` use, at `/api/3/action/<name>` (and `/api/action/`).

Answers keep CKAN's envelope, `{"help", "success", "result"}`, and its error types
("Not Found Error" 404, "Validation Error" 409, "Search Query Error" 409,
"Authorization Error" 403), so CKAN clients work unchanged. The actions are in
`packages` (datasets, organizations, resources, search) and `datastore` (rows);
`arguments` reads and checks what they are given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, url_for

from datasets.api.ckan.arguments import ActionError, not_found, read_arguments, text_argument
from datasets.api.ckan.datastore import datastore_search
from datasets.api.ckan.packages import (
    organization_list,
    organization_show,
    package_list,
    package_search,
    package_show,
    resource_show,
)
from portal.db import db
from portal.i18n import _
from portal.security import csrf

bp = Blueprint("ckan_api", __name__)
csrf.exempt(bp)  # read-only actions; no cookie is ever trusted here


def _help_url(action: str) -> str:
    return url_for("ckan_api.action", name="help_show", _external=True) + f"?name={action}"


def _envelope(action: str, result: Any) -> Response:
    return jsonify({"help": _help_url(action), "success": True, "result": result})


def _failure(action: str, error: ActionError) -> Response:
    body: dict[str, Any] = {"__type": error.kind, "message": error.message}
    body.update(error.fields)
    response = jsonify({"help": _help_url(action), "success": False, "error": body})
    response.status_code = error.status
    return response


def status_show(arguments: dict[str, Any]) -> Any:
    """What this site is, as CKAN clients ask for it."""
    return {
        "site_title": _("開放資料"),
        "site_url": url_for("web.home", _external=True).rstrip("/"),
        "site_description": "",
        "ckan_version": "2.10.0",
        "locale_default": "zh_Hant_TW",
        "extensions": ["datastore"],
    }


def help_show(arguments: dict[str, Any]) -> Any:
    """The documentation of an action."""
    name = text_argument(arguments, "name")
    if name not in ACTIONS:
        raise not_found(_("這個動作"))
    return ACTIONS[name].__doc__


ACTIONS: dict[str, Callable[[dict[str, Any]], Any]] = {
    function.__name__: function
    for function in (
        package_list,
        package_show,
        package_search,
        organization_list,
        organization_show,
        resource_show,
        datastore_search,
        status_show,
        help_show,
    )
}


@bp.route("/api/3/action/<name>", methods=["GET", "POST"])
@bp.route("/api/action/<name>", methods=["GET", "POST"])
def action(name: str) -> Response:
    """Run a CKAN action."""
    function = ACTIONS.get(name)
    try:
        if function is None:
            raise ActionError(400, "Bad request", _("不支援的動作：%(name)s", name=name[:60]))
        return _envelope(name, function(read_arguments()))
    except ActionError as error:
        db.session.rollback()
        return _failure(name, error)
