"""The questionnaire builder: one version's sections and questions, edited a step at a time.

`/staff/surveys/questionnaires/<id>/v/<n>` lists the version's sections and questions
with their keys and conditions, a button to move each up or down or remove it, and the
forms to add a question to a section or a new section with its first question (a
section is never empty). Each step goes through `builder.py` and is saved only when the
whole definition is sound (`checks.py`); a version already published or answered keeps
its questions, so a step that changes them makes a new version (`versions.py`), and the
page says so.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for

from feedback.cases.staff.common import private_page
from feedback.surveys.builder import (
    add_question,
    add_section,
    move_question,
    move_section,
    remove_question,
    remove_section,
    update_question,
    update_section,
)
from feedback.surveys.definition import Definition, Section, Text
from feedback.surveys.labels import VERSION_STATE_LABELS
from feedback.surveys.questionnaire_models import Questionnaire, QuestionnaireVersion
from feedback.surveys.questionnaires import definition_of, response_count, state_of
from feedback.surveys.staff.question_editing import condition_choices, fill_form, question_from_form
from feedback.surveys.staff.questionnaire_common import (
    bp,
    questionnaire_or_404,
    save,
    version_or_404,
)
from feedback.surveys.staff.questionnaire_forms import (
    KIND_LABELS,
    OPERATOR_LABELS,
    ActionForm,
    NewSectionForm,
    QuestionForm,
    SectionForm,
)
from portal.auth import Permission, permission_required
from portal.db import db, utcnow
from portal.i18n import _

# The page's forms share its one `csrf_token` field (checked by the site's CSRF protection
# before any view); a prefixed form would otherwise ask for a prefixed copy of it.
_SHARED_TOKEN = {"csrf": False}


def _forms_for(definition: Definition) -> dict[str, Any]:
    new_section = NewSectionForm(formdata=None, prefix="new_section", meta=_SHARED_TOKEN)
    condition_choices(new_section, definition, None)
    add_forms = {}
    for section in definition.sections:
        form = QuestionForm(formdata=None, prefix=f"add_{section.key}", meta=_SHARED_TOKEN)
        condition_choices(form, definition, None)
        add_forms[section.key] = form
    return {"new_section": new_section, "add_forms": add_forms}


def _render(
    questionnaire: Questionnaire, version: QuestionnaireVersion, status: int = 200, **extra: Any
) -> Response:
    definition = definition_of(version)
    forms = _forms_for(definition)
    forms.update({key: value for key, value in extra.items() if key in {"new_section"}})
    if "add_form" in extra:
        forms["add_forms"][extra["add_section"]] = extra["add_form"]
    page = render_template(
        "surveys/staff/version.html",
        state_labels=VERSION_STATE_LABELS,
        questionnaire=questionnaire,
        version=version,
        definition=definition,
        state=state_of(version, utcnow()),
        responses=response_count(db.session, version),
        kinds=KIND_LABELS,
        operators=OPERATOR_LABELS,
        action_form=ActionForm(formdata=None),
        preview_url=url_for(
            "questionnaire_staff.version_preview", questionnaire_id=questionnaire.id, number=version.number
        ),
        problems=extra.get("problems", []),
        **forms,
    )
    return private_page(page, status)


def _saved(questionnaire: Questionnaire, saved: QuestionnaireVersion) -> Response:
    target = url_for(
        "questionnaire_staff.version_page", questionnaire_id=questionnaire.id, number=saved.number
    )
    return redirect(target, 303)  # type: ignore[return-value]


def _opened(questionnaire_id: int, number: int) -> tuple[Questionnaire, QuestionnaireVersion, Definition]:
    questionnaire = questionnaire_or_404(questionnaire_id)
    version = version_or_404(questionnaire, number)
    return questionnaire, version, definition_of(version)


@bp.route("/<int:questionnaire_id>/v/<int:number>")
@permission_required(Permission.MANAGE_SURVEYS)
def version_page(questionnaire_id: int, number: int) -> Response:
    """The version's sections and questions, with the builder's forms."""
    questionnaire, version, _definition = _opened(questionnaire_id, number)
    return _render(questionnaire, version)


@bp.route("/<int:questionnaire_id>/v/<int:number>/sections", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def section_add(questionnaire_id: int, number: int) -> Response:
    """A new section with its first question."""
    questionnaire, version, definition = _opened(questionnaire_id, number)
    form = NewSectionForm(prefix="new_section", meta=_SHARED_TOKEN)
    condition_choices(form, definition, None)
    if not form.validate_on_submit():
        return _render(questionnaire, version, 400, new_section=form)
    title = Text((form.section_title_zh.data or "").strip(), (form.section_title_en.data or "").strip())
    changed, key = add_section(definition, title)
    changed, _question = add_question(changed, key, question_from_form(form, definition, None))
    saved, problems = save(version, changed)
    if saved is None:
        return _render(questionnaire, version, 400, new_section=form, problems=problems)
    return _saved(questionnaire, saved)


@bp.route("/<int:questionnaire_id>/v/<int:number>/sections/<section_key>/questions", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def question_add(questionnaire_id: int, number: int, section_key: str) -> Response:
    """A question at the end of a section."""
    questionnaire, version, definition = _opened(questionnaire_id, number)
    if section_key not in {section.key for section in definition.sections}:
        abort(404)
    form = QuestionForm(prefix=f"add_{section_key}", meta=_SHARED_TOKEN)
    condition_choices(form, definition, None)
    if not form.validate_on_submit():
        return _render(questionnaire, version, 400, add_form=form, add_section=section_key)
    changed, _key = add_question(definition, section_key, question_from_form(form, definition, None))
    saved, problems = save(version, changed)
    if saved is None:
        return _render(questionnaire, version, 400, add_form=form, add_section=section_key, problems=problems)
    return _saved(questionnaire, saved)


def _render_question(
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    key: str,
    form: QuestionForm,
    status: int = 200,
    problems: list[str] | None = None,
) -> Response:
    page = render_template(
        "surveys/staff/question_edit.html",
        questionnaire=questionnaire,
        version=version,
        key=key,
        form=form,
        problems=problems or [],
    )
    return private_page(page, status)


@bp.route("/<int:questionnaire_id>/v/<int:number>/questions/<key>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def question_edit(questionnaire_id: int, number: int, key: str) -> Response:
    """Change one question."""
    questionnaire, version, definition = _opened(questionnaire_id, number)
    existing = definition.question(key)
    if existing is None:
        abort(404)
    form = QuestionForm()
    condition_choices(form, definition, key)
    if request.method == "GET":
        fill_form(form, existing)
        return _render_question(questionnaire, version, key, form)
    if not form.validate_on_submit():
        return _render_question(questionnaire, version, key, form, 400)
    saved, problems = save(
        version, update_question(definition, key, question_from_form(form, definition, existing))
    )
    if saved is None:
        return _render_question(questionnaire, version, key, form, 400, problems)
    return _saved(questionnaire, saved)


@bp.route("/<int:questionnaire_id>/v/<int:number>/sections/<section_key>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def section_edit(questionnaire_id: int, number: int, section_key: str) -> Response:
    """Change a section's title."""
    questionnaire, version, definition = _opened(questionnaire_id, number)
    section = next((item for item in definition.sections if item.key == section_key), None)
    if section is None:
        abort(404)
    form = SectionForm()
    if request.method == "GET":
        form.section_title_zh.data, form.section_title_en.data = section.title.zh, section.title.en
    elif form.validate_on_submit():
        title = Text((form.section_title_zh.data or "").strip(), (form.section_title_en.data or "").strip())
        changed = update_section(
            definition,
            section_key,
            Section(
                key=section_key,
                title=title,
                questions=(),
                description=section.description,
                condition=section.condition,
            ),
        )
        saved, problems = save(version, changed)
        if saved is not None:
            return _saved(questionnaire, saved)
        form.section_title_zh.errors = problems
    status = 200 if request.method == "GET" else 400
    page = render_template(
        "surveys/staff/section_edit.html",
        questionnaire=questionnaire,
        version=version,
        section=section,
        form=form,
    )
    return private_page(page, status)


_STEPS = {
    "question-up": lambda definition, key: move_question(definition, key, -1),
    "question-down": lambda definition, key: move_question(definition, key, +1),
    "question-remove": remove_question,
    "section-up": lambda definition, key: move_section(definition, key, -1),
    "section-down": lambda definition, key: move_section(definition, key, +1),
    "section-remove": remove_section,
}


@bp.route("/<int:questionnaire_id>/v/<int:number>/steps/<step>/<key>", methods=["POST"])
@permission_required(Permission.MANAGE_SURVEYS)
def builder_step(questionnaire_id: int, number: int, step: str, key: str) -> Response:
    """Move or remove a question or section (refused, with the reason, when the result is not sound)."""
    questionnaire, version, definition = _opened(questionnaire_id, number)
    if step not in _STEPS:
        abort(404)
    if not ActionForm().validate_on_submit():
        return _render(questionnaire, version, 400, problems=[_("表單已逾時，請再送出一次。")])
    saved, problems = save(version, _STEPS[step](definition, key))
    if saved is None:
        return _render(questionnaire, version, 400, problems=problems)
    return _saved(questionnaire, saved)
