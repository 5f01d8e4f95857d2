"""One response to a questionnaire: whether a version is open, what a token is worth, and `submit`.

The public pages read a questionnaire page by page (`answers.py`) and keep the answers
in the page; `submit` takes the final answers, reads them again against the definition
(so nothing forged is stored), uses the invitation if any, and adds the response row, in
the caller's transaction.

- A questionnaire with invitations takes responses only through an invitation, each
  used once: one `UPDATE … WHERE used_at IS NULL AND valid …` that only one request can
  win, in the same transaction as the response row.
- An anonymous response keeps its day only (Taipei); its invitation's `used_at` keeps the
  start of that day, and the response does not point at the invitation.
- A filled-in questionnaire is stored once: the public pages' draft key is kept as sent
  (`SentDraft`: its digest and day, unlinked to the response) in the same transaction,
  so the last page sent twice stores one response. The keys are forgotten once their
  drafts have expired (`purge_sent_drafts`, run by `flask surveys monthly`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedback.cases.handling import (  # the day an anonymous response keeps is the office's
    OFFICE_ZONE,
    local_day,
)
from feedback.surveys.answers import (
    AnswerErrorCode,
    field_name,
    final_answers,
    missing_required,
    other_field_name,
    read_page,
)
from feedback.surveys.conditions import is_answered
from feedback.surveys.definition import Definition
from feedback.surveys.questionnaire_models import (
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    SentDraft,
)

# Days a sent draft's key is kept: longer than a draft lives (questionnaire_forms.DRAFT_MAX_AGE, two days).
DRAFT_KEEP_DAYS = 3


class OpenState(StrEnum):
    """Whether a version takes responses at a moment."""

    DRAFT = "draft"  # never published
    NOT_YET = "not_yet"  # published, opens later
    OPEN = "open"
    CLOSED = "closed"


class InvitationState(StrEnum):
    """What an invitation token is worth at a moment."""

    VALID = "valid"
    UNKNOWN = "unknown"  # forged, mistyped, or of another questionnaire
    NOT_YET = "not_yet"
    EXPIRED = "expired"
    USED = "used"


class OutcomeKind(StrEnum):
    """What became of a submission; only STORED stored anything."""

    STORED = "stored"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"
    INVITATION_REQUIRED = "invitation_required"
    INVITATION_UNKNOWN = "invitation_unknown"
    INVITATION_NOT_YET = "invitation_not_yet"
    INVITATION_EXPIRED = "invitation_expired"
    INVITATION_USED = "invitation_used"
    INVALID_ANSWERS = "invalid_answers"  # an answer the definition does not allow (forged)
    MISSING_REQUIRED = "missing_required"
    ALREADY_SENT = "already_sent"  # the same filled-in questionnaire, sent again


@dataclass(frozen=True)
class Outcome:
    """The result of `submit`: its kind, the stored response's id, and what was wrong with the answers."""

    kind: OutcomeKind
    response_id: int | None = None
    refused: tuple[str, ...] = ()  # keys of answers the definition does not allow
    missing: tuple[str, ...] = ()  # keys of required questions shown but not answered

    @property
    def stored(self) -> bool:
        return self.kind is OutcomeKind.STORED


_INVITATION_OUTCOME = {
    InvitationState.UNKNOWN: OutcomeKind.INVITATION_UNKNOWN,
    InvitationState.NOT_YET: OutcomeKind.INVITATION_NOT_YET,
    InvitationState.EXPIRED: OutcomeKind.INVITATION_EXPIRED,
    InvitationState.USED: OutcomeKind.INVITATION_USED,
}


def start_of_day(moment: datetime) -> datetime:
    """Midnight (Taipei) of the day of `moment`, as an aware datetime."""
    return datetime.combine(local_day(moment), time(0), tzinfo=OFFICE_ZONE)


def token_digest(token: str) -> str:
    """The SHA-256 digest (hex) kept in place of an invitation token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def definition_of(version: QuestionnaireVersion) -> Definition:
    """The version's definition, read from its JSON."""
    return Definition.from_json(version.definition)


def state_of(version: QuestionnaireVersion, now: datetime) -> OpenState:
    """Whether the version takes responses at `now`."""
    if version.published_at is None or version.opens_at is None:
        return OpenState.DRAFT
    if now < version.opens_at:
        return OpenState.NOT_YET
    if version.closes_at is not None and now >= version.closes_at:
        return OpenState.CLOSED
    return OpenState.OPEN


def by_invitation_only(session: Session, questionnaire: Questionnaire) -> bool:
    """Whether the questionnaire has invitations, and so takes responses only through one."""
    return bool(session.scalar(select(exists().where(Invitation.questionnaire_id == questionnaire.id))))


def invitation_state(
    session: Session, questionnaire: Questionnaire, token: str, now: datetime
) -> InvitationState:
    """What the token is worth for this questionnaire at `now` (a read: it decides nothing for `submit`)."""
    invitation = session.scalar(
        select(Invitation).where(
            Invitation.token_digest == token_digest(token), Invitation.questionnaire_id == questionnaire.id
        )
    )
    if invitation is None:
        return InvitationState.UNKNOWN
    if invitation.used_at is not None:
        return InvitationState.USED
    if now < invitation.valid_from:
        return InvitationState.NOT_YET
    if now >= invitation.valid_until:
        return InvitationState.EXPIRED
    return InvitationState.VALID


