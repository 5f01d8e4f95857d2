"""A multi-file upload field for case attachments, for the citizen's forms and the staff's alike.

`AttachmentsField` takes up to `CASE_ATTACHMENTS_MAX` files and, when the form is validated,
checks each one (`attachment_checks.examine`): a file over `CASE_ATTACHMENT_MAX_MB` is
refused from its size on disk (Werkzeug spools uploads to temporary files), before its
bytes are read. What passes is in `field.checked`, ready for `attachments.store_checked`,
so each file is decoded and cleaned once. A browser cannot be given files back, so a form
shown again with errors tells the visitor to choose them again (`note_files_not_kept`).

The form's view calls `attachments.allow_attachment_uploads()` before the form reads the
request, and its template's `<form>` has `enctype="multipart/form-data"`.
"""

from __future__ import annotations

import os
from typing import Any

from flask_babel import LazyString
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms.validators import StopValidation

from feedback.cases.attachment_checks import ACCEPT, AttachmentError, CheckedFile, check_size, examine
from feedback.cases.attachments import attachment_limits
from portal.i18n import _, _l
from portal.text import single_line


def _size_of(upload: FileStorage) -> int:
    """An upload's size, from the end of its stream rather than by reading it."""
    stream = upload.stream
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def limits_hint() -> str:
    """What may be attached, in the visitor's language."""
    limits = attachment_limits()
    return _(
        "可附加 JPEG、PNG、WebP 圖片或 PDF 文件，最多 %(count)d 個檔案，每個最多 %(size)d MB。照片會移除拍攝地點等資訊後保存。",
        count=limits.max_count,
        size=limits.max_bytes // (1024 * 1024),
    )


class AttachmentsField(MultipleFileField):
    """Files attached to a form: counted, each checked by its content; the checked files in `checked`."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {"accept": ACCEPT, **kwargs.pop("render_kw", {})}
        kwargs.setdefault("description", LazyString(limits_hint))  # the limits are settings: read when shown
        super().__init__(label or _l("附件"), validators, render_kw=render_kw, **kwargs)
        self.checked: list[CheckedFile] = []

    @property
    def uploads(self) -> list[FileStorage]:
        """The files sent (none: an empty list)."""
        return [item for item in (self.data or []) if isinstance(item, FileStorage) and item]

    def pre_validate(self, form: Any) -> None:
        """Refuse too many files, or one too large, before any file is read."""
        self.checked = []
        limits = attachment_limits()
        uploads = self.uploads
        if len(uploads) > limits.max_count:
            raise StopValidation(
                _(
                    "最多只能附加 %(count)d 個檔案，您選了 %(chosen)d 個。",
                    count=limits.max_count,
                    chosen=len(uploads),
                )
            )
        for upload in uploads:
            try:
                check_size(
                    _size_of(upload), limits.max_bytes, single_line(upload.filename or "") or "attachment"
                )
            except AttachmentError as error:
                raise StopValidation(str(error.message)) from None

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        """Check each file's content (once every other check of the field passed)."""
        if validation_stopped or self.errors:
            return
        max_bytes = attachment_limits().max_bytes
        checked = []
        for upload in self.uploads:
            try:
                checked.append(examine(upload.stream.read(max_bytes + 1), upload.filename or "", max_bytes))
            except AttachmentError as error:
                self.errors.append(str(error.message))
                return
        self.checked = checked

    def note_files_not_kept(self) -> None:
        """On a form shown again with errors: say that chosen files must be chosen again."""
        if not self.uploads:
            return
        notice = _("表單有錯誤時無法保留已選的檔案，送出前請重新選擇附件。")
        existing: list[Any] = list(getattr(self, "errors", None) or [])
        self.errors = [f"{existing[0]} {notice}", *existing[1:]] if existing else [notice]
        self.checked = []
