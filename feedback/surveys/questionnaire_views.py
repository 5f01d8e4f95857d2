"""The public questionnaire pages, under /surveys/q, page by page and without JavaScript.

- `/surveys/q/`: the open questionnaires, and closed ones whose results are public
  (linked to the results page when the application has one, see `results_url`).
- `/surveys/q/<slug>` (with `?token=…` for an invitation) and `/surveys/q/i/<token>`:
  the questionnaire, in the pages of `conditions.paginate`. Each POST carries the signed
  draft of the earlier pages (`questionnaire_forms.Draft`) and the current page; nothing
  is stored until the last page is sent, and then `questionnaires.submit` stores it once.
- `draw_pages(…, preview=True)` serves the staff preview of a version
  (`staff/questionnaire_views.py`), drawn as the public sees it and storing nothing.

Every refusal (not open yet, closed, a used, forged or expired token, an answer that is
no option, a required answer missing, an answer to a hidden question, unknown fields, a
forged or stale draft) is a 4xx page in the visitor's language, and stores nothing.
Pages are never cached: they hold one visitor's answers.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.routing import BuildError

from feedback.cases.citizen_views import private
from feedback.surveys import questionnaires
from feedback.surveys.answers import (
    FIELD_PREFIX,
    field_name,
    final_answers,
    hidden_fields_sent,
    other_field_name,
    read_page,
    unknown_fields,
)
from feedback.surveys.conditions import Page, next_page, paginate, previous_page, shown_on_page, visible_keys
from feedback.surveys.definition import Definition
from feedback.surveys.questionnaire_forms import (
    FORM_FIELDS,
    Draft,
    page_form,
    read_draft,
    sign_draft,
    text_in_language,
)
from feedback.surveys.questionnaire_models import Questionnaire, QuestionnaireVersion
from feedback.surveys.questionnaires import InvitationState, OpenState, OutcomeKind
from portal.db import db, utcnow
from portal.i18n import _, _l

bp = Blueprint("questionnaires", __name__, url_prefix="/surveys/q")

RESULTS_ENDPOINT = "questionnaire_results.public_results"  # the results page, built elsewhere

# A refusal: its status, and the template's `problem` code.
_REFUSALS: dict[OutcomeKind, int] = {
    OutcomeKind.NOT_OPEN_YET: 403,
    OutcomeKind.CLOSED: 410,
    OutcomeKind.INVITATION_REQUIRED: 403,
    OutcomeKind.INVITATION_UNKNOWN: 404,
    OutcomeKind.INVITATION_NOT_YET: 403,
    OutcomeKind.INVITATION_EXPIRED: 410,
    OutcomeKind.INVITATION_USED: 409,
    OutcomeKind.INVALID_ANSWERS: 400,
    OutcomeKind.MISSING_REQUIRED: 400,
    OutcomeKind.ALREADY_SENT: 409,
}
_INVITATION_REFUSAL = {
    InvitationState.UNKNOWN: OutcomeKind.INVITATION_UNKNOWN,
    InvitationState.NOT_YET: OutcomeKind.INVITATION_NOT_YET,
    InvitationState.EXPIRED: OutcomeKind.INVITATION_EXPIRED,
    InvitationState.USED: OutcomeKind.INVITATION_USED,
}


def results_url(questionnaire: Questionnaire) -> str | None:
    """The address of the questionnaire's public results, when the application has that page."""
    try:
        return url_for(RESULTS_ENDPOINT, slug=questionnaire.slug)
    except BuildError:
        return None


def _refused(
    kind: OutcomeKind | str,
    questionnaire: Questionnaire | None = None,
    status: int | None = None,
    **extra: Any,
) -> ResponseReturnValue:
    code = status or _REFUSALS.get(OutcomeKind(kind), 400)
    page = render_template(
        "surveys/questionnaire_problem.html", problem=str(kind), questionnaire=questionnaire, **extra
    )
    return private(page, code)


@bp.get("/")
def index() -> ResponseReturnValue:
    """The questionnaires open now, and the closed ones whose results are public."""
    open_now, closed = questionnaires.listed(db.session, utcnow())
    return render_template(
        "surveys/questionnaire_list.html", open_now=open_now, closed=closed, results_url=results_url
    )