def as_form(
    definition: Definition, answers: Mapping[str, Any], others: Mapping[str, str]
) -> dict[str, list[str]]:
    """Stored answers written back as the form fields a page would send (see `answers.py`)."""
    form: dict[str, list[str]] = {}
    for key, value in answers.items():
        values = value if isinstance(value, list | tuple) else [value]
        form[field_name(key)] = [str(item) for item in values]
    for key, text in others.items():
        form[other_field_name(key)] = [str(text)]
    return form


def check_answers(
    definition: Definition, answers: Mapping[str, Any], others: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """(answers to store, their "other" texts, keys refused): keys refused are answers the
    definition does not allow (an unknown question, a value out of range, a question the
    conditions hide). Read again as a form of every question, so that what is stored obeys
    the same rules as a page read."""
    known = {question.key for question in definition.questions()}
    reading = read_page(definition, definition.questions(), as_form(definition, answers, others), {})
    refused = [
        key
        for key in answers
        if key not in known
        or (key in reading.errors and reading.errors[key].code is not AnswerErrorCode.REQUIRED)
        or (is_answered(answers[key]) and key not in reading.answers and key not in reading.errors)
    ]
    refused += [key for key in others if key not in known]
    kept, kept_others = final_answers(definition, reading.answers, reading.others)
    return kept, kept_others, refused


def submit(
    session: Session,
    version: QuestionnaireVersion,
    answers: Mapping[str, Any],
    others: Mapping[str, str],
    invitation_token: str | None,
    now: datetime,
    *,
    draft_key: str | None = None,
) -> Outcome:
    """Store one response to the version, exactly once, or say why not (and store nothing).

    `draft_key` names the filled-in questionnaire (the public pages' `Draft.key`): a
    second response with the same key is refused as ALREADY_SENT. On SQLite give it a
    writer session (`db.use_writer_session`). The caller commits when the outcome is
    STORED; after any other outcome it rolls back.
    """
    state = state_of(version, now)
    if state is not OpenState.OPEN:
        return Outcome(OutcomeKind.CLOSED if state is OpenState.CLOSED else OutcomeKind.NOT_OPEN_YET)
    questionnaire = session.get(Questionnaire, version.questionnaire_id)
    assert questionnaire is not None
    definition = definition_of(version)
    kept, kept_others, refused = check_answers(definition, answers, others)
    if refused:
        return Outcome(OutcomeKind.INVALID_ANSWERS, refused=tuple(refused))
    missing = missing_required(definition, kept)
    if missing:
        return Outcome(OutcomeKind.MISSING_REQUIRED, missing=tuple(missing))
    invitation_id: int | None = None
    if invitation_token is not None or by_invitation_only(session, questionnaire):
        if invitation_token is None:
            return Outcome(OutcomeKind.INVITATION_REQUIRED)
        claimed = _claim(session, questionnaire, invitation_token, now)
        if isinstance(claimed, OutcomeKind):
            return Outcome(claimed)
        invitation_id = None if questionnaire.anonymous else claimed
    if draft_key is not None and not _mark_sent(session, version, draft_key, now):
        return Outcome(OutcomeKind.ALREADY_SENT)
    response = Response(
        version_id=version.id,
        day=local_day(now),
        submitted_at=None if questionnaire.anonymous else now,
        answers=json.dumps(kept, ensure_ascii=False),
        others=json.dumps(kept_others, ensure_ascii=False),
        invitation_id=invitation_id,
    )
    session.add(response)
    session.flush()
    return Outcome(OutcomeKind.STORED, response_id=response.id)


def _mark_sent(session: Session, version: QuestionnaireVersion, key: str, now: datetime) -> bool:
    """Keep the draft's key as sent; False when it was sent already (the primary key decides, even at once)."""
    try:
        with session.begin_nested():
            session.add(SentDraft(key_digest=token_digest(key), version_id=version.id, day=local_day(now)))
    except IntegrityError:
        return False
    return True


def purge_sent_drafts(session: Session, now: datetime) -> int:
    """Forget the keys of drafts too old to be sent again (`DRAFT_KEEP_DAYS`); how many were removed."""
    cutoff = local_day(now) - timedelta(days=DRAFT_KEEP_DAYS)
    removed = cast(CursorResult[Any], session.execute(delete(SentDraft).where(SentDraft.day < cutoff)))
    return removed.rowcount or 0


def _claim(session: Session, questionnaire: Questionnaire, token: str, now: datetime) -> int | OutcomeKind:
    """Use the invitation: its id, or why it cannot be used. Only one request can win the UPDATE."""
    digest = token_digest(token)
    used_at = start_of_day(now) if questionnaire.anonymous else now
    claimed = cast(
        CursorResult[Any],
        session.execute(
            update(Invitation)
            .where(
                Invitation.token_digest == digest,
                Invitation.questionnaire_id == questionnaire.id,
                Invitation.used_at.is_(None),
                Invitation.valid_from <= now,
                Invitation.valid_until > now,
            )
            .values(used_at=used_at)
            .execution_options(synchronize_session=False)
        ),
    )
    if claimed.rowcount != 1:  # nothing written: the caller's transaction holds nothing of this
        return _INVITATION_OUTCOME.get(
            invitation_state(session, questionnaire, token, now), OutcomeKind.INVITATION_USED
        )
    invitation_id = session.scalar(select(Invitation.id).where(Invitation.token_digest == digest))
    assert invitation_id is not None
    return invitation_id
