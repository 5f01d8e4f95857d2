"""Open data: the dataset catalogue, its releases in open formats, and the staff pages that publish them.

Exposes only `init_app(app)`. The parts: `catalogue` (schedules, licences, codes),
`models`, `ingest` (source files), `schema`, `validation`, `query_store`, `writers`,
`publishing` (the pipeline), `definition` (YAML), `views`, `cli` and `demo`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from datasets.labels import JOB_STAGES, JOB_STATES, PII_KINDS
from portal.i18n import _l


def _sitemap_entries() -> Any:
    """The catalogue, the developers' page and each published dataset, for `/sitemap.xml`."""
    from sqlalchemy import select

    from datasets.models import Dataset
    from portal.db import db
    from portal.web.registry import SitemapEntry

    yield SitemapEntry("datasets.catalogue")
    yield SitemapEntry("api_docs.developers")
    for dataset in db.session.scalars(
        select(Dataset).where(Dataset.published.is_(True)).order_by(Dataset.slug)
    ):
        yield SitemapEntry("datasets.dataset_page", {"slug": dataset.slug}, dataset.updated_at.date())


def _classified(scheme: str) -> Any:
    """Each published dataset with a code of `scheme`, for browsing by classification."""
    from flask import url_for
    from sqlalchemy import select

    from datasets.models import Dataset
    from portal.classification.codes import CODE_ATTRIBUTES
    from portal.db import db
    from portal.i18n import localized
    from portal.web.registry import ClassifiedItem

    column = getattr(Dataset, CODE_ATTRIBUTES[scheme])
    statement = select(Dataset).where(Dataset.published.is_(True), column != "").order_by(Dataset.slug)
    for dataset in db.session.scalars(statement):
        item = ClassifiedItem(
            _l("開放資料"),
            str(localized(dataset, "title")),
            url_for("datasets.dataset_page", slug=dataset.slug),
            dataset.updated_at.date() if dataset.updated_at else None,
        )
        yield getattr(dataset, column.key), item


def _link_places() -> Any:
    """Each dataset's related address, for the link checker."""
    from flask import url_for
    from sqlalchemy import select

    from datasets.models import Dataset
    from portal.db import db
    from portal.links.sources import LinkPlace

    for dataset in db.session.scalars(select(Dataset).where(Dataset.related_url != "").order_by(Dataset.id)):
        edit = url_for("datasets_admin.dataset_edit", dataset_id=dataset.id)
        yield LinkPlace(dataset.title_zh, edit, (dataset.related_url,))


def _dashboard_card(staff: Any) -> Any:
    from datasets.services import overdue_datasets
    from portal.auth import Permission
    from portal.i18n import localized
    from portal.web.registry import DashboardCard, Link

    if not staff.can(Permission.PUBLISH_DATASETS):
        return None
    overdue = overdue_datasets()
    figures = [
        (localized(dataset, "title"), dataset.next_due.isoformat() if dataset.next_due else "")
        for dataset in overdue[:5]
    ]
    return DashboardCard(
        title=_l("開放資料"),
        figures=figures,
        note=_l("以下資料集已逾預定更新日：") if overdue else _l("所有資料集都已按時更新。"),
        links=[
            Link("datasets_admin.dataset_list", _l("資料集管理")),
            Link("datasets_admin.dataset_new", _l("新增資料集")),
        ],
        order=20,
    )


def _template_helpers() -> dict[str, Any]:
    from datasets.deid import describe_report
    from datasets.schema import FIELD_TYPES
    from portal.i18n import current_language

    def deid_lines(report: dict[str, Any] | None) -> list[str]:
        if not report:
            return []
        chinese, english = describe_report(report)
        return english if current_language().code == "en" else chinese

    def job_release_number(job: Any) -> int:
        from datasets.models import Release
        from portal.db import db

        release = db.session.get(Release, job.release_id) if job.release_id else None
        return release.number if release else 0

    return {
        "field_type_label": lambda name: FIELD_TYPES.get(name, name),
        "job_state_label": lambda state: JOB_STATES.get(state, state),
        "job_stage_label": lambda stage: JOB_STAGES.get(stage, stage),
        "job_release_number": job_release_number,
        "pii_kind_label": lambda kind: PII_KINDS.get(kind, kind),
        "deid_lines": deid_lines,
    }


def init_app(app: Flask) -> None:
    """Register the catalogue's pages, commands, navigation, dashboard card and demo content."""
    from datasets.api import init_app as init_api
    from datasets.cli import datasets_cli
    from datasets.demo import load_demo_datasets
    from datasets.metadata.views import bp as metadata_bp
    from datasets.views.public import bp as public_bp
    from datasets.views.staff import bp as staff_bp
    from portal.demo import add_demo_loader
    from portal.links.sources import LinkSource, add_link_source
    from portal.web.registry import (
        Link,
        add_classified_source,
        add_dashboard_card,
        add_home_service,
        add_navigation,
        add_sitemap_source,
    )

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(metadata_bp)
    init_api(app)
    app.cli.add_command(datasets_cli)
    app.jinja_env.globals.update(_template_helpers())
    add_navigation(
        app,
        Link(
            "datasets.catalogue", _l("開放資料"), _l("本處業務資料，CSV、ODS、JSON 與 PDF 下載。"), order=10
        ),
    )
    add_home_service(
        app,
        Link(
            "datasets.catalogue",
            _l("開放資料"),
            _l("停水紀錄、水質檢驗、案件統計等資料，免費下載與使用。"),
            order=10,
        ),
    )
    add_dashboard_card(app, _dashboard_card)
    add_demo_loader(app, load_demo_datasets)
    add_sitemap_source(app, _sitemap_entries)
    add_classified_source(app, _classified)
    add_link_source(app, LinkSource("dataset", _l("資料集"), _link_places))