@bp.route("/<slug>", methods=["GET", "POST"])
def answer(slug: str) -> ResponseReturnValue:
    """The questionnaire at its address, `?token=…` for an invitation."""
    questionnaire = questionnaires.by_slug(db.session, slug)
    if questionnaire is None:
        return _refused("not_found", status=404)
    token = request.args.get("token") or None
    return _public(questionnaire, token, url_for("questionnaires.answer", slug=slug, token=token))


@bp.route("/i/<token>", methods=["GET", "POST"])
def invited(token: str) -> ResponseReturnValue:
    """The questionnaire of an invitation link."""
    questionnaire = questionnaires.questionnaire_of_token(db.session, token)
    if questionnaire is None:
        return _refused(OutcomeKind.INVITATION_UNKNOWN)
    return _public(questionnaire, token, url_for("questionnaires.invited", token=token))


@bp.get("/<slug>/thanks")
def thanks(slug: str) -> ResponseReturnValue:
    """After a response was stored (a redirect, so that reloading sends nothing again)."""
    questionnaire = questionnaires.by_slug(db.session, slug)
    if questionnaire is None:
        abort(404)
    page = render_template(
        "surveys/questionnaire_thanks.html", questionnaire=questionnaire, results=results_url(questionnaire)
    )
    return private(page)


def _public(questionnaire: Questionnaire, token: str | None, action: str) -> ResponseReturnValue:
    """The questionnaire for the public: refused when not open or the invitation cannot be used."""
    now = utcnow()
    version = questionnaires.current_version(db.session, questionnaire, now)
    if version is None:
        return _refused("not_found", status=404)
    state = questionnaires.state_of(version, now)
    if state is not OpenState.OPEN:
        kind = OutcomeKind.CLOSED if state is OpenState.CLOSED else OutcomeKind.NOT_OPEN_YET
        return _refused(kind, questionnaire, version=version)
    if token is not None:
        token_state = questionnaires.invitation_state(db.session, questionnaire, token, now)
        if token_state is not InvitationState.VALID:
            return _refused(_INVITATION_REFUSAL[token_state], questionnaire)
    elif questionnaires.by_invitation_only(db.session, questionnaire):
        return _refused(OutcomeKind.INVITATION_REQUIRED, questionnaire)
    return draw_pages(questionnaire, version, action, token=token, preview=False)


def draw_pages(
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    action: str,
    *,
    token: str | None,
    preview: bool,
) -> ResponseReturnValue:
    """Draw the first page, or take a submitted page and draw the next (or store the response)."""
    definition = questionnaires.definition_of(version)
    pages = paginate(definition)
    view = _View(questionnaire, version, definition, pages, action, preview)
    if request.method == "GET":
        first = next_page(definition, pages, -1, {})
        if first is None:
            return _refused("empty", questionnaire, status=404)
        return view.draw(Draft(version.id, first, {}, {}))
    draft = read_draft(request.form.get("state"), version.id, len(pages))
    if draft is None:
        return _refused("stale", questionnaire, status=400, restart=action)
    return view.take(draft, token)


