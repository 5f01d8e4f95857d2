"""The form staff publish a disclosure document with, and its file field.

`DocumentFilesField` takes up to `DISCLOSURE_FILES_MAX` files and, when the form is
validated, checks each one by its content (`file_checks.examine_document`): a file over
`DISCLOSURE_FILE_MAX_MB` is refused from its size on disk before its bytes are read.
What passes is in `field.checked`, ready for `documents.add_files`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from flask import current_app
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import (
    URL,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from disclosure.file_checks import ACCEPT, CheckedDocument, examine_document
from portal.clock import taipei_today
from portal.file_fields import CheckedFilesField
from portal.forms import LineField, MultilineField, NoMarkup, SubmittedForm
from portal.i18n import _, _l

EARLIEST = date(1945, 1, 1)


def file_limits() -> tuple[int, int]:
    """The largest file in bytes and the most files one form may carry (the settings)."""
    config = current_app.config
    return int(config["DISCLOSURE_FILE_MAX_MB"]) * 1024 * 1024, int(config["DISCLOSURE_FILES_MAX"])


class DocumentFilesField(CheckedFilesField):
    """Files of a document: counted, each checked by its content; the checked files in `checked`."""

    fallback_name = "document"

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label or _l("文件檔案"), validators, accept=ACCEPT, **kwargs)
        self.checked: list[CheckedDocument] = []

    def limits(self) -> tuple[int, int]:
        """`DISCLOSURE_FILE_MAX_MB` and `DISCLOSURE_FILES_MAX`."""
        return file_limits()

    def examine(self, data: bytes, filename: str, max_bytes: int) -> CheckedDocument:
        """The file ready to publish, with its text; raises DocumentFileError."""
        return examine_document(data, filename, max_bytes)

    def too_many(self, count: int, chosen: int) -> str:
        """The refusal of more files than a form may carry."""
        return _("一次最多上傳 %(count)d 個檔案，您選了 %(chosen)d 個。", count=count, chosen=chosen)

    def files_not_kept(self) -> str:
        """What a form shown again with errors says of the files chosen."""
        return _("表單有錯誤時無法保留已選的檔案，送出前請重新選擇。")


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (the files to remove)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _date_in_range(_form: Any, field: Any) -> None:
    latest = taipei_today() + timedelta(days=366)
    if field.data is not None and not EARLIEST <= field.data <= latest:
        raise ValidationError(
            _(
                "日期須在 %(earliest)s 到 %(latest)s 之間。",
                earliest=EARLIEST.isoformat(),
                latest=latest.isoformat(),
            )
        )


class DocumentForm(SubmittedForm):
    """A disclosure document: its category, titles, date, office, codes, source and files."""

    category = SelectField(
        _l("公開類別"),
        coerce=int,
        validators=[NumberRange(min=1, max=10, message=_l("請選擇類別。"))],
    )
    title_zh = LineField(
        _l("標題（中文）"),
        validators=[DataRequired(message=_l("請輸入中文標題。")), Length(max=200), NoMarkup()],
    )
    title_en = LineField(
        _l("標題（英文）"),
        validators=[Optional(), Length(max=300), NoMarkup()],
        description=_l("沒有英文標題時，英文頁面會顯示中文標題並註明尚無英文版。"),
    )
    summary_zh = MultilineField(_l("摘要（中文）"), validators=[Optional(), Length(max=1000), NoMarkup()])
    summary_en = MultilineField(_l("摘要（英文）"), validators=[Optional(), Length(max=1500), NoMarkup()])
    document_date = DateField(
        _l("文件日期"),
        format="%Y-%m-%d",
        validators=[DataRequired(message=_l("請輸入文件日期，例如 2026-07-01。")), _date_in_range],
        description=_l("文件的發布或核定日期。"),
    )
    office_id = SelectField(_l("承辦單位"), validators=[Optional()])
    theme_code = SelectField(_l("主題分類"), validators=[Optional()])
    cake_code = SelectField(_l("施政分類"), validators=[Optional()])
    service_code = SelectField(_l("服務分類"), validators=[Optional()])
    source_name = LineField(
        _l("來源"),
        validators=[Optional(), Length(max=200), NoMarkup()],
        description=_l("文件由其他機關發布時，填寫發布機關，例如「經濟部水利署」。"),
    )
    source_url = LineField(
        _l("來源網址"),
        validators=[
            Optional(),
            Regexp(
                r"^https?://", re.IGNORECASE, message=_l("網址格式不正確，請以 http:// 或 https:// 開頭。")
            ),
            URL(require_tld=True, message=_l("網址格式不正確，請以 http:// 或 https:// 開頭。")),
            Length(max=500),
        ],
    )
    files = DocumentFilesField(
        _l("文件檔案"),
        description=_l("可編輯的檔案須為 ODF（.odt、.ods、.odp），不可編輯的須為 PDF。"),
    )
    remove_files = CheckboxesField(_l("移除檔案"), choices=[], validate_choice=True)
    published = BooleanField(_l("公開"), default=True)
    submit = SubmitField(_l("儲存"))
