"""The questionnaire service: creating, editing, publishing and closing, invitations, and storing a response once."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.surveys import questionnaires
from feedback.surveys.definition import Definition, QuestionKind, Text
from feedback.surveys.demo_questionnaires import DEMO_SLUGS
from feedback.surveys.questionnaire_models import Invitation, Questionnaire, QuestionnaireVersion, Response
from feedback.surveys.questionnaire_responses import DRAFT_KEEP_DAYS, purge_sent_drafts, start_of_day
from feedback.surveys.questionnaires import DefinitionRefusedError, OpenState, OutcomeKind, QuestionnaireError
from portal.db import db
from tests.feedback.surveys.builders import one_section, question
from tests.feedback.surveys.questionnaire_fixtures import NOW, every_kind, open_questionnaire

pytestmark = pytest.mark.usefixtures("app_context")

GOOD = {"used": "yes", "rating": 4, "channels": ["a", "_other"], "agree": 5, "people": "3"}
GOOD_OTHERS = {"channels": "電話"}


def stored() -> list[Response]:
    """This test's responses: the demo's questionnaires may share the database."""
    query = (
        select(Response)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .where(Questionnaire.slug.not_in(DEMO_SLUGS))
        .order_by(Response.id)
    )
    return list(db.session.scalars(query))


def test_a_questionnaire_starts_with_a_first_draft_version() -> None:
    questionnaire = questionnaires.create(db.session, slug="tap-water", title=Text("水質調查"))
    versions = questionnaires.versions_of(db.session, questionnaire)
    assert [(version.number, version.published_at) for version in versions] == [(1, None)]


@pytest.mark.parametrize("slug", ["", "Tap", "水質", "-tap", "a" * 81])
def test_a_slug_that_is_not_lower_case_letters_digits_and_hyphens_is_refused(slug: str) -> None:
    with pytest.raises(QuestionnaireError, match="slug_invalid"):
        questionnaires.create(db.session, slug=slug, title=Text("水質調查"))


def test_a_slug_taken_is_refused() -> None:
    questionnaires.create(db.session, slug="tap-water", title=Text("水質調查"))
    with pytest.raises(QuestionnaireError, match="slug_taken"):
        questionnaires.create(db.session, slug="tap-water", title=Text("另一份"))


def test_an_unsound_definition_is_not_saved_and_its_problems_are_given() -> None:
    questionnaire = questionnaires.create(db.session, slug="tap-water", title=Text("水質調查"))
    version = questionnaires.versions_of(db.session, questionnaire)[0]
    with pytest.raises(DefinitionRefusedError) as refused:
        questionnaires.save_definition(db.session, version, one_section(question("a"), question("a")))
    assert [problem.code for problem in refused.value.problems] == ["duplicate_question_key"]
    assert Definition.from_json(version.definition).sections == ()


def test_a_draft_is_edited_in_place() -> None:
    questionnaire = questionnaires.create(db.session, slug="tap-water", title=Text("水質調查"))
    version = questionnaires.versions_of(db.session, questionnaire)[0]
    saved = questionnaires.save_definition(db.session, version, one_section(question("a")))
    assert saved.id == version.id


def test_rewording_a_published_version_changes_it_in_place() -> None:
    _questionnaire, version = open_questionnaire(db.session)
    definition = every_kind()
    first = definition.sections[0]
    reworded = replace(
        first, questions=(replace(first.questions[0], label=Text("您用過嗎？")), *first.questions[1:])
    )
    saved = questionnaires.save_definition(
        db.session, version, Definition(sections=(reworded, *definition.sections[1:]))
    )
    assert saved.id == version.id


def test_a_breaking_change_to_a_published_version_makes_a_new_draft_version() -> None:
    questionnaire, version = open_questionnaire(db.session)
    before = version.definition
    definition = every_kind()
    extra = replace(definition.sections[2], questions=(*definition.sections[2].questions, question("extra")))
    saved = questionnaires.save_definition(
        db.session, version, Definition(sections=(*definition.sections[:2], extra))
    )
    assert (saved.number, saved.published_at) == (2, None)
    assert version.definition == before
    assert len(questionnaires.versions_of(db.session, questionnaire)) == 2


def test_publishing_an_empty_definition_is_refused() -> None:
    questionnaire = questionnaires.create(db.session, slug="tap-water", title=Text("水質調查"))
    version = questionnaires.versions_of(db.session, questionnaire)[0]
    with pytest.raises(DefinitionRefusedError):
        questionnaires.publish(db.session, version, NOW, NOW + timedelta(days=1), NOW)


def test_publishing_with_the_close_before_the_opening_is_refused() -> None:
    questionnaire = questionnaires.create(
        db.session, slug="tap-water", title=Text("水質調查"), definition=every_kind()
    )
    version = questionnaires.versions_of(db.session, questionnaire)[0]
    with pytest.raises(QuestionnaireError, match="dates_reversed"):
        questionnaires.publish(db.session, version, NOW, NOW - timedelta(days=1), NOW)


def test_a_version_is_open_between_its_dates_only() -> None:
    _questionnaire, version = open_questionnaire(db.session)
    assert questionnaires.state_of(version, NOW) is OpenState.OPEN
    assert questionnaires.state_of(version, NOW - timedelta(days=2)) is OpenState.NOT_YET
    assert questionnaires.state_of(version, NOW + timedelta(days=30)) is OpenState.CLOSED


def test_publishing_a_new_version_closes_the_one_before_when_it_opens() -> None:
    questionnaire, first = open_questionnaire(db.session)
    second = questionnaires.new_version(db.session, questionnaire, every_kind())
    questionnaires.publish(db.session, second, NOW + timedelta(days=2), None, NOW)
    assert first.closes_at == NOW + timedelta(days=2)
    assert questionnaires.current_version(db.session, questionnaire, NOW + timedelta(days=3)) is second


def test_closing_a_questionnaire_closes_its_open_version_now() -> None:
    questionnaire, version = open_questionnaire(db.session)
    questionnaires.close(db.session, questionnaire, NOW)
    assert questionnaires.state_of(version, NOW) is OpenState.CLOSED


def test_the_list_holds_open_questionnaires_and_closed_ones_whose_results_are_public() -> None:
    open_questionnaire(db.session, slug="open-one")
    closed_public, _ = open_questionnaire(db.session, slug="closed-public")
    closed_private, _ = open_questionnaire(db.session, slug="closed-private")
    closed_public.results_public = True
    questionnaires.close(db.session, closed_public, NOW)
    questionnaires.close(db.session, closed_private, NOW)
    open_now, closed = questionnaires.listed(db.session, NOW)
    assert [item.slug for item in open_now if item.slug not in DEMO_SLUGS] == ["open-one"]
    assert [item.slug for item in closed if item.slug not in DEMO_SLUGS] == ["closed-public"]


def test_an_anonymous_response_keeps_the_day_only() -> None:
    _questionnaire, version = open_questionnaire(db.session)
    outcome = questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, None, NOW)
    assert outcome.kind is OutcomeKind.STORED
    [response] = stored()
    assert str(response.day) == "2026-12-02"
    assert response.submitted_at is None
    assert response.invitation_id is None


def test_a_named_response_keeps_its_time() -> None:
    _questionnaire, version = open_questionnaire(db.session, anonymous=False)
    questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, None, NOW)
    [response] = stored()
    assert response.submitted_at == NOW


def test_answers_and_other_texts_are_stored_apart() -> None:
    _questionnaire, version = open_questionnaire(db.session)
    questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, None, NOW)
    [response] = stored()
    assert json.loads(response.answers) == GOOD
    assert json.loads(response.others) == GOOD_OTHERS


def test_responses_of_a_version_are_response_data_for_the_tally() -> None:
    _questionnaire, version = open_questionnaire(db.session)
    questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, None, NOW)
    [data] = list(questionnaires.responses_of(db.session, version))
    assert (dict(data.answers), dict(data.others), str(data.day)) == (GOOD, GOOD_OTHERS, "2026-12-02")


@pytest.mark.parametrize(
    ("moment", "kind"),
    [(NOW - timedelta(days=2), OutcomeKind.NOT_OPEN_YET), (NOW + timedelta(days=31), OutcomeKind.CLOSED)],
)
def test_a_submission_outside_the_dates_stores_nothing(moment: object, kind: OutcomeKind) -> None:
    _questionnaire, version = open_questionnaire(db.session)
    assert questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, None, moment).kind is kind  # type: ignore[arg-type]
    assert stored() == []


@pytest.mark.parametrize(
    "answers",
    [
        {**GOOD, "used": "maybe"},  # not an option
        {**GOOD, "rating": 6},  # not a point
        {**GOOD, "people": "200"},  # above the maximum
        {**GOOD, "unknown": "x"},  # no such question
        {"used": "no", "agree": 3},  # hidden by the conditions
    ],
)
def test_answers_the_definition_does_not_allow_store_nothing(answers: dict[str, object]) -> None:
    _questionnaire, version = open_questionnaire(db.session)
    outcome = questionnaires.submit(db.session, version, answers, {}, None, NOW)
    assert outcome.kind is OutcomeKind.INVALID_ANSWERS
    assert stored() == []


def test_a_missing_required_answer_stores_nothing() -> None:
    _questionnaire, version = open_questionnaire(db.session)
    outcome = questionnaires.submit(db.session, version, {"used": "yes"}, {}, None, NOW)
    assert (outcome.kind, outcome.missing) == (OutcomeKind.MISSING_REQUIRED, ("agree",))
    assert stored() == []


def test_invitation_tokens_are_kept_as_digests_only() -> None:
    questionnaire, _version = open_questionnaire(db.session)
    tokens = questionnaires.issue_invitations(db.session, questionnaire, 3, NOW, NOW + timedelta(days=7))
    digests = set(db.session.scalars(select(Invitation.token_digest)))
    assert len(set(tokens)) == 3
    assert digests == {questionnaires.token_digest(token) for token in tokens}
    assert not digests & set(tokens)


def test_with_invitations_a_response_needs_one() -> None:
    questionnaire, version = open_questionnaire(db.session)
    questionnaires.issue_invitations(db.session, questionnaire, 1, NOW, NOW + timedelta(days=7))
    outcome = questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, None, NOW)
    assert outcome.kind is OutcomeKind.INVITATION_REQUIRED


def test_an_invitation_is_used_once() -> None:
    questionnaire, version = open_questionnaire(db.session)
    [token] = questionnaires.issue_invitations(db.session, questionnaire, 1, NOW, NOW + timedelta(days=7))
    first = questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, token, NOW)
    second = questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, token, NOW)
    assert (first.kind, second.kind) == (OutcomeKind.STORED, OutcomeKind.INVITATION_USED)
    assert len(stored()) == 1


def test_an_anonymous_response_does_not_point_at_its_invitation_which_keeps_the_day_only() -> None:
    questionnaire, version = open_questionnaire(db.session)
    [token] = questionnaires.issue_invitations(db.session, questionnaire, 1, NOW, NOW + timedelta(days=7))
    questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, token, NOW)
    [response] = stored()
    invitation = db.session.scalar(select(Invitation))
    assert invitation is not None
    assert response.invitation_id is None
    assert invitation.used_at == start_of_day(NOW)


def test_a_named_response_points_at_its_invitation() -> None:
    questionnaire, version = open_questionnaire(db.session, anonymous=False)
    [token] = questionnaires.issue_invitations(db.session, questionnaire, 1, NOW, NOW + timedelta(days=7))
    questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, token, NOW)
    [response] = stored()
    assert response.invitation_id is not None


@pytest.mark.parametrize(
    ("token", "moment", "kind"),
    [
        ("forged-token", NOW, OutcomeKind.INVITATION_UNKNOWN),
        (None, NOW - timedelta(hours=1), OutcomeKind.INVITATION_NOT_YET),
        (None, NOW + timedelta(days=8), OutcomeKind.INVITATION_EXPIRED),
    ],
)
def test_a_forged_early_or_expired_token_stores_nothing(
    token: str | None, moment: object, kind: OutcomeKind
) -> None:
    questionnaire, version = open_questionnaire(db.session)
    [issued] = questionnaires.issue_invitations(db.session, questionnaire, 1, NOW, NOW + timedelta(days=7))
    outcome = questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, token or issued, moment)  # type: ignore[arg-type]
    assert outcome.kind is kind
    assert stored() == []


def test_a_token_of_another_questionnaire_is_unknown_here() -> None:
    other, _ = open_questionnaire(db.session, slug="other")
    _questionnaire, version = open_questionnaire(db.session)
    [token] = questionnaires.issue_invitations(db.session, other, 1, NOW, NOW + timedelta(days=7))
    outcome = questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, token, NOW)
    assert outcome.kind is OutcomeKind.INVITATION_UNKNOWN


def test_every_kind_of_answer_is_stored_in_its_form() -> None:
    _questionnaire, version = open_questionnaire(db.session)
    answers = {**GOOD, "when": "2026-11-30", "name": "林美華", "comment": "水有\n味道"}
    questionnaires.submit(db.session, version, answers, GOOD_OTHERS, None, NOW)
    [response] = stored()
    assert json.loads(response.answers) == answers
    assert {str(q.kind) for q in every_kind().questions()} == {str(kind) for kind in QuestionKind}


def test_a_draft_key_stores_one_response_and_is_forgotten_after_its_drafts_expire() -> None:
    _questionnaire, version = open_questionnaire(db.session)
    first = questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, None, NOW, draft_key="k" * 24)
    assert first.kind is OutcomeKind.STORED
    again = questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, None, NOW, draft_key="k" * 24)
    assert again.kind is OutcomeKind.ALREADY_SENT
    assert len(stored()) == 1, "the refused one added nothing, and the first is kept"
    other = questionnaires.submit(db.session, version, GOOD, GOOD_OTHERS, None, NOW, draft_key="m" * 24)
    assert other.kind is OutcomeKind.STORED
    assert purge_sent_drafts(db.session, NOW + timedelta(days=DRAFT_KEEP_DAYS)) == 0
    assert purge_sent_drafts(db.session, NOW + timedelta(days=DRAFT_KEEP_DAYS + 1)) == 2
    assert len(stored()) == 2, "forgetting the keys keeps the responses"
