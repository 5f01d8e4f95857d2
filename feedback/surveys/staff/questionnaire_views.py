"""Staff pages of questionnaires: the list, a new one, its details, publishing, closing, invitations,
preview, and publishing the responses as open data (`questionnaire_open_data.py`).

Under `/staff/surveys/questionnaires`, for survey managers (`MANAGE_SURVEYS`). Editing
the questions of a version is in `builder_views.py`. Every refusal re-renders its form
(400) with the reason; nothing is half-saved. Invitation links are shown once, on the
page that issued them, and never kept. The preview draws a version (a draft too) with
the public pages' own code, and stores nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Response, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from datasets.definition import DefinitionError
from datasets.models import PublishJob
from feedback.cases.handling import OFFICE_ZONE
from feedback.cases.staff.common import private_page, signed_in
from feedback.surveys.definition import Text
from feedback.surveys.labels import VERSION_STATE_LABELS
from feedback.surveys.open_data_rows import last_closed_month
from feedback.surveys.questionnaire_models import Questionnaire
from feedback.surveys.questionnaire_open_data import publish_responses, refusal
from feedback.surveys.questionnaire_views import draw_pages
from feedback.surveys.questionnaires import (
    QuestionnaireError,
    by_invitation_only,
    close,
    create,
    issue_invitations,
    publish,
    response_count,
    state_of,
    versions_of,
)
from feedback.surveys.staff.open_data_section import open_data_section, refusal_message
from feedback.surveys.staff.problem_messages import action_message
from feedback.surveys.staff.questionnaire_common import bp, public_url, questionnaire_or_404, version_or_404
from feedback.surveys.staff.questionnaire_forms import (
    ActionForm,
    InvitationForm,
    PublishForm,
    QuestionnaireForm,
)
from portal.auth import Permission, permission_required
from portal.db import db, utcnow
from portal.i18n import _


def _start_of(day: date) -> datetime:
    """The first moment of an office (Taipei) day."""
    return datetime.combine(day, time.min, tzinfo=OFFICE_ZONE)


@bp.route("/")
@permission_required(Permission.MANAGE_SURVEYS)
def questionnaire_list() -> Response:
    """Every questionnaire, newest first, with the state of its latest version."""
    now = utcnow()
    rows = []
    for questionnaire in db.session.scalars(select(Questionnaire).order_by(Questionnaire.created_at.desc())):
        versions = versions_of(db.session, questionnaire)
        latest = versions[-1] if versions else None
        rows.append(
            {
                "questionnaire": questionnaire,
                "latest": latest,
                "state": state_of(latest, now) if latest else None,
            }
        )
    return private_page(
        render_template(
            "surveys/staff/questionnaires.html",
            state_labels=VERSION_STATE_LABELS,
            rows=rows,
            form=QuestionnaireForm(formdata=None),
        )
    )


@bp.route("/new", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def questionnaire_new() -> Any:
    """A new questionnaire with an empty first version."""
    form = QuestionnaireForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            made = create(
                db.session,
                slug=(form.slug.data or "").strip(),
                title=Text(form.title_zh.data or "", form.title_en.data or ""),
                description=Text(form.description_zh.data or "", form.description_en.data or ""),
                anonymous=bool(form.anonymous.data),
                results_public=bool(form.results_public.data),
                created_by_id=signed_in().id,
            )
        except QuestionnaireError as refused:
            db.session.rollback()
            errors = [action_message(refused.code)]
        else:
            db.session.commit()
            return redirect(
                url_for("questionnaire_staff.version_page", questionnaire_id=made.id, number=1), 303
            )
    page = render_template(
        "surveys/staff/questionnaires.html",
        state_labels=VERSION_STATE_LABELS,
        rows=[],
        form=form,
        extra_errors=errors,
    )
    return private_page(page, 400)


def _render(questionnaire: Questionnaire, status: int = 200, **forms: Any) -> Response:
    now = utcnow()
    versions = [
        {
            "version": version,
            "state": state_of(version, now),
            "responses": response_count(db.session, version),
        }
        for version in versions_of(db.session, questionnaire)
    ]
    details = forms.pop("details", None) or QuestionnaireForm(formdata=None, obj=questionnaire)
    page = render_template(
        "surveys/staff/questionnaire.html",
        state_labels=VERSION_STATE_LABELS,
        questionnaire=questionnaire,
        versions=versions,
        details=details,
        publish_form=forms.pop("publish_form", None) or PublishForm(formdata=None),
        invitation_form=forms.pop("invitation_form", None) or InvitationForm(formdata=None),
        action_form=ActionForm(formdata=None),
        invitation_only=by_invitation_only(db.session, questionnaire),
        public_url=public_url("questionnaires.answer", slug=questionnaire.slug),
        open_data=open_data_section(questionnaire, up_to=last_closed_month(now)),
        **forms,
    )
    return private_page(page, status)


@bp.route("/<int:questionnaire_id>/open-data", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def questionnaire_open_data(questionnaire_id: int) -> Any:
    """Publish the responses as a new release of the questionnaire's open dataset."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    staff = signed_in()
    if not staff.can(Permission.PUBLISH_DATASETS):
        abort(403)
    if not ActionForm().validate_on_submit():
        return _render(questionnaire, 400, extra_errors=[_("表單已逾時，請再送出一次。")])
    up_to = last_closed_month(utcnow())
    refused = refusal(db.session, questionnaire, up_to)
    if refused is not None:
        return _render(questionnaire, 409, extra_errors=[refusal_message(refused)])
    try:
        outcome = publish_responses(db.session, questionnaire, staff.username, up_to)
    except (DefinitionError, ValueError):
        db.session.rollback()
        message = _("這份問卷的填答資料無法整理成資料集，沒有公開任何資料。請洽系統管理人員。")
        return _render(questionnaire, 409, extra_errors=[message])
    if not outcome.published:
        message = _("個資檢查或資料驗證沒有通過，這次沒有公開任何資料。請到發布工作頁查看原因。")
        job = db.session.get(PublishJob, outcome.job_id) if outcome.job_id else None
        job_url = (
            url_for("datasets_admin.job_status", dataset_id=job.dataset_id, job_id=job.id) if job else None
        )
        return _render(questionnaire, 409, extra_errors=[message], refused_job_url=job_url)
    flash(
        _(
            "已公開第 %(number)d 版填答資料，共 %(rows)d 列。",
            number=outcome.release_number,
            rows=outcome.row_count,
        ),
        "success",
    )
    return redirect(url_for("questionnaire_staff.questionnaire_page", questionnaire_id=questionnaire.id), 303)


