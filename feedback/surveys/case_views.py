"""The satisfaction survey after a case, as the citizen answers it.

`/surveys/case/<token>` is the link of the closure mail. Followed with `?overall=N` (one
of the five faces in the mail), it records that answer on the click, then shows the page
for the rest; the page's POST completes the response, once. `/surveys/case` is the same
survey reached from the case's status page, in the lookup session, without a token. A
link that is unknown (404), expired (410) or already answered (409) gets a page saying so.
Pages are never cached: they belong to one citizen.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from feedback.cases.calendar import office_calendar
from feedback.cases.citizen_session import lookup_case
from feedback.cases.citizen_views import private
from feedback.surveys.case_surveys import (
    ASPECTS,
    SCORES,
    Aspects,
    SurveyState,
    complete,
    find,
    record_click,
    state_of,
    survey_of_case,
)
from feedback.surveys.forms import CaseSurveyForm
from feedback.surveys.models import CaseSurvey
from portal.db import db, utcnow
from portal.i18n import _

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

_CLOSED_STATUS = {SurveyState.UNKNOWN: 404, SurveyState.EXPIRED: 410, SurveyState.COMPLETED: 409}


def _closed(state: SurveyState) -> Response:
    return private(render_template("surveys/case_closed.html", state=str(state)), _CLOSED_STATUS[state])


def _score(value: str | None) -> int | None:
    return int(value) if value in {str(score) for score in SCORES} else None


def _days() -> int:
    return int(current_app.config["FOLLOW_UP_WORKING_DAYS"])


def _page(
    survey: CaseSurvey, form: CaseSurveyForm, action: str, status: int = 200, **extra: object
) -> Response:
    page = render_template("surveys/case.html", form=form, action=action, survey=survey, **extra)
    return private(page, status)


def _answer(survey: CaseSurvey | None, action: str) -> ResponseReturnValue:
    """The survey page of `survey`: record a clicked face, or complete the response."""
    now = utcnow()
    state = state_of(survey, now)
    if survey is None or state is not SurveyState.OPEN:
        return _closed(state)
    form = CaseSurveyForm()
    if request.method == "GET":
        clicked = request.args.get("overall")
        if clicked is not None:
            score = _score(clicked)
            if score is None:
                form.overall.errors = [_("請選擇整體滿意度。")]
                return _page(survey, form, action, 400)
            record_click(db.session, survey, score, now, office_calendar(), _days())
            db.session.commit()
        if survey.overall is not None:
            form.overall.data = str(survey.overall)
        return _page(survey, form, action, recorded=clicked is not None)
    if not form.validate_on_submit():
        return _page(survey, form, action, 400)
    aspects = Aspects(
        **{aspect: _score(getattr(form, aspect).data) for aspect in ASPECTS}, comment=form.comment.data or ""
    )
    overall = _score(form.overall.data)
    assert overall is not None  # the field's choices are the scores
    if not complete(db.session, survey, overall, aspects, now, office_calendar(), _days()):
        return _closed(state_of(db.session.get(CaseSurvey, survey.id), utcnow()))
    db.session.commit()
    return private(render_template("surveys/case_thanks.html", survey=survey))


@bp.route("/case/<token>", methods=["GET", "POST"])
def case_survey(token: str) -> ResponseReturnValue:
    """The survey opened by the closure mail's link (a face clicked, or the link itself)."""
    return _answer(find(db.session, token), url_for("surveys.case_survey", token=token))


@bp.route("/case", methods=["GET", "POST"])
def case_survey_in_session() -> ResponseReturnValue:
    """The survey of the case open in this browser's lookup session."""
    case = lookup_case(db.session)
    if case is None:
        return redirect(url_for("cases.lookup"), 303)
    return _answer(survey_of_case(db.session, case.id), url_for("surveys.case_survey_in_session"))
