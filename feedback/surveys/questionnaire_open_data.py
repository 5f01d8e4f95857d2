"""A questionnaire's responses as open data: one row a response, through the release pipeline.

Staff publish the responses of a questionnaire whose results they made public, from its
staff page. The dataset (`questionnaire-<id>-<slug>`) is defined here from the questionnaire
(`response_definition`) and published by `open_data.publish_rows` exactly as an upload
would be, so the pipeline's de-identification rules and personal-data gate decide:

- the day answered, and every date answer, are generalised to the month;
- every typed text (short and long text answers, "other" texts) is redacted: what the
  personal-data scanner finds in it is replaced by its kind, and the gate then scans
  every cell, refusing the whole release when anything personal is left;
- choices are their options' Chinese labels (a multiple choice's joined by "；"), as
  the staff export writes them (`exports.py`); scales and numbers stay numbers.

Rows are the responses to the version the results page shows (the latest published one
with responses), in months that have ended only, ordered within a month by their
content, never by when they came: a release made mid-month, or two releases compared,
would otherwise date answers finer than the month. A month with fewer than
`SUPPRESSION_THRESHOLD` responses is withheld by the pipeline's k-anonymity check
(`privacy`, the month as quasi-identifier), and a questionnaire with fewer than that in
all is not published at all: a handful of rows would say too much about the few who
answered.

Once published, a questionnaire's dataset is kept current by `republish_monthly`, which
`flask surveys monthly` runs: once a month (claimed in `scheduled_run`, `portal.once`,
however many timers start it) each published questionnaire dataset whose responses have
changed gets a new release.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from datasets.definition import DefinitionError
from datasets.models import Dataset, Release
from feedback.surveys.definition import Definition, Question, QuestionKind
from feedback.surveys.exports import LABELS, label_in, row
from feedback.surveys.open_data import SATISFACTION_DEFINITION, PublishOutcome, publish_rows
from feedback.surveys.open_data_rows import SUPPRESSION_THRESHOLD, next_month
from feedback.surveys.questionnaire_models import Questionnaire, QuestionnaireVersion
from feedback.surveys.questionnaires import definition_of, published_version, response_count, responses_of
from feedback.surveys.tally import ResponseData
from portal import audit
from portal.once import claim

MONTHLY_JOB = "questionnaire-open-data"
MONTHLY_ACTOR = "scheduled:questionnaire-open-data"
SLUG_PREFIX = "questionnaire-"
MONTH_COLUMN = "answered_month"
_TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}
_TYPES = {QuestionKind.LIKERT: "integer", QuestionKind.RATING: "integer", QuestionKind.NUMBER: "number"}
_TITLE_LIMITS = {"zh": 200, "en": 300}  # Dataset.title_zh and title_en
logger = logging.getLogger("feedback.surveys.questionnaire_open_data")
# What every published questionnaire shares with the survey figures' dataset.
_SHARED = ("classification", "contact", "update_frequency", "licence", "cost")


@dataclass(frozen=True)
class Refusal:
    """Why a questionnaire's responses cannot be published: a code and, for too few, the count."""

    code: str  # "results_not_public", "no_published_version", "too_few_responses"
    responses: int = 0


def dataset_slug(questionnaire: Questionnaire) -> str:
    """The slug of the questionnaire's responses dataset (its id keeps two long slugs apart)."""
    return f"{SLUG_PREFIX}{questionnaire.id}-{questionnaire.slug}"[:80].rstrip("-")


def _first_day_after(month: str) -> date:
    return date.fromisoformat(next_month(month) + "-01")


def closed_responses(session: Session, version: QuestionnaireVersion, up_to: str) -> list[ResponseData]:
    """The version's responses given in months up to `up_to` ("YYYY-MM", a month that has ended)."""
    before = _first_day_after(up_to)
    return [response for response in responses_of(session, version) if response.day < before]


def _checked(session: Session, questionnaire: Questionnaire, up_to: str) -> QuestionnaireVersion | Refusal:
    """The version whose responses up to month `up_to` may be published, or why none may."""
    if not questionnaire.results_public:
        return Refusal("results_not_public")
    version = published_version(session, questionnaire)
    if version is None:
        return Refusal("no_published_version")
    count = response_count(session, version, before=_first_day_after(up_to))
    if count < SUPPRESSION_THRESHOLD:
        return Refusal("too_few_responses", count)
    return version


