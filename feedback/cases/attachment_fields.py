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

from typing import Any

from flask_babel import LazyString

from feedback.cases.attachment_checks import ACCEPT, CheckedFile, examine
from feedback.cases.attachments import attachment_limits
from portal.file_fields import CheckedFilesField
from portal.i18n import _, _l


def limits_hint() -> str:
    """What may be attached, in the visitor's language."""
    limits = attachment_limits()
    return _(
        "可附加 JPEG、PNG、WebP 圖片或 PDF 文件，最多 %(count)d 個檔案，每個最多 %(size)d MB。照片會移除拍攝地點等資訊後保存。",
        count=limits.max_count,
        size=limits.max_bytes // (1024 * 1024),
    )


class AttachmentsField(CheckedFilesField):
    """Files attached to a form: counted, each checked by its content; the checked files in `checked`."""

    fallback_name = "attachment"

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("description", LazyString(limits_hint))  # the limits are settings: read when shown
        super().__init__(label or _l("附件"), validators, accept=ACCEPT, **kwargs)
        self.checked: list[CheckedFile] = []

    def limits(self) -> tuple[int, int]:
        """`CASE_ATTACHMENT_MAX_MB` and `CASE_ATTACHMENTS_MAX`."""
        limits = attachment_limits()
        return limits.max_bytes, limits.max_count

    def examine(self, data: bytes, filename: str, max_bytes: int) -> CheckedFile:
        """The attachment ready to store (images cleaned); raises AttachmentError."""
        return examine(data, filename, max_bytes)

    def too_many(self, count: int, chosen: int) -> str:
        """The refusal of more files than a form may carry."""
        return _("最多只能附加 %(count)d 個檔案，您選了 %(chosen)d 個。", count=count, chosen=chosen)

    def files_not_kept(self) -> str:
        """What a form shown again with errors says of the files chosen."""
        return _("表單有錯誤時無法保留已選的檔案，送出前請重新選擇附件。")
