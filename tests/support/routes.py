"""What the real-server tests ask: every route of the URL map, with real values from the demo.

`plan()` walks the application's URL map and turns each rule into the requests that ask
it, filling its URL parameters from the server's own database. A rule whose parameters
no resolver here knows, and that is not in `EXCLUDED` with a reason, makes
`unresolved()` name it, so a new route is asked (or consciously left out) from the day
it is added.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from datasets.api.ckan import ACTIONS
from datasets.models import Dataset, PublishJob, Release
from disclosure.categories import CATEGORIES
from disclosure.models import DisclosureDocument, DisclosureFile
from feedback.cases.models import Case, CaseType
from portal.apikeys.models import ApiKey
from portal.audit import AuditRecord
from portal.auth.models import Staff
from portal.classification.models import ClassificationCode
from portal.db import db
from portal.offices.models import Office
from portal.pages.models import Page
from tests.support.open311_routes import open311_asks, open311_values

# Public rules not asked, and why. Keep this short: everything else is asked.
EXCLUDED: dict[str, str] = {}

STAFF_PREFIX = "/staff"
PUBLIC_STAFF_ENDPOINTS = {"auth.login"}  # the one page under /staff a visitor may open


@dataclass(frozen=True)
class Ask:
    """One request the suite sends: the rule it asks, the method, the path and what should answer."""

    endpoint: str
    template: str  # the rule, parameters written as OpenAPI writes them: /datasets/{slug}
    method: str
    path: str
    expect: int = 200
    body: str | None = None  # JSON sent with a POST


def template(rule: Rule) -> str:
    """`rule` as an OpenAPI path template."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)


def is_public(rule: Rule) -> bool:
    """Whether a visitor without an account may use `rule`."""
    return not rule.rule.startswith(STAFF_PREFIX) or rule.endpoint in PUBLIC_STAFF_ENDPOINTS


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


@dataclass
class DemoValues:
    """Real values from the server's database for every kind of URL parameter."""

    dataset_slugs: list[str]
    releases: list[tuple[str, int]]
    files: list[tuple[str, int, str]]
    page_slugs: list[str]
    office_codes: list[str]
    job_ids: list[int]
    staff: dict[str, list[Any]]
    open311: dict[str, Any] = field(default_factory=dict)  # tests/support/open311_routes.py
    questionnaire_slugs: list[str] = field(default_factory=list)  # the questionnaires open now
    results_slugs: list[str] = field(default_factory=list)  # published, their results public


def _case_numbers(session: Any) -> list[str]:
    open_case = session.scalar(select(Case.number).where(Case.state != "closed").order_by(Case.id).limit(1))
    closed = session.scalar(select(Case.number).where(Case.state == "closed").order_by(Case.id).limit(1))
    return [number for number in (open_case, closed) if number]


def _survey_values(session: Any) -> dict[str, list[Any]]:
    """The survey pages' arguments: follow-ups, counters, questionnaires and their versions' parts."""
    from feedback.surveys.models import Counter, FollowUp
    from feedback.surveys.questionnaire_models import QuestionnaireVersion
    from feedback.surveys.questionnaires import definition_of

    versions = list(session.scalars(select(QuestionnaireVersion).order_by(QuestionnaireVersion.id)))
    parts = [(version, definition_of(version)) for version in versions]
    return {
        "follow_up_id": list(session.scalars(select(FollowUp.id).order_by(FollowUp.id).limit(3))),
        "counter_code,office_code": [
            (code, office)
            for code, office in session.execute(
                select(Counter.code, Office.code).join(Office, Office.id == Counter.office_id).limit(3)
            )
        ],
        "questionnaire_id": sorted({version.questionnaire_id for version in versions}),
        "kind,questionnaire_id": [
            (kind, v.questionnaire_id) for kind in ("csv", "ods", "pdf") for v in versions[:1]
        ],
        "number,questionnaire_id": [(v.number, v.questionnaire_id) for v in versions],
        "key,number,questionnaire_id": [
            (d.questions()[0].key, v.number, v.questionnaire_id) for v, d in parts if d.questions()
        ],
        "number,questionnaire_id,section_key": [
            (v.number, v.questionnaire_id, d.sections[0].key) for v, d in parts if d.sections
        ],
    }