class _View:
    """One questionnaire version's pages, for one request."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        version: QuestionnaireVersion,
        definition: Definition,
        pages: list[Page],
        action: str,
        preview: bool,
    ) -> None:
        self.questionnaire = questionnaire
        self.version = version
        self.definition = definition
        self.pages = pages
        self.action = action
        self.preview = preview

    def draw(self, draft: Draft, status: int = 200, **problems: Any) -> ResponseReturnValue:
        """The draft's page: its shown questions, filled from the submission when it is redrawn with errors."""
        page = self.pages[draft.page]
        shown = shown_on_page(self.definition, page, draft.answers)
        last = next_page(self.definition, self.pages, draft.page, draft.answers) is None and not any(
            _depends_on_page(self.definition, later, page) for later in self.pages[draft.page + 1 :]
        )
        form = page_form(
            shown,
            draft=sign_draft(draft),
            last=last,
            answers=draft.answers,
            others=draft.others,
            formdata=request.form if problems.get("errors") else None,
            errors=problems.get("errors"),
        )
        sections = {section.key: section for section in self.definition.sections}
        parts = [
            (sections[part.section], part.continued, [q for q in shown if q.key in part.questions])
            for part in page.parts
        ]
        body = render_template(
            "surveys/questionnaire.html",
            text=text_in_language,
            questionnaire=self.questionnaire,
            version=self.version,
            form=form,
            parts=[part for part in parts if part[2]],
            action=self.action,
            preview=self.preview,
            page_number=draft.page + 1,
            page_count=len(self.pages),
            first=previous_page(self.definition, self.pages, draft.page, draft.answers) is None,
            extra_errors=problems.get("extra_errors", ()),
        )
        return private(body, status)

    def take(self, draft: Draft, token: str | None) -> ResponseReturnValue:
        """Read the submitted page; go back, redraw it with its errors, draw the next one, or finish."""
        page = self.pages[draft.page]
        form = request.form.to_dict(flat=False)
        stray = [_("表單含有不屬於這一頁的欄位，沒有儲存任何內容。")]
        if _stray_fields(self.definition, form):
            return self.draw(draft, 400, extra_errors=stray)
        shown = shown_on_page(self.definition, page, draft.answers)
        reading = read_page(self.definition, shown, form, draft.answers)
        answers = {k: v for k, v in draft.answers.items() if k not in page.keys} | reading.answers
        others = {k: v for k, v in draft.others.items() if k not in page.keys} | reading.others
        visible = set(visible_keys(self.definition, answers))
        if hidden_fields_sent(self.definition, form, visible):
            message = _("有些答案屬於依您的回答不必填寫的題目，沒有儲存任何內容。請檢查後再送出。")
            return self.draw(draft, 400, extra_errors=[message])
        if _off_page(self.definition, form, page):
            return self.draw(draft, 400, extra_errors=stray)
        if "back" in form:
            back = previous_page(self.definition, self.pages, draft.page, answers)
            shown_page = draft.page if back is None else back
            return self.draw(Draft(draft.version_id, shown_page, answers, others, draft.key, draft.started))
        if reading.errors:
            return self.draw(draft, 400, errors=reading.errors)
        following = next_page(self.definition, self.pages, draft.page, answers)
        if following is not None:
            return self.draw(Draft(draft.version_id, following, answers, others, draft.key, draft.started))
        return self._finish(answers, others, token, draft.key)

    def _finish(
        self, answers: dict[str, Any], others: dict[str, str], token: str | None, key: str
    ) -> ResponseReturnValue:
        kept, kept_others = final_answers(self.definition, answers, others)
        if self.preview:
            return private(
                render_template("surveys/questionnaire_preview_done.html", questionnaire=self.questionnaire)
            )
        session = db.use_writer_session()
        outcome = questionnaires.submit(
            session, self.version, kept, kept_others, token, utcnow(), draft_key=key
        )
        if not outcome.stored:
            session.rollback()
            thanks = url_for("questionnaires.thanks", slug=self.questionnaire.slug)
            return _refused(outcome.kind, self.questionnaire, version=self.version, thanks=thanks)
        session.commit()
        return redirect(url_for("questionnaires.thanks", slug=self.questionnaire.slug), 303)


def _depends_on_page(definition: Definition, later: Page, page: Page) -> bool:
    """Whether a later page may show a question only because of an answer on `page`."""
    on_page = set(page.keys)
    for section in definition.sections:
        for question in section.questions:
            if question.key not in later.keys:
                continue
            tested = {c.question for c in (section.condition, question.condition) if c is not None}
            if tested & on_page:
                return True
    return False


def _stray_fields(definition: Definition, form: dict[str, list[str]]) -> list[str]:
    """Fields no page of this questionnaire has: of no question, or not a question's at all."""
    stray = unknown_fields(definition, form)
    return stray + [name for name in form if not name.startswith(FIELD_PREFIX) and name not in FORM_FIELDS]


def _off_page(definition: Definition, form: dict[str, list[str]], page: Page) -> list[str]:
    """Keys of questions of other pages the form answers (checked after hidden questions)."""
    return [
        question.key
        for question in definition.questions()
        if question.key not in page.keys
        and any(
            value.strip()
            for name in (field_name(question.key), other_field_name(question.key))
            for value in form.get(name, ())
        )
    ]


def register_questionnaires(app: Flask) -> None:
    """Register the public questionnaire pages and the home page's link to their list."""
    from portal.web.registry import Link, add_home_service

    app.register_blueprint(bp)
    add_home_service(
        app,
        Link("questionnaires.index", _l("問卷調查"), _l("填寫本公司的問卷，告訴我們您的意見。"), order=30),
    )
