"""The base of every form field that takes files: counted, sized from disk, then each checked by its content.

A subclass says how many files and how large (`limits`), how a file is checked
(`examine`, raising `portal.file_kinds.FileRefusedError`), and what it says when too many
are chosen (`too_many`) or when chosen files must be chosen again (`files_not_kept`, said
by `note_files_not_kept` on a form shown again with errors). Werkzeug spools uploads to temporary files, so a file over the
limit is refused from its size on disk before its bytes are read; what passes every
check is in `field.checked`, so that each file is examined once.
"""

from __future__ import annotations

from typing import Any

from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms.validators import StopValidation

from portal.file_kinds import FileRefusedError, check_size, size_of
from portal.text import single_line


class CheckedFilesField(MultipleFileField):
    """Files of a form, counted, sized and examined; the examined files in `checked`."""

    fallback_name = "file"  # for a file sent without a name

    def __init__(self, label: Any = None, validators: Any = None, *, accept: str, **kwargs: Any) -> None:
        render_kw = {"accept": accept, **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.checked: list[Any] = []

    def limits(self) -> tuple[int, int]:
        """The largest file in bytes and the most files (read when the form is validated: they are settings)."""
        raise NotImplementedError

    def examine(self, data: bytes, filename: str, max_bytes: int) -> Any:
        """The checked file; raises FileRefusedError."""
        raise NotImplementedError

    def too_many(self, count: int, chosen: int) -> str:
        """What to say when `chosen` files were sent and `count` is the most."""
        raise NotImplementedError

    def files_not_kept(self) -> str:
        """What a form shown again with errors says of the files chosen (a browser cannot be given them back)."""
        raise NotImplementedError

    @property
    def uploads(self) -> list[FileStorage]:
        """The files sent (none: an empty list)."""
        return [item for item in (self.data or []) if isinstance(item, FileStorage) and item]

    def pre_validate(self, form: Any) -> None:
        """Refuse too many files, or one too large, before any file is read."""
        self.checked = []
        max_bytes, max_count = self.limits()
        uploads = self.uploads
        if len(uploads) > max_count:
            raise StopValidation(self.too_many(max_count, len(uploads)))
        for upload in uploads:
            try:
                check_size(
                    size_of(upload.stream),
                    max_bytes,
                    single_line(upload.filename or "") or self.fallback_name,
                )
            except FileRefusedError as error:
                raise StopValidation(str(error.message)) from None

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        """Examine each file's content (once every other check of the field passed)."""
        if validation_stopped or self.errors:
            return
        max_bytes, _count = self.limits()
        checked = []
        for upload in self.uploads:
            try:
                checked.append(
                    self.examine(upload.stream.read(max_bytes + 1), upload.filename or "", max_bytes)
                )
            except FileRefusedError as error:
                self.errors.append(str(error.message))
                return
        self.checked = checked

    def note_files_not_kept(self) -> None:
        """On a form shown again with errors: say that chosen files must be chosen again."""
        if not self.uploads:
            return
        notice = self.files_not_kept()
        existing: list[Any] = list(getattr(self, "errors", None) or [])
        self.errors = [f"{existing[0]} {notice}", *existing[1:]] if existing else [notice]
        self.checked = []
