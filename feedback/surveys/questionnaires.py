"""Questionnaires as a service: create, edit, publish and close them, invite people, take responses.

Staff pages (the builder, results) and the public pages call these functions in their
own transaction and commit afterwards; nothing here commits.

- A definition is saved only when `checks.check_definition` finds nothing wrong
  (`DefinitionRefusedError` carries the problems). A version that is published or holds a
  response changes in place only when the change is rewording; otherwise the edit goes
  into a new draft version (`versions.needs_new_version`).
- One version of a questionnaire is open at a time: publishing a version closes the one
  before it when the new one opens.
- Issuing invitations makes a questionnaire by invitation only.
- Responses (`submit`, and whether a version is open or a token valid) are in
  `questionnaire_responses.py`, re-exported here.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from feedback.surveys.checks import Problem, check_definition
from feedback.surveys.definition import Definition, Text
from feedback.surveys.questionnaire_models import Invitation, Questionnaire, QuestionnaireVersion, Response
from feedback.surveys.questionnaire_responses import (
    InvitationState,
    OpenState,
    Outcome,
    OutcomeKind,
    by_invitation_only,
    check_answers,
    definition_of,
    invitation_state,
    local_day,
    state_of,
    submit,
    token_digest,
)
from feedback.surveys.tally import ResponseData
from feedback.surveys.versions import needs_new_version

__all__ = [  # the public side lives in questionnaire_responses; here for one import
    "DefinitionRefusedError",
    "InvitationState",
    "OpenState",
    "Outcome",
    "OutcomeKind",
    "QuestionnaireError",
    "by_invitation_only",
    "by_slug",
    "check_answers",
    "close",
    "create",
    "current_version",
    "definition_of",
    "invitation_state",
    "issue_invitations",
    "listed",
    "local_day",
    "new_version",
    "publish",
    "questionnaire_of_token",
    "response_count",
    "responses_of",
    "save_definition",
    "state_of",
    "submit",
    "versions_of",
]

SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
TOKEN_BYTES = 24
INVITATIONS_MAX = 10000  # at one time


class QuestionnaireError(ValueError):
    """A staff action refused; `code` says why (the view turns it into words)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class DefinitionRefusedError(QuestionnaireError):
    """A definition not saved: what `check_definition` found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("definition_unsound")
        self.problems = problems


# Staff: creating and editing.


def create(
    session: Session,
    *,
    slug: str,
    title: Text,
    description: Text | None = None,
    anonymous: bool = True,
    results_public: bool = False,
    created_by_id: int | None = None,
    definition: Definition | None = None,
) -> Questionnaire:
    """A new questionnaire with its first (draft) version; `definition` None starts it empty.

    Raises QuestionnaireError "slug_invalid", "slug_taken" or "title_missing"; a given
    definition must be sound (DefinitionRefusedError).
    """
    if not SLUG_PATTERN.fullmatch(slug):
        raise QuestionnaireError("slug_invalid")
    if not title.zh.strip():
        raise QuestionnaireError("title_missing")
    if session.scalar(select(exists().where(Questionnaire.slug == slug))):
        raise QuestionnaireError("slug_taken")
    if definition is not None:
        _refuse_unsound(definition)
    description = description or Text("")
    questionnaire = Questionnaire(
        slug=slug,
        title_zh=title.zh.strip(),
        title_en=title.en.strip(),
        description_zh=description.zh.strip(),
        description_en=description.en.strip(),
        anonymous=anonymous,
        results_public=results_public,
        created_by_id=created_by_id,
    )
    session.add(questionnaire)
    session.flush()
    empty = Definition(sections=())
    session.add(
        QuestionnaireVersion(
            questionnaire_id=questionnaire.id, number=1, definition=(definition or empty).to_json()
        )
    )
    session.flush()
    return questionnaire


def _refuse_unsound(definition: Definition) -> None:
    problems = check_definition(definition)
    if problems:
        raise DefinitionRefusedError(problems)


def versions_of(session: Session, questionnaire: Questionnaire) -> list[QuestionnaireVersion]:
    """The questionnaire's versions, 1..n."""
    return list(
        session.scalars(
            select(QuestionnaireVersion)
            .where(QuestionnaireVersion.questionnaire_id == questionnaire.id)
            .order_by(QuestionnaireVersion.number)
        )
    )


def response_count(session: Session, version: QuestionnaireVersion, *, before: date | None = None) -> int:
    """How many responses the version holds (given before the day `before`, when it is named)."""
    query = select(func.count()).select_from(Response).where(Response.version_id == version.id)
    if before is not None:
        query = query.where(Response.day < before)
    return session.scalar(query) or 0


