"""Citizen feedback: cases and their lookup, surveys and office appraisal (built in steps).

Exposes only `init_app(app)`; the portal calls it after its own parts. So far `cases`
holds the opinion mailbox and the case lookup (`/cases/new`, `/cases/lookup`), the office
calendar and working-day deadlines, case types (seeded), case numbers issued per day,
handling, figures, mail and retention, and the key ring that seals citizens' data, with
their commands (`flask calendar …`, `flask cases …`).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app


def _seed_demo_case_types() -> list[str]:
    from feedback.cases.case_types import seed_case_types
    from portal.db import db

    added = seed_case_types(db.session)
    db.session.commit()
    return [f"case types: {added} added"] if added else []


def _load_demo_calendar() -> list[str]:
    from datetime import date

    from sqlalchemy import select

    from feedback.cases.calendar import import_year
    from feedback.cases.calendar_file import parse_calendar
    from feedback.cases.demo_calendar import calendar_csv
    from feedback.cases.models import OfficeDay
    from portal.db import db

    lines = []
    this_year = date.today().year
    for year in (this_year, this_year + 1):
        if db.session.scalar(select(OfficeDay.day).where(OfficeDay.year == year).limit(1)) is None:
            import_year(parse_calendar(calendar_csv(year).encode("utf-8-sig")), f"demo-{year}.csv")
            lines.append(f"office calendar {year}: demonstration days imported")
    db.session.commit()
    return lines


def _load_demo_cases_and_surveys() -> list[str]:
    """Demo cases, and surveys after them, only into a database that held no case.

    The surveys follow only the cases just made: a database with cases of its own (real
    ones, or ones sealed with other keys) is left as it is, its closed cases unsurveyed.
    """
    from feedback.cases.demo_cases import load_demo_cases_now
    from feedback.surveys.demo_surveys import load_demo_surveys_now

    lines = load_demo_cases_now()
    if lines:  # cases were stored just now, into a database that held none
        lines += load_demo_surveys_now()
    return lines


def _load_demo_questionnaires() -> list[str]:
    from feedback.surveys.demo_questionnaires import load_demo_questionnaires_now

    return load_demo_questionnaires_now()


def _load_demo_counters() -> list[str]:
    from feedback.surveys.demo_counters import seed_demo_counters
    from portal.db import db

    lines = seed_demo_counters(db.session)
    db.session.commit()
    return lines


def _sitemap_entries() -> Any:
    """The mailbox, the lookup, the questionnaires open to anyone and the public results, for `/sitemap.xml`."""
    from feedback.surveys.questionnaire_responses import by_invitation_only
    from feedback.surveys.questionnaires import listed
    from portal.db import db, utcnow
    from portal.web.registry import SitemapEntry

    yield SitemapEntry("cases.new")
    yield SitemapEntry("cases.lookup")
    yield SitemapEntry("questionnaires.index")
    open_now, closed_public = listed(db.session, utcnow())
    for questionnaire in open_now:
        if not by_invitation_only(db.session, questionnaire):
            yield SitemapEntry("questionnaires.answer", {"slug": questionnaire.slug})
    for questionnaire in [*open_now, *closed_public]:
        if questionnaire.results_public:
            yield SitemapEntry("questionnaire_results.public_results", {"slug": questionnaire.slug})


def init_app(app: Flask) -> None:
    """Read the case-data keys and register the feedback domain's commands and demo content."""
    from feedback import surveys
    from feedback.cases import keys, open311
    from feedback.cases.citizen_views import bp as citizen_case_pages
    from feedback.cases.cli import calendar_cli, cases_cli
    from feedback.cases.link_views import bp as case_link_pages
    from feedback.cases.staff import register_views as staff_case_pages
    from feedback.cases.staff.dashboard import case_card
    from feedback.cases.views import bp as case_pages
    from portal.demo import add_demo_loader
    from portal.i18n import _l
    from portal.security import limit_endpoint
    from portal.web.registry import (
        Link,
        add_dashboard_card,
        add_home_service,
        add_navigation,
        add_sitemap_source,
    )

    keys.init_app(app)
    surveys.register(app)
    app.register_blueprint(case_pages)
    app.register_blueprint(citizen_case_pages)  # the lookup session: status, files, adding information
    app.register_blueprint(case_link_pages)  # one-time lookup links by e-mail
    app.register_blueprint(staff_case_pages())
    add_dashboard_card(app, case_card)
    limit_endpoint(app, "cases.new", lambda: str(current_app.config["RATELIMIT_CASES"]), methods=["POST"])
    open311.register(app)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(cases_cli)
    add_demo_loader(app, _seed_demo_case_types)
    add_demo_loader(app, _load_demo_calendar)
    add_demo_loader(app, _load_demo_cases_and_surveys)  # after the types and the calendar it needs
    add_demo_loader(app, _load_demo_questionnaires)
    add_demo_loader(app, _load_demo_counters)
    add_sitemap_source(app, _sitemap_entries)
    add_navigation(app, Link("cases.new", _l("民意信箱"), _l("陳情、建議、詢問、表揚與線上申辦。"), order=20))
    add_home_service(
        app,
        Link(
            "cases.new", _l("民意信箱與線上申辦"), _l("陳情、建議、詢問或申辦業務，取得案件編號。"), order=5
        ),
    )
    add_home_service(app, Link("cases.lookup", _l("案件查詢"), _l("以案件編號與密碼查詢處理進度。"), order=6))