def refusal(session: Session, questionnaire: Questionnaire, up_to: str) -> Refusal | None:
    """Why the responses up to month `up_to` cannot be published, or None when they can."""
    checked = _checked(session, questionnaire, up_to)
    return checked if isinstance(checked, Refusal) else None


@dataclass(frozen=True)
class _Column:
    """One published column: its name, and the question it holds (an "other" text when `other`)."""

    name: str
    question: Question
    other: bool = False


def _columns(definition: Definition) -> list[_Column]:
    """The question columns in the staff export's order, each "other" text named apart from every key."""
    taken = {MONTH_COLUMN} | {question.key for question in definition.questions()}
    result = []
    for question in definition.questions():
        result.append(_Column(question.key, question))
        if question.allow_other:
            name = f"{question.key}_other"
            while name in taken:  # a question may itself be keyed "…_other"
                name += "_text"
            taken.add(name)
            result.append(_Column(name, question, other=True))
    return result


def _field(column: _Column) -> dict[str, Any]:
    """One column as a dataset field, with the de-identification rule its content needs."""
    question = column.question
    zh, en = question.label.zh, label_in(question.label, "en")
    if column.other:
        return {
            "name": column.name,
            "type": "string",
            "title": f"{question.key} {zh}（{LABELS['zh'].other_text}）",
            "title_en": f"{question.key} {en} ({LABELS['en'].other_text})",
            "deid": {"rule": "redact"},
        }
    field: dict[str, Any] = {
        "name": column.name,
        "type": "date" if question.kind is QuestionKind.DATE else _TYPES.get(question.kind, "string"),
        "title": f"{question.key} {zh}",
        "title_en": f"{question.key} {en}",
    }
    if question.kind in _TEXT_KINDS:
        field["deid"] = {"rule": "redact"}
    elif question.kind is QuestionKind.DATE:
        field["deid"] = {"rule": "generalise", "level": "month"}
    return field


def _month_field() -> dict[str, Any]:
    return {
        "name": MONTH_COLUMN,
        "type": "date",
        "title": "填答月份",
        "title_en": "Month answered",
        "constraints": {"required": True},
        "deid": {"rule": "generalise", "level": "month"},
        "index": True,
    }


def _title(prefix: str, title: str, language: str) -> str:
    return (prefix + title)[: _TITLE_LIMITS[language]]


def response_definition(questionnaire: Questionnaire, definition: Definition) -> dict[str, Any]:
    """The dataset definition (the shape of a definition YAML file) of the questionnaire's responses."""
    shared = yaml.safe_load(SATISFACTION_DEFINITION.read_text(encoding="utf-8"))
    title_en = questionnaire.title_en or questionnaire.title_zh
    return {
        "name": dataset_slug(questionnaire),
        "title": _title("問卷填答資料：", questionnaire.title_zh, "zh"),
        "title_en": _title("Questionnaire responses: ", title_en, "en"),
        "description": (
            f"「{questionnaire.title_zh}」的填答資料，每列一份回答，只含已結束的月份。填答日期與日期題只公開到月份；"
            f"文字回答與「其他」說明中的個人資料已遮蔽，並經個資檢查後才公開；少於 {SUPPRESSION_THRESHOLD} 份回答的月份不公開。"
        ),
        "description_en": (
            f"The responses to “{title_en}”, one row a response, for months that have ended. The day answered "
            "and date answers are published to the month only; personal data in typed answers and “other” "
            "texts is redacted, and every cell is checked for personal data before publication; a month with "
            f"fewer than {SUPPRESSION_THRESHOLD} responses is withheld."
        ),
        "keywords": ["問卷調查", "民眾參與"],
        **{key: shared[key] for key in _SHARED if key in shared},
        "privacy": {"quasi_identifiers": [MONTH_COLUMN], "k": SUPPRESSION_THRESHOLD},
        "schema": {"fields": [_month_field(), *(_field(column) for column in _columns(definition))]},
    }


