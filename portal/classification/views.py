"""Browsing by classification: the three schemes with their codes, and everything published under a code.

The items come from the domains through the registry (`add_classified_source`): each
gives its published items of a scheme with their codes. A code with nothing published
is listed without a link, so the tables stay whole.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, abort, render_template

from portal.classification.codes import SCHEME_LABELS, code_names, codes
from portal.web.registry import ClassifiedItem, registry

bp = Blueprint("classification", __name__, url_prefix="/classification")


def _items(scheme: str) -> list[tuple[str, ClassifiedItem]]:
    return [pair for source in registry().classified_sources for pair in source(scheme)]


@bp.route("/")
def index() -> Any:
    """Each scheme's codes, with how many published items each holds."""
    schemes = []
    for scheme, label in SCHEME_LABELS.items():
        counts = Counter(code for code, _item in _items(scheme))
        schemes.append((scheme, label, [(code, counts.get(code.code, 0)) for code in codes(scheme)]))
    return render_template("classification/index.html", schemes=schemes)


@bp.route("/<scheme>/<code>")
def code_page(scheme: str, code: str) -> Any:
    """Everything published under one code, newest first."""
    if scheme not in SCHEME_LABELS:
        abort(404)
    found = code_names(scheme).get(code)
    if found is None:
        abort(404)
    items = sorted(
        (item for item_code, item in _items(scheme) if item_code == code),
        key=lambda item: (item.day is not None, item.day),
        reverse=True,
    )
    return render_template(
        "classification/code.html", scheme=scheme, label=SCHEME_LABELS[scheme], code=found, items=items
    )
