"""The public questionnaire page's form: fields built from a page of the definition, messages, and the signed draft.

The answers of earlier pages travel in the page itself, in a hidden field signed with
the site's secret key (`Draft`): they survive without JavaScript and nothing is stored
before the last page, so an anonymous questionnaire never keeps partial answers with an
identifier. The signature carries a time; a draft older than `DRAFT_MAX_AGE` is refused.
The session cookie would not do: its 4 kB cannot hold long answers.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup, escape
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.core import Field

from feedback.surveys.answers import AnswerError, AnswerErrorCode, field_name, other_field_name
from feedback.surveys.definition import (
    LONG_TEXT_MAX,
    OTHER,
    RATING_POINTS,
    SHORT_TEXT_MAX,
    Question,
    QuestionKind,
    Text,
)
from portal.auth.forms import MultiCheckboxField
from portal.i18n import _, _l, current_language

DRAFT_MAX_AGE = 2 * 24 * 3600  # seconds
KEY_BYTES = 18  # a draft's key: 24 URL-safe characters
_SALT = "questionnaire-draft"
FORM_FIELDS = frozenset({"csrf_token", "state", "next", "back"})  # besides the questions' fields

LIKERT_LABELS = (_l("非常不同意"), _l("不同意"), _l("無意見"), _l("同意"), _l("非常同意"))


def text_in_language(text: Text) -> str:
    """The text in the visitor's language; the Chinese when no English was written."""
    return text.en if current_language().code == "en" and text.en else text.zh


@dataclass(frozen=True)
class Draft:
    """What a visitor has answered so far: version, the page shown, answers and "other" texts.

    `key` is drawn when the first page is shown (at `started`, seconds since the epoch)
    and kept through every page; the response stores it as sent (`questionnaires.submit`),
    so that the last page sent again, by the back button or a reload, cannot store a
    second response. A key older than `DRAFT_MAX_AGE` is refused however recently its
    page was signed, so a kept key is never needed longer than that.
    """

    version_id: int
    page: int
    answers: dict[str, Any]
    others: dict[str, str]
    key: str = field(default_factory=lambda: secrets.token_urlsafe(KEY_BYTES))
    started: int = field(default_factory=lambda: int(time.time()))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=_SALT)


def sign_draft(draft: Draft) -> str:
    """The draft as the signed text of the page's hidden field."""
    return _serializer().dumps(
        {
            "v": draft.version_id,
            "p": draft.page,
            "a": draft.answers,
            "o": draft.others,
            "k": draft.key,
            "t": draft.started,
        }
    )


def read_draft(signed: str | None, version_id: int, pages: int) -> Draft | None:
    """The draft of the hidden field, or None when it is missing, forged, too old or of another version."""
    if not signed:
        return None
    try:
        data = _serializer().loads(signed, max_age=DRAFT_MAX_AGE)
    except BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(data, dict) or data.get("v") != version_id:
        return None
    page, answers, others, key, started = (data.get(name) for name in ("p", "a", "o", "k", "t"))
    if not isinstance(page, int) or not 0 <= page < pages:
        return None
    if not isinstance(answers, dict) or not isinstance(others, dict):
        return None
    if not isinstance(key, str) or not 16 <= len(key) <= 64:
        return None
    if not isinstance(started, int) or not 0 <= time.time() - started <= DRAFT_MAX_AGE:
        return None
    return Draft(version_id, page, answers, others, key, started)


def answer_message(error: AnswerError) -> str:
    """The words for one answer's error, in the visitor's language."""
    params = error.params
    messages = {
        AnswerErrorCode.REQUIRED: lambda: _("請回答這一題。"),
        AnswerErrorCode.NOT_AN_OPTION: lambda: _("請從列出的選項中選擇。"),
        AnswerErrorCode.OTHER_TEXT_MISSING: lambda: _("選擇「其他」時，請寫下說明。"),
        AnswerErrorCode.OTHER_TEXT_TOO_LONG: lambda: _(
            "「其他」的說明最多 %(max)d 個字。", max=params["max"]
        ),
        AnswerErrorCode.NOT_A_NUMBER: lambda: _("請輸入數字，例如 12 或 12.5。"),
        AnswerErrorCode.BELOW_MINIMUM: lambda: _(
            "請輸入不小於 %(minimum)s 的數字。", minimum=params["minimum"]
        ),
        AnswerErrorCode.ABOVE_MAXIMUM: lambda: _(
            "請輸入不大於 %(maximum)s 的數字。", maximum=params["maximum"]
        ),
        AnswerErrorCode.NOT_A_DATE: lambda: _("請輸入日期，例如 2026-01-31。"),
        AnswerErrorCode.BEFORE_MINIMUM: lambda: _(
            "請輸入 %(minimum)s 當天或之後的日期。", minimum=params["minimum"]
        ),
        AnswerErrorCode.AFTER_MAXIMUM: lambda: _(
            "請輸入 %(maximum)s 當天或之前的日期。", maximum=params["maximum"]
        ),
        AnswerErrorCode.TOO_LONG: lambda: _("最多 %(max)d 個字。", max=params["max"]),
        AnswerErrorCode.NOT_A_POINT: lambda: _("請選擇 1 到 %(max)d 的分數。", max=params["max"]),
        AnswerErrorCode.SINGLE_VALUE_EXPECTED: lambda: _("這一題只能有一個答案。"),
        AnswerErrorCode.CONTROL_CHARACTERS: lambda: _("內容含有無法使用的控制字元，請刪除後再送出。"),
    }
    return messages[error.code]()


