"""A questionnaire's results: the staff page with exports, and the public page staff chose to publish.

Staff who see reports (`VIEW_REPORTS`: analysts, survey managers, administrators): `/staff/surveys/questionnaires/<id>/results`
shows every question's chart beside its table, the response rate where invitations
exist, responses over time, and the free-text answers (staff only); exports as CSV and
ODS (one column a question) and a PDF summary with the charts. The public:
`/surveys/results/<slug>` for a questionnaire whose results are public, with counts
under `SUPPRESSION_THRESHOLD` suppressed and no free text.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any, Literal

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from feedback.surveys.definition import TEXT_KINDS, QuestionKind
from feedback.surveys.exports import write_csv, write_ods
from feedback.surveys.open_data_rows import SUPPRESSION_THRESHOLD
from feedback.surveys.questionnaire_models import Invitation, Questionnaire, QuestionnaireVersion
from feedback.surveys.questionnaires import (
    by_slug,
    definition_of,
    published_version,
    response_count,
    responses_of,
    versions_of,
)
from feedback.surveys.results import Words, figures, over_time_figure, responses_per_period
from feedback.surveys.results_pdf import SummaryContent, summary_pdf
from feedback.surveys.staff.questionnaire_common import bp as staff_bp
from feedback.surveys.staff.questionnaire_common import questionnaire_or_404
from feedback.surveys.suppression import for_public
from feedback.surveys.tally import response_rate, tally, texts
from portal.auth import Permission, permission_required
from portal.db import db
from portal.http import content_disposition
from portal.i18n import _, current_language, localized

public_bp = Blueprint("questionnaire_results", __name__, url_prefix="/surveys/results")


def _points(kind: QuestionKind, point: int) -> str:
    if kind is QuestionKind.LIKERT:
        return {1: _("非常不同意"), 2: _("不同意"), 3: _("普通"), 4: _("同意"), 5: _("非常同意")}[point]
    return _("%(point)d 分", point=point)


def words() -> Words:
    """The figures' words in the visitor's language."""
    return Words(
        option=_("選項"), count=_("人數"), share=_("比例"), other=_("其他"), unknown=_("已不在選項中"),
        answered=_("回答人數"), mean=_("平均"), satisfied=_("4 分以上的比例"), minimum=_("最小值"),
        maximum=_("最大值"), median=_("中位數"), earliest=_("最早"), latest=_("最晚"), no_data=_("尚無資料"),
        period=_("月份"), responses=_("填答數"), points=_points,
    )  # fmt: skip


def _language() -> Literal["zh", "en"]:
    return "en" if current_language().code == "en" else "zh"


def _version_asked(questionnaire: Questionnaire) -> QuestionnaireVersion:
    versions = versions_of(db.session, questionnaire)
    asked = request.args.get("version", "")
    if asked:
        chosen = next((v for v in versions if str(v.number) == asked), None)
        if chosen is None:
            abort(404)
        return chosen
    answered = [v for v in versions if response_count(db.session, v)]
    return (answered or versions)[-1]


def _invitations(questionnaire: Questionnaire) -> int:
    query = (
        select(func.count()).select_from(Invitation).where(Invitation.questionnaire_id == questionnaire.id)
    )
    return db.session.scalar(query) or 0


def _context(questionnaire: Questionnaire, version: QuestionnaireVersion, public: bool) -> dict[str, Any]:
    definition = definition_of(version)
    responses = list(responses_of(db.session, version))
    results = tally(definition, responses)
    if public:
        results = for_public(results, SUPPRESSION_THRESHOLD)
    shown = figures(definition, results, _language(), words())
    periods = responses_per_period([response.day for response in responses], "month")
    invitations = _invitations(questionnaire)
    free_texts = {}
    if not public:
        for question in definition.questions():
            if question.kind in TEXT_KINDS or question.allow_other:
                free_texts[question.key] = list(texts(definition, responses, question.key))[:200]
    return {
        "questionnaire": questionnaire,
        "version": version,
        "definition": definition,
        "figures": shown,
        "over_time": over_time_figure(periods, _("每月填答數"), words()) if periods and not public else None,
        "responses": results.responses,
        "rate": response_rate(len(responses), invitations) if invitations else None,
        "invitations": invitations,
        "free_texts": free_texts,
        "public": public,
        "threshold": SUPPRESSION_THRESHOLD,
    }


@staff_bp.route("/<int:questionnaire_id>/results")
@permission_required(Permission.VIEW_REPORTS)
def staff_results(questionnaire_id: int) -> Response:
    """Every question's figures, the response rate, responses over time and the free texts."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    version = _version_asked(questionnaire)
    page = render_template(
        "surveys/results.html",
        versions=versions_of(db.session, questionnaire),
        **_context(questionnaire, version, public=False),
    )
    response = Response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def _download(data: bytes, name: str, mimetype: str) -> Response:
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Cache-Control"] = "no-store"
    return response


@staff_bp.route("/<int:questionnaire_id>/results.<kind>")
@permission_required(Permission.VIEW_REPORTS)
def staff_export(questionnaire_id: int, kind: str) -> ResponseReturnValue:
    """The version's responses as CSV or ODS (one column a question), or the summary as PDF."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    if kind not in {"csv", "ods", "pdf"}:
        abort(404)
    version = _version_asked(questionnaire)
    definition = definition_of(version)
    name = f"{questionnaire.slug}-v{version.number}"
    if kind == "csv":
        stream = io.StringIO()
        write_csv(stream, definition, responses_of(db.session, version), _language())
        return _download(stream.getvalue().encode("utf-8"), f"{name}.csv", "text/csv")
    if kind == "ods":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{name}.ods"
            write_ods(
                path, definition, responses_of(db.session, version), _language(), title=questionnaire.title_zh
            )
            return _download(
                path.read_bytes(), f"{name}.ods", "application/vnd.oasis.opendocument.spreadsheet"
            )
    context = _context(questionnaire, version, public=False)
    content = SummaryContent(
        title=localized(questionnaire, "title"),
        subtitle=_(
            "第 %(number)d 版，%(count)d 份填答", number=version.number, count=context["responses"] or 0
        ),
        figures=context["figures"],
        footer=localized(questionnaire, "title"),
    )
    config = current_app.config
    data = summary_pdf(content, font_path=config["PDF_FONT"], font_index=int(config["PDF_FONT_INDEX"]))
    return _download(data, f"{name}.pdf", "application/pdf")


@public_bp.route("/<slug>")
def public_results(slug: str) -> Response:
    """The published results of a questionnaire, small counts suppressed, no free text."""
    questionnaire = by_slug(db.session, slug[:80])
    if questionnaire is None or not questionnaire.results_public:
        abort(404)
    version = published_version(db.session, questionnaire)
    if version is None:
        abort(404)
    return Response(
        render_template("surveys/results.html", versions=[], **_context(questionnaire, version, public=True))
    )