def _disclosure_values(session: Any) -> dict[str, list[Any]]:
    """Published disclosure documents, and files of each format the demo has."""
    documents = list(
        session.scalars(
            select(DisclosureDocument.id)
            .where(DisclosureDocument.published.is_(True))
            .order_by(DisclosureDocument.id)
            .limit(3)
        )
    )
    files: dict[str, tuple[int, str]] = {}
    for file_id, name, media_type in session.execute(
        select(DisclosureFile.id, DisclosureFile.name, DisclosureFile.media_type).order_by(DisclosureFile.id)
    ):
        files.setdefault(media_type, (file_id, name))
    codes = session.execute(
        select(ClassificationCode.code, ClassificationCode.scheme).order_by(
            ClassificationCode.scheme, ClassificationCode.code
        )
    )
    first_of_each: dict[str, tuple[str, str]] = {}
    for code, scheme in codes:
        first_of_each.setdefault(scheme, (code, scheme))
    return {
        "document_id": documents,
        "file_id,name": list(files.values()),
        "code,scheme": list(first_of_each.values()),
    }


def _questionnaire_slugs(session: Any) -> tuple[list[str], list[str]]:
    """The questionnaires open to anyone now, and the published ones whose results are public."""
    from feedback.surveys.questionnaire_models import Questionnaire, QuestionnaireVersion
    from feedback.surveys.questionnaires import by_invitation_only, listed
    from portal.db import utcnow

    open_now, _closed = listed(session, utcnow())
    # Open to anyone: an invitation-only one answers its bare address with a refusal (403).
    open_now = [questionnaire for questionnaire in open_now if not by_invitation_only(session, questionnaire)]
    public = session.scalars(
        select(Questionnaire.slug)
        .join(QuestionnaireVersion, QuestionnaireVersion.questionnaire_id == Questionnaire.id)
        .where(Questionnaire.results_public.is_(True), QuestionnaireVersion.published_at.is_not(None))
        .distinct()
    )
    return sorted(questionnaire.slug for questionnaire in open_now), sorted(public)


def demo_values(app: Flask) -> DemoValues:
    """Read the values from the database `app` is on."""
    with app.app_context():
        session = db.session
        published = list(session.scalars(select(Dataset).where(Dataset.published.is_(True))))
        releases = list(
            session.execute(
                select(Dataset.slug, Release)
                .join(Release, Release.dataset_id == Dataset.id)
                .where(Dataset.published.is_(True))
                .order_by(Dataset.slug, Release.number)
            )
        )
        staff: dict[str, list[Any]] = {
            "staff_id": list(session.scalars(select(Staff.id).order_by(Staff.id))),
            "office_id": list(session.scalars(select(Office.id).order_by(Office.id))),
            "page_id": list(session.scalars(select(Page.id).order_by(Page.id))),
            "key_id": list(session.scalars(select(ApiKey.id).order_by(ApiKey.id))),
            "record_id": list(
                session.scalars(select(AuditRecord.id).order_by(AuditRecord.id.desc()).limit(3))
            ),
            "dataset_id": list(session.scalars(select(Dataset.id).order_by(Dataset.id))),
            "type_id": list(session.scalars(select(CaseType.id).order_by(CaseType.id))),
            # Staff case pages: an open case and a closed one, when the demo has them.
            "number": _case_numbers(session),
            **_survey_values(session),
            **_disclosure_values(session),
        }
        questionnaire_slugs, results_slugs = _questionnaire_slugs(session)
        jobs = list(session.execute(select(PublishJob.dataset_id, PublishJob.id).order_by(PublishJob.id)))
        staff["dataset_id,job_id"] = [(dataset_id, job_id) for dataset_id, job_id in jobs]
        return DemoValues(
            dataset_slugs=sorted(dataset.slug for dataset in published),
            releases=[(slug, release.number) for slug, release in releases],
            files=[
                (slug, release.number, info["name"])
                for slug, release in releases
                for info in (release.files or {}).values()
            ],
            page_slugs=list(session.scalars(select(Page.slug).where(Page.published.is_(True)))),
            office_codes=list(session.scalars(select(Office.code).where(Office.active.is_(True)))),
            job_ids=[job_id for _dataset, job_id in jobs],
            staff=staff,
            open311=open311_values(session),
            questionnaire_slugs=questionnaire_slugs,
            results_slugs=results_slugs,
        )