@bp.route("/<int:questionnaire_id>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def questionnaire_page(questionnaire_id: int) -> Any:
    """The questionnaire's details (editable; the address is fixed) and its versions."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    form = QuestionnaireForm()
    form.slug.data = questionnaire.slug  # fixed once made: what was posted is ignored
    if form.is_submitted():
        if not form.validate():
            return _render(questionnaire, 400, details=form)
        for name in ("title_zh", "title_en", "description_zh", "description_en"):
            setattr(questionnaire, name, (getattr(form, name).data or "").strip())
        questionnaire.results_public = bool(form.results_public.data)
        if not versions_of(db.session, questionnaire)[0].published_at:
            questionnaire.anonymous = bool(form.anonymous.data)  # fixed once answers may exist
        db.session.commit()
        return redirect(
            url_for("questionnaire_staff.questionnaire_page", questionnaire_id=questionnaire.id), 303
        )
    return _render(questionnaire)


@bp.route("/<int:questionnaire_id>/v/<int:number>/publish", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def version_publish(questionnaire_id: int, number: int) -> Any:
    """Publish a version between two Taipei days (the closing day included)."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    version = version_or_404(questionnaire, number)
    form = PublishForm()
    if not form.validate_on_submit():
        return _render(questionnaire, 400, publish_form=form, publishing=number)
    opens = _start_of(form.opens_on.data)
    closes = _start_of(form.closes_on.data + timedelta(days=1)) if form.closes_on.data else None
    try:
        publish(db.session, version, opens, closes, utcnow())
    except QuestionnaireError as refused:
        db.session.rollback()
        form.opens_on.errors = [action_message(refused.code)]
        return _render(questionnaire, 400, publish_form=form, publishing=number)
    db.session.commit()
    return redirect(url_for("questionnaire_staff.questionnaire_page", questionnaire_id=questionnaire.id), 303)


@bp.route("/<int:questionnaire_id>/v/<int:number>/preview", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def version_preview(questionnaire_id: int, number: int) -> Any:
    """Version `number` as the public would see it, page by page; nothing is stored."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    version = version_or_404(questionnaire, number)
    action = url_for("questionnaire_staff.version_preview", questionnaire_id=questionnaire_id, number=number)
    return draw_pages(questionnaire, version, action, token=None, preview=True)


@bp.route("/<int:questionnaire_id>/close", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def questionnaire_close(questionnaire_id: int) -> Any:
    """Stop taking responses now."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    if not ActionForm().validate_on_submit():
        return _render(questionnaire, 400, extra_errors=[_("表單已逾時，請再送出一次。")])
    close(db.session, questionnaire, utcnow())
    db.session.commit()
    return redirect(url_for("questionnaire_staff.questionnaire_page", questionnaire_id=questionnaire.id), 303)


@bp.route("/<int:questionnaire_id>/invitations", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def questionnaire_invite(questionnaire_id: int) -> Any:
    """Issue one-use invitation links, shown on this page once."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    form = InvitationForm()
    if not form.validate_on_submit():
        return _render(questionnaire, 400, invitation_form=form)
    try:
        tokens = issue_invitations(
            db.session,
            questionnaire,
            form.count.data or 0,
            _start_of(form.valid_from.data),
            _start_of(form.valid_until.data + timedelta(days=1)),
        )
    except QuestionnaireError as refused:
        db.session.rollback()
        form.count.errors = [action_message(refused.code)]
        return _render(questionnaire, 400, invitation_form=form)
    db.session.commit()
    links = [public_url("questionnaires.invited", token=token) for token in tokens]
    return _render(questionnaire, invitation_links=links)
