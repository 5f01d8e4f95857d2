"""The search page (`/search`) and the search API (`/api/v1/search`).

Both read the same parameters (`search.asking`) and search in the visitor's language.
The page shows the form with its filters, then the results (title matches first, newest
first within each, the words highlighted), or a page that helps when nothing is found;
the form alone and that page list the popular keywords (`search.keywords`), which count
the searches of the page that found something (not those of the API: programs repeat).
A parameter that cannot be used is a 400 that says what to change, in the visitor's
language; the API answers it as RFC 9457 problem details.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from datasets.api.spec import json_response, operation, query_param
from portal.db import db
from portal.errors import problem_response
from portal.i18n import _, _l, current_language, localized
from portal.pagination import Page
from portal.site_frame import shown_offices
from search.asking import Asking, read_asking
from search.forms import search_form
from search.keywords import count_search, local_today, popular
from search.models import KINDS
from search.services import PER_PAGE, Results, SearchRefusedError, search

bp = Blueprint("search", __name__)
api_bp = Blueprint("search_api", __name__, url_prefix="/api/v1")

KIND_LABELS = {
    "page": _l("網頁"),
    "news": _l("最新消息"),
    "notice": _l("停水公告"),
    "faq": _l("常見問答"),
    "guide": _l("服務指南"),
    "disclosure": _l("主動公開資訊"),
    "dataset": _l("開放資料"),
}


def _run(asking: Asking) -> Results:
    return search(
        asking.query,
        kind=asking.kind,
        office=asking.office,
        date_from=asking.date_from,
        date_to=asking.date_to,
        classification=asking.classification,
        page=asking.page,
        language=current_language().code,
    )


def _page(asking: Asking, errors: dict[str, Any], results: Results | None, status: int) -> Response:
    listing = None
    if results is not None:
        listing = Page(items=results.results, number=results.page, per_page=PER_PAGE, total=results.total)
    offices = [
        (office.code, localized(office, "name")) for office in shown_offices().values() if office.active
    ]
    form, other_errors = search_form(
        request.args, [(kind, KIND_LABELS[kind]) for kind in KINDS], offices, errors
    )
    shown_keywords = popular(db.session, local_today()) if results is None or not results.total else []
    body = render_template(
        "search/results.html",
        form=form,
        keywords=shown_keywords,
        other_errors=other_errors,
        asking=asking,
        results=results,
        listing=listing,
        kind_labels=KIND_LABELS,
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store" if status >= 400 else "public, max-age=60"
    return response


@bp.route("/search")
def search_page() -> Response:
    """The search form and, once words are given, what they find."""
    asking, errors = read_asking(request.args)
    if errors:
        return _page(asking, errors, None, 400)
    if not asking.query.strip():
        return _page(asking, {}, None, 200)
    try:
        results = _run(asking)
    except SearchRefusedError as refusal:
        return _page(asking, {"q": refusal.message}, None, 400)
    if results.total and asking.page == 1 and count_search(db.session, asking.query, local_today()):
        db.session.commit()  # a popular keyword's count: the term and the day, nothing about the visitor
    return _page(asking, {}, results, 200)


def _result_json(results: Results) -> dict[str, Any]:
    return {
        "query": results.query,
        "page": results.page,
        "pages": results.pages,
        "total": results.total,
        "total_exact": results.total_exact,
        "results": [
            {
                "type": result.kind,
                "language": result.language,
                "url": request.host_url.rstrip("/") + result.url,
                "date": result.day.isoformat(),
                "title": str(result.title.striptags()),
                "title_html": str(result.title),
                "snippet_html": str(result.snippet),
            }
            for result in results.results
        ],
    }


@api_bp.route("/search")
@operation(
    "search",
    "全站搜尋",
    "Search the site",
    description=(
        "Pages, news, outage notices, FAQ, service guides, disclosure documents and datasets "
        "holding every word of `q`, in the language of `Accept-Language`: title matches first, "
        "newest first within each. `title_html` and `snippet_html` mark the words with `<mark>` "
        "and are escaped HTML. `total` is exact up to 1,000 matches (`total_exact`)."
    ),
    parameters=(
        query_param(
            "q", "The words; a space between words means all of them.", {"type": "string"}, required=True
        ),
        query_param("type", "One kind of document.", {"type": "string", "enum": list(KINDS)}),
        query_param("page", "The page of 10 results, from 1.", {"type": "integer", "minimum": 1}),
    ),
    responses={
        "200": {
            "description": "The results.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "400": json_response("A parameter that cannot be used.", "Problem", "application/problem+json"),
    },
)
def search_api() -> Response:
    """The search as JSON."""
    asking, errors = read_asking(request.args)
    if not errors and not asking.query.strip():
        errors = {"q": _("請輸入要搜尋的字詞。")}
    if errors:
        name, message = next(iter(errors.items()))
        return problem_response(400, str(message), parameter=name)
    try:
        results = _run(asking)
    except SearchRefusedError as refusal:
        return problem_response(400, str(refusal.message), parameter="q")
    response = jsonify(_result_json(results))
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