def _ckan_asks(rule: Rule, values: DemoValues) -> list[Ask]:
    """Each action by GET with a query string, and by POST with the same arguments as JSON."""
    slug = values.dataset_slugs[0]
    arguments: dict[str, dict[str, Any]] = {
        "package_list": {},
        "package_show": {"id": slug},
        "package_search": {"q": "水", "rows": 5, "facet.field": ["tags"]},
        "organization_list": {"all_fields": True},
        "organization_show": {"id": values.office_codes[0]},
        "resource_show": {"id": f"{slug}.csv"},
        "datastore_search": {"resource_id": f"{slug}.csv", "limit": 5},
        "status_show": {},
        "help_show": {"name": "package_show"},
    }
    missing = set(ACTIONS) - set(arguments)
    assert not missing, f"CKAN actions without arguments in tests/support/routes.py: {sorted(missing)}"
    asks = []
    for name, given in arguments.items():
        path = rule.rule.replace("<name>", name)
        query = urlencode(
            {key: json.dumps(value) if isinstance(value, list) else value for key, value in given.items()}
        )
        asks.append(Ask(rule.endpoint, template(rule), "GET", path + (f"?{query}" if query else "")))
        asks.append(Ask(rule.endpoint, template(rule), "POST", path, body=json.dumps(given)))
    return asks


def _build(rule: Rule, **arguments: Any) -> str:
    path = rule.rule
    for name, value in arguments.items():
        for converter in ("", "int:", "path:"):
            path = path.replace(f"<{converter}{name}>", str(value))
    return path


# Pages reached by a link's token: asked with a token no link ever carried (404, see _queries).
TOKEN_ENDPOINTS = {"cases.confirm", "cases_link.open_link", "surveys.case_survey", "questionnaires.invited"}


def _slugs(endpoint: str, values: DemoValues) -> list[str]:
    """What `<slug>` means to `endpoint`: a page's, a questionnaire's or a dataset's."""
    if endpoint.startswith("pages."):
        return values.page_slugs
    if endpoint.startswith("questionnaire_results."):
        return values.results_slugs
    if endpoint.startswith("questionnaires."):
        return values.questionnaire_slugs
    if endpoint.startswith("disclosure."):
        return [category.slug for category in CATEGORIES]
    return values.dataset_slugs


# Resolvers: a rule's sorted argument names (and, where one name means two things, its
# endpoint's prefix) to the paths that ask it.
def _paths(rule: Rule, values: DemoValues) -> list[str] | None:
    names = tuple(sorted(rule.arguments))
    if not names:
        return [rule.rule]
    if rule.endpoint == "static":
        return [_build(rule, filename="css/site.css")]
    if names == ("slug",):
        return [_build(rule, slug=slug) for slug in _slugs(rule.endpoint, values)]
    if names == ("number", "slug"):
        return [_build(rule, slug=slug, number=number) for slug, number in values.releases]
    if names == ("filename", "number", "slug"):
        return [_build(rule, slug=s, number=n, filename=f) for s, n, f in values.files]
    if names == ("token",) and rule.endpoint in TOKEN_ENDPOINTS:
        return [_build(rule, token="a-link-no-mail-ever-carried")]  # answered 404 (see _queries)
    if names == ("attachment_id",):
        return [_build(rule, attachment_id=1)]  # no lookup session: sent to the lookup page
    if names == ("job_id",) and rule.rule.startswith("/api/"):
        return [_build(rule, job_id=job_id) for job_id in values.job_ids[:2]]
    key = ",".join(names)
    if key in values.staff:
        combos = values.staff[key]
        return [
            _build(rule, **dict(zip(names, combo if isinstance(combo, tuple) else (combo,), strict=True)))
            for combo in combos[:3]
        ]
    return None


