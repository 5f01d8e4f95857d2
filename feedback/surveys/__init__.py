"""Surveys: satisfaction after a case, the counter survey, and questionnaires (built in steps).

The feedback domain's `init_app` calls `register`; nothing else here is for other domains.

- After a case (`case_surveys.py`, `case_hooks.py`, `case_views.py`): the closure mail's
  faces, the one-click answer, the rest of the response, and the follow-up of a
  dissatisfied citizen (`follow_ups.py`, `staff/`).
- Questionnaires: what one asks (`definition.py`), whether it is sound (`checks.py`), what
  is shown and paged (`conditions.py`), reading answers (`answers.py`).
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register the survey pages and the hooks that add the survey to a case's closure and status page."""
    from feedback.cases.hooks import add_closing_hook, add_status_hook
    from feedback.surveys import results_views
    from feedback.surveys.case_hooks import closing_lines, status_block
    from feedback.surveys.case_views import bp as survey_pages
    from feedback.surveys.cli import surveys_cli
    from feedback.surveys.counter_views import register_counters
    from feedback.surveys.questionnaire_views import register_questionnaires
    from feedback.surveys.staff import builder_views, questionnaire_views  # noqa: F401 - their routes
    from feedback.surveys.staff.dashboard import follow_up_card, questionnaire_card
    from feedback.surveys.staff.follow_up_views import bp as follow_up_pages
    from feedback.surveys.staff.questionnaire_common import bp as questionnaire_staff_pages
    from portal.web.registry import add_dashboard_card

    app.register_blueprint(survey_pages)
    app.register_blueprint(follow_up_pages)
    add_dashboard_card(app, follow_up_card)
    add_dashboard_card(app, questionnaire_card)
    add_closing_hook(app, closing_lines)
    add_status_hook(app, status_block)
    app.cli.add_command(surveys_cli)
    register_counters(app)
    app.register_blueprint(questionnaire_staff_pages)
    app.register_blueprint(results_views.public_bp)
    register_questionnaires(app)
