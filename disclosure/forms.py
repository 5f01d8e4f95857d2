"""The form staff publish a disclosure document with, and its file field.

`DocumentFilesField` takes up to `DISCLOSURE_FILES_MAX` files and, when the form is
validated, checks each one by its content (`file_checks.examine_document`): a file over
`DISCLOSURE_FILE_MAX_MB` is refused from its size on disk before its bytes are read.
What passes is in `field.checked`, ready for `documents.add_files`.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import (
    URL,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from disclosure.file_checks import ACCEPT, CheckedDocument, DocumentFileError, check_size, examine_document
from portal.clock import taipei_today
from portal.forms import LineField, MultilineField, NoMarkup, SubmittedForm
from portal.i18n import _, _l
from portal.text import single_line

EARLIEST = date(1945, 1, 1)


def file_limits() -> tuple[int, int]:
    """The largest file in bytes and the most files one form may carry (the settings)."""
    config = current_app.config
    return int(config["DISCLOSURE_FILE_MAX_MB"]) * 1024 * 1024, int(config["DISCLOSURE_FILES_MAX"])


def _size_of(upload: FileStorage) -> int:
    stream = upload.stream
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


class DocumentFilesField(MultipleFileField):
    """Files of a document: counted, each checked by its content; the checked files in `checked`."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {"accept": ACCEPT, **kwargs.pop("render_kw", {})}
        super().__init__(label or _l("文件檔案"), validators, render_kw=render_kw, **kwargs)
        self.checked: list[CheckedDocument] = []

    @property
    def uploads(self) -> list[FileStorage]:
        """The files sent (none: an empty list)."""
        return [item for item in (self.data or []) if isinstance(item, FileStorage) and item]

    def pre_validate(self, form: Any) -> None:
        """Refuse too many files, or one too large, before any file is read."""
        self.checked = []
        max_bytes, max_count = file_limits()
        if len(self.uploads) > max_count:
            raise StopValidation(
                _(
                    "一次最多上傳 %(count)d 個檔案，您選了 %(chosen)d 個。",
                    count=max_count,
                    chosen=len(self.uploads),
                )
            )
        for upload in self.uploads:
            try:
                check_size(_size_of(upload), max_bytes, single_line(upload.filename or "") or "document")
            except DocumentFileError as error:
                raise StopValidation(str(error.message)) from None

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        """Check each file's content (once every other check of the field passed)."""
        if validation_stopped or self.errors:
            return
        max_bytes, _count = file_limits()
        checked = []
        for upload in self.uploads:
            try:
                checked.append(
                    examine_document(upload.stream.read(max_bytes + 1), upload.filename or "", max_bytes)
                )
            except DocumentFileError as error:
                self.errors.append(str(error.message))
                return
        self.checked = checked


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