def response_rows(definition: Definition, responses: Iterable[ResponseData]) -> list[dict[str, object]]:
    """The rows of the responses: by month, and within a month by content (never by arrival)."""
    names = [MONTH_COLUMN, *(column.name for column in _columns(definition))]
    rows: list[dict[str, object]] = [
        dict(zip(names, row(definition, response, "zh"), strict=True)) for response in responses
    ]
    return sorted(rows, key=lambda item: (str(item[MONTH_COLUMN])[:7], json.dumps(item, ensure_ascii=False)))


def _source_name(questionnaire: Questionnaire, version: QuestionnaireVersion, count: int) -> str:
    """The release's source name: the version and the number of rows, so that a changed source shows."""
    return f"{dataset_slug(questionnaire)}-v{version.number}-{count}.csv"


def publish_responses(
    session: Session, questionnaire: Questionnaire, requested_by: str, up_to: str
) -> PublishOutcome:
    """Publish the responses up to month `up_to` as a new release of the questionnaire's dataset.

    Check `refusal` first. Raises ValueError when the responses cannot be published and
    `DefinitionError` when the dataset's definition is refused.
    """
    checked = _checked(session, questionnaire, up_to)
    if isinstance(checked, Refusal):
        raise ValueError(f"{questionnaire.slug}: its responses cannot be published ({checked.code})")
    return _publish(
        session, questionnaire, checked, closed_responses(session, checked, up_to), requested_by, up_to
    )


def _publish(
    session: Session,
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    responses: list[ResponseData],
    requested_by: str,
    up_to: str,
) -> PublishOutcome:
    definition = definition_of(version)
    document = response_definition(questionnaire, definition)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{document['name']}.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return publish_rows(
            path,
            response_rows(definition, responses),
            requested_by=requested_by,
            notes=(
                f"第 {version.number} 版問卷的填答，至 {up_to}",
                f"Responses to version {version.number}, up to {up_to}",
            ),
            source_name=_source_name(questionnaire, version, len(responses)),
        )


def _republish_one(session: Session, questionnaire: Questionnaire, month: str) -> str | None:
    """Publish the questionnaire's dataset again if it is published and its rows changed; what happened."""
    dataset = session.scalar(select(Dataset).where(Dataset.slug == dataset_slug(questionnaire)))
    if dataset is None or not dataset.published or dataset.current_release_id is None:
        return None
    checked = _checked(session, questionnaire, month)
    if isinstance(checked, Refusal):
        return f"{dataset.slug}: kept as it is ({checked.code})"
    current = session.get(Release, dataset.current_release_id)
    count = response_count(session, checked, before=_first_day_after(month))
    if current is not None and current.source_name == _source_name(questionnaire, checked, count):
        return f"{dataset.slug}: unchanged"
    responses = closed_responses(session, checked, month)
    with audit.acting_as(MONTHLY_ACTOR):
        outcome = _publish(session, questionnaire, checked, responses, MONTHLY_ACTOR, month)
    if outcome.published:
        return f"{dataset.slug}: release {outcome.release_number}, {outcome.row_count} rows"
    return f"{dataset.slug}: not published ({outcome.reason}, job {outcome.job_id})"


def republish_monthly(session: Session, month: str) -> list[str] | None:
    """Release again, once for `month` (ended), every published questionnaire dataset whose rows changed.

    The lines to print, or None when another run has claimed the month. A questionnaire
    that is refused or fails is reported and left for next month; the others still run.
    """
    run = claim(session, MONTHLY_JOB, month)
    if run is None:
        session.rollback()
        return None
    session.commit()
    lines = []
    slugs = list(session.scalars(select(Questionnaire.slug).order_by(Questionnaire.slug)))
    try:
        for slug in slugs:
            questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
            if questionnaire is None:
                continue
            try:
                line = _republish_one(session, questionnaire, month)
            except (DefinitionError, ValueError, SQLAlchemyError) as problem:
                session.rollback()
                logger.exception("questionnaire %s not published again", slug)
                line = f"{slug}: failed ({type(problem).__name__})"
            if line is not None:
                lines.append(line)
    finally:
        session.rollback()
        run = session.merge(run)
        run.summary = ("; ".join(lines) or "no questionnaire datasets")[:500]
        session.commit()
    return lines