def published_version(session: Session, questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    """The version the public's results and open data show: the latest published one with
    responses, else the latest published one; None before any is published."""
    versions = [v for v in versions_of(session, questionnaire) if v.published_at is not None]
    answered = [v for v in versions if response_count(session, v)]
    chosen = answered or versions
    return chosen[-1] if chosen else None


def new_version(
    session: Session, questionnaire: Questionnaire, definition: Definition
) -> QuestionnaireVersion:
    """A new draft version numbered after the last one, holding a sound `definition`."""
    _refuse_unsound(definition)
    last = session.scalar(
        select(func.max(QuestionnaireVersion.number)).where(
            QuestionnaireVersion.questionnaire_id == questionnaire.id
        )
    )
    version = QuestionnaireVersion(
        questionnaire_id=questionnaire.id, number=(last or 0) + 1, definition=definition.to_json()
    )
    session.add(version)
    session.flush()
    return version


def save_definition(
    session: Session, version: QuestionnaireVersion, definition: Definition
) -> QuestionnaireVersion:
    """Save `definition` and return the version that holds it.

    A draft without responses changes in place. A published version, or one holding
    responses, changes in place only when the change is rewording; otherwise a new draft
    version is made (and returned), leaving this one as it was.
    """
    _refuse_unsound(definition)
    settled = version.published_at is not None or response_count(session, version) > 0
    if settled and needs_new_version(definition_of(version), definition):
        questionnaire = session.get(Questionnaire, version.questionnaire_id)
        assert questionnaire is not None
        return new_version(session, questionnaire, definition)
    version.definition = definition.to_json()
    session.flush()
    return version


def publish(
    session: Session,
    version: QuestionnaireVersion,
    opens_at: datetime,
    closes_at: datetime | None,
    now: datetime,
) -> None:
    """Publish the version to open at `opens_at` and close at `closes_at` (None: until closed).

    The version published before it closes when this one opens. Raises
    QuestionnaireError "dates_reversed" or DefinitionRefusedError (an empty or unsound definition).
    """
    _refuse_unsound(definition_of(version))
    if closes_at is not None and closes_at <= opens_at:
        raise QuestionnaireError("dates_reversed")
    for other in session.scalars(
        select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == version.questionnaire_id,
            QuestionnaireVersion.id != version.id,
            QuestionnaireVersion.published_at.is_not(None),
        )
    ):
        if other.closes_at is None or other.closes_at > opens_at:
            other.closes_at = max(opens_at, other.opens_at or opens_at)
    version.published_at = version.published_at or now
    version.opens_at = opens_at
    version.closes_at = closes_at
    session.flush()


def close(session: Session, questionnaire: Questionnaire, now: datetime) -> None:
    """Close every published version of the questionnaire now (those not closed already)."""
    for version in session.scalars(
        select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == questionnaire.id,
            QuestionnaireVersion.published_at.is_not(None),
        )
    ):
        if version.closes_at is None or version.closes_at > now:
            version.closes_at = now
            if version.opens_at is not None and version.opens_at > now:
                version.opens_at = now
    session.flush()


def issue_invitations(
    session: Session,
    questionnaire: Questionnaire,
    count: int,
    valid_from: datetime,
    valid_until: datetime,
) -> list[str]:
    """Issue `count` one-use invitations and return their tokens: shown this once, kept as digests only.

    From then on the questionnaire takes responses only through an invitation.
    """
    if not 1 <= count <= INVITATIONS_MAX:
        raise QuestionnaireError("invitation_count")
    if valid_until <= valid_from:
        raise QuestionnaireError("dates_reversed")
    tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _ in range(count)]
    session.add_all(
        Invitation(
            questionnaire_id=questionnaire.id,
            token_digest=token_digest(token),
            valid_from=valid_from,
            valid_until=valid_until,
        )
        for token in tokens
    )
    session.flush()
    return tokens


# Reading.


def by_slug(session: Session, slug: str) -> Questionnaire | None:
    """The questionnaire at this slug."""
    return session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))


def current_version(
    session: Session, questionnaire: Questionnaire, now: datetime
) -> QuestionnaireVersion | None:
    """The version the public sees now: the open one, else the next to open, else the last closed; None if never published."""
    published = [v for v in versions_of(session, questionnaire) if v.published_at is not None]
    for wanted in (OpenState.OPEN, OpenState.NOT_YET, OpenState.CLOSED):
        found = [v for v in published if state_of(v, now) is wanted]
        if found:
            return min(found, key=_opening) if wanted is OpenState.NOT_YET else max(found, key=_opening)
    return None


def _opening(version: QuestionnaireVersion) -> datetime:
    assert version.opens_at is not None
    return version.opens_at


def listed(session: Session, now: datetime) -> tuple[list[Questionnaire], list[Questionnaire]]:
    """(open questionnaires, closed ones whose results are public), each by title."""
    open_now: list[Questionnaire] = []
    closed_public: list[Questionnaire] = []
    for questionnaire in session.scalars(select(Questionnaire).order_by(Questionnaire.title_zh)):
        version = current_version(session, questionnaire, now)
        if version is None:
            continue
        state = state_of(version, now)
        if state is OpenState.OPEN:
            open_now.append(questionnaire)
        elif state is OpenState.CLOSED and questionnaire.results_public:
            closed_public.append(questionnaire)
    return open_now, closed_public


def questionnaire_of_token(session: Session, token: str) -> Questionnaire | None:
    """The questionnaire an invitation token belongs to (for `/surveys/q/i/<token>`)."""
    return session.scalar(
        select(Questionnaire)
        .join(Invitation, Invitation.questionnaire_id == Questionnaire.id)
        .where(Invitation.token_digest == token_digest(token))
    )


def responses_of(session: Session, version: QuestionnaireVersion) -> Iterator[ResponseData]:
    """The version's responses, for `tally` and `exports`, by day (no order within a day is kept)."""
    rows = session.execute(
        select(Response.answers, Response.others, Response.day)
        .where(Response.version_id == version.id)
        .order_by(Response.day, Response.id)
    )
    for answers, others, day in rows:
        yield ResponseData(answers=json.loads(answers), others=json.loads(others or "{}"), day=day)


# The public: one response.
