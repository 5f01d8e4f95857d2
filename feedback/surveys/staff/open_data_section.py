"""The open-data section of a questionnaire's staff page: its dataset, and why it cannot be published."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from datasets.models import Dataset
from feedback.cases.staff.common import signed_in
from feedback.surveys.open_data_rows import SUPPRESSION_THRESHOLD
from feedback.surveys.questionnaire_models import Questionnaire
from feedback.surveys.questionnaire_open_data import Refusal, dataset_slug, refusal
from portal.auth import Permission
from portal.db import db
from portal.i18n import _


def refusal_message(refused: Refusal) -> str:
    """Why the responses cannot be published, in the staff member's language."""
    messages = {
        "results_not_public": lambda: _("請先在下方的問卷資料勾選公開結果，填答資料才能開放。"),
        "no_published_version": lambda: _("問卷還沒有發布，沒有填答資料可以開放。"),
        "too_few_responses": lambda: _(
            "已結束的月份只有 %(count)d 份填答，少於 %(threshold)d 份的問卷不開放填答資料，以免認出填答者。",
            count=refused.responses,
            threshold=SUPPRESSION_THRESHOLD,
        ),
    }
    return messages[refused.code]()


def open_data_section(questionnaire: Questionnaire, *, up_to: str) -> dict[str, Any]:
    """The dataset if published, why the responses up to month `up_to` cannot be, and whether this staff member may."""
    refused = refusal(db.session, questionnaire, up_to)
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == dataset_slug(questionnaire)))
    return {
        "dataset": dataset if dataset is not None and dataset.published else None,
        "refusal": refusal_message(refused) if refused else None,
        "may_publish": signed_in().can(Permission.PUBLISH_DATASETS),
        "up_to": up_to,
    }