def _on_other_field(error: AnswerError) -> bool:
    """Whether the error is about the "other" text, so the message goes next to that box."""
    if error.code is AnswerErrorCode.CONTROL_CHARACTERS:
        return error.params.get("field") == "other"
    return error.code in (AnswerErrorCode.OTHER_TEXT_MISSING, AnswerErrorCode.OTHER_TEXT_TOO_LONG)


def _choices(question: Question) -> list[tuple[str, str]]:
    if question.kind is QuestionKind.LIKERT:
        return [(str(point), str(label)) for point, label in enumerate(LIKERT_LABELS, start=1)]
    if question.kind is QuestionKind.RATING:
        ends = {1: _("（最低）"), RATING_POINTS: _("（最高）")}
        return [(str(point), f"{point}{ends.get(point, '')}") for point in range(1, RATING_POINTS + 1)]
    choices = [(option.key, text_in_language(option.label)) for option in question.options]
    return [*choices, (OTHER, _("其他"))] if question.allow_other else choices


def _field_of(question: Question) -> Field:
    """The unbound WTForms field that draws the question (reading is `answers.read_page`'s job)."""
    label: Any = text_in_language(question.label)
    help_text = text_in_language(question.help)
    if question.kind is QuestionKind.MULTIPLE:
        if question.required:  # checkbox_group has no required mark of its own
            label = Markup('{}<span class="required">{}</span>').format(escape(label), _("（必填）"))
        return MultiCheckboxField(label, choices=_choices(question), description=help_text)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.LIKERT, QuestionKind.RATING):
        return RadioField(label, choices=_choices(question), description=help_text, validate_choice=False)
    if question.kind is QuestionKind.LONG_TEXT:
        return TextAreaField(label, description=help_text, render_kw={"maxlength": LONG_TEXT_MAX, "rows": 6})
    render: dict[str, Any] = {"maxlength": SHORT_TEXT_MAX}
    if question.kind is QuestionKind.NUMBER:
        render = {"inputmode": "decimal", "autocomplete": "off"}
    elif question.kind is QuestionKind.DATE:
        render = {"type": "date", "min": question.minimum, "max": question.maximum}
        render = {key: value for key, value in render.items() if value}
    return StringField(label, description=help_text, render_kw=render)


def _form_data(
    questions: Sequence[Question], answers: Mapping[str, Any], others: Mapping[str, str]
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for question in questions:
        value = answers.get(question.key)
        if value is None:
            continue
        data[field_name(question.key)] = (
            [str(item) for item in value] if isinstance(value, list) else str(value)
        )
        if question.key in others:
            data[other_field_name(question.key)] = others[question.key]
    return data


def page_form(
    questions: Sequence[Question],
    *,
    draft: str,
    last: bool,
    answers: Mapping[str, Any] | None = None,
    others: Mapping[str, str] | None = None,
    formdata: Any = None,
    errors: Mapping[str, AnswerError] | None = None,
) -> FlaskForm:
    """The form of one page: the shown questions' fields (filled from `formdata`, else from
    the draft's answers), the signed draft, and the buttons; `errors` go next to their fields."""
    attributes: dict[str, Any] = {
        "state": HiddenField(),
        "next": SubmitField(_("送出問卷") if last else _("下一頁")),
        "back": SubmitField(_("上一頁")),
    }
    for question in questions:
        attributes[field_name(question.key)] = _field_of(question)
        if question.allow_other:
            # The name says whose "other" box it is (two on one page would sound alike),
            # and holds the visible label, as WCAG 2.5.3 asks.
            named = _("%(question)s：其他（請說明）", question=text_in_language(question.label))
            attributes[other_field_name(question.key)] = StringField(
                _("其他（請說明）"), render_kw={"maxlength": SHORT_TEXT_MAX, "aria-label": named}
            )
    form_class = type("QuestionnairePageForm", (FlaskForm,), attributes)
    form: FlaskForm = form_class(formdata=formdata, data=_form_data(questions, answers or {}, others or {}))
    form["state"].data = draft
    for question in questions:
        field = form[field_name(question.key)]
        field.flags.required = question.required
        error = (errors or {}).get(question.key)
        if error is not None:
            target = form[other_field_name(question.key)] if _on_other_field(error) else field
            target.errors = [answer_message(error)]
    return form