# Routes that need a query string to do their work: what to send, and the status that answers.
def _queries(values: DemoValues) -> dict[str, tuple[str, int]]:
    return {
        "api_docs.try_rows": (f"dataset={values.dataset_slugs[0]}&query=limit%3D5", 303),
        # The search page and API with a word to look for (水): the page alone is the form.
        "search.search_page": ("q=%E6%B0%B4", 200),
        "search_api.search_api": ("q=%E6%B0%B4&type=dataset", 200),
        **dict.fromkeys(TOKEN_ENDPOINTS, ("", 404)),
        # The case survey of the lookup session, asked without one: to the lookup page.
        "surveys.case_survey_in_session": ("", 303),
        # The kiosk's former thank-you page: back to the faces, with the banner.
        "counter_survey.kiosk_thanks": ("", 303),
        # The lookup session's pages, asked without one: each sends the visitor to the lookup page.
        **{f"cases_citizen.{name}": ("", 303) for name in ("status", "attachment", "data_page", "data_json")},
    }


# Public forms whose bare POST is answered otherwise than FORM_WITHOUT_TOKEN, and why.
POST_ANSWERS = {
    "cases_citizen.add": 303,  # without a lookup session, to the lookup page before the form is read
}


# What a request without credentials gets from a route that needs an API key, and what a
# form sent without its CSRF token gets.
KEY_REQUIRED = 401
FORM_WITHOUT_TOKEN = 400


def _public_asks(rule: Rule, values: DemoValues) -> list[Ask] | None:
    if rule.endpoint == "ckan_api.action":
        return _ckan_asks(rule, values)
    if rule.endpoint.startswith("open311."):
        return [
            Ask(rule.endpoint, template(rule), method, path, expect)
            for method, path, expect in open311_asks(rule, values.open311)
        ]
    paths = _paths(rule, values)
    if paths is None:
        return None
    query, expect = _queries(values).get(rule.endpoint, ("", 200))
    if query:
        paths = [f"{path}?{query}" for path in paths]
    asks = []
    for method in _methods(rule):
        needs_key = rule.endpoint.startswith("publishing_api.")
        if needs_key:
            answer = KEY_REQUIRED
        elif method == "GET":
            answer = expect
        else:
            # A public form's POST, sent bare: refused, never a 500.
            answer = POST_ANSWERS.get(rule.endpoint, FORM_WITHOUT_TOKEN)
        asks.extend(Ask(rule.endpoint, template(rule), method, path, answer) for path in paths)
    return asks


def public_rules(app: Flask) -> list[Rule]:
    """Every rule a visitor may use."""
    return [rule for rule in app.url_map.iter_rules() if is_public(rule)]


def staff_rules(app: Flask) -> list[Rule]:
    """Every rule under /staff that needs an account."""
    return [rule for rule in app.url_map.iter_rules() if not is_public(rule)]


def plan(app: Flask, values: DemoValues) -> tuple[list[Ask], list[str]]:
    """The requests that ask every public rule, and the endpoints no resolver knows."""
    asks: list[Ask] = []
    unknown: list[str] = []
    for rule in public_rules(app):
        if rule.endpoint in EXCLUDED:
            continue
        found = _public_asks(rule, values)
        if found is None:
            unknown.append(f"{rule.endpoint} ({rule.rule})")
        else:
            asks.extend(found)
    return asks, unknown


def staff_pages(app: Flask, values: DemoValues) -> tuple[list[str], list[str]]:
    """Paths of every staff page that answers GET, and the rules no resolver knows."""
    paths: list[str] = []
    unknown: list[str] = []
    for rule in staff_rules(app):
        if "GET" not in (rule.methods or set()):
            continue
        found = _paths(rule, values)
        if found is None:
            unknown.append(f"{rule.endpoint} ({rule.rule})")
        else:
            paths.extend(found)
    return paths, unknown
