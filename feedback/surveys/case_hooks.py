"""What the satisfaction survey adds to a case: the faces in the closure mail, a block on the status page.

Registered with the case domain's hooks (`feedback/cases/hooks.py`), so the case domain
never imports surveys. Closing a case with a reply issues its survey (once) and puts the
five faces in the mail as five links, in the citizen's language; while the survey can be
answered, the citizen's status page links to it.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from feedback.cases.models import Case
from feedback.surveys.case_surveys import SCORES, SurveyState, issue, state_of, survey_of_case
from feedback.surveys.labels import FACE_LABELS
from portal.db import db, utcnow
from portal.i18n import _, url_for_language


def closing_lines(session: Session, case: Case, now: datetime) -> list[str]:
    """The survey's lines for the closure mail of `case`: one link a face; none when it gets no survey."""
    days = int(current_app.config["SURVEY_LINK_DAYS"])
    token = issue(session, case, now, days)
    if token is None:
        return []
    lines = [_("您對這次的服務滿意嗎？請點選最接近您感受的一項，點選即完成填答："), ""]
    for score in reversed(SCORES):
        url = url_for_language(case.language, "surveys.case_survey", token=token, overall=score)
        lines.append(f"{FACE_LABELS[score]}：{url}")
    lines += ["", _("開啟的網頁上還可以回答其他幾題。問卷連結 %(days)d 天內有效。", days=days)]
    return lines


def status_block(case: Case) -> Markup | None:
    """The survey's block on the status page: a link while it can be answered, thanks once answered."""
    survey = survey_of_case(db.session, case.id)
    state = state_of(survey, utcnow())
    if state in {SurveyState.UNKNOWN, SurveyState.EXPIRED}:
        return None
    page = render_template("surveys/_status_block.html", completed=state is SurveyState.COMPLETED)
    return Markup(page)  # noqa: S704 - a template rendered with autoescaping
