"""What a file really is, told from its bytes, never from its name (pure).

- `odf_media_type(data)`: the OpenDocument type (text, spreadsheet, presentation …) a ZIP
  declares in its first entry, `mimetype`, as the standard requires, or None.
- `recognise(data)`: what a file is, in words people know (lazily translated), for
  messages that refuse it: "a Word document (.docx)", "a ZIP archive", "a Windows
  program" …, or None when it cannot be told.
- `FileRefusedError`: an upload that cannot be taken, with its message in the visitor's
  language; `check_size` refuses an empty or too large file, from `size_of` an upload's
  size on disk, before its bytes are read.
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import IO, Any

from portal.i18n import _l

ZIP_MAGIC = b"PK\x03\x04"


class FileRefusedError(ValueError):
    """A file that cannot be taken, with the reason in the visitor's language (lazily translated)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def size_of(stream: IO[bytes]) -> int:
    """A stream's size, from its end rather than by reading it (uploads are spooled to files)."""
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def check_size(size: int, max_bytes: int, name: str) -> None:
    """Raise FileRefusedError when a file of `size` bytes is empty or over `max_bytes`."""
    if size == 0:
        raise FileRefusedError(_l("「%(name)s」是空的檔案。", name=name))
    if size > max_bytes:
        raise FileRefusedError(
            _l(
                "「%(name)s」太大（%(size)s MB），每個檔案最多 %(limit)s MB。",
                name=name,
                size=f"{size / 1048576:.1f}",
                limit=f"{max_bytes / 1048576:g}",
            )
        )


ODF_PREFIX = "application/vnd.oasis.opendocument."

_KNOWN = (
    (b"\xd0\xcf\x11\xe0", _l("舊版 Office 文件（.doc、.xls）")),
    (b"MZ", _l("Windows 程式")),
    (b"\x7fELF", _l("程式")),
    (b"GIF8", _l("GIF 圖片")),
    (b"BM", _l("BMP 圖片")),
    (b"II*\x00", _l("TIFF 圖片")),
    (b"MM\x00*", _l("TIFF 圖片")),
    (b"Rar!", _l("RAR 壓縮檔")),
    (b"7z\xbc\xaf", _l("7z 壓縮檔")),
    (b"\x1f\x8b", _l("gzip 壓縮檔")),
    (b"{\\rtf", _l("RTF 文件")),
    (b"\xff\xd8\xff", _l("JPEG 圖片")),
    (b"\x89PNG", _l("PNG 圖片")),
)

# Office Open XML packages, by the folder their main part lives in.
_OOXML = (
    ("word/", _l("Word 文件（.docx）")),
    ("xl/", _l("Excel 試算表（.xlsx）")),
    ("ppt/", _l("PowerPoint 簡報（.pptx）")),
)


def odf_media_type(data: bytes) -> str | None:
    """The OpenDocument media type `data` declares (its stored first entry `mimetype`), or None.

    Read from the local header of the first entry, as ODF 1.2 §3.3 lays it out, so a ZIP
    that is not an OpenDocument package (or is too broken to have that header) is None.
    """
    if not data.startswith(ZIP_MAGIC) or len(data) < 38:
        return None
    name_length = int.from_bytes(data[26:28], "little")
    extra_length = int.from_bytes(data[28:30], "little")
    if data[30 : 30 + name_length] != b"mimetype":
        return None
    start = 30 + name_length + extra_length
    size = int.from_bytes(data[18:22], "little")
    declared = data[start : start + min(size, 100)].decode("ascii", errors="replace")
    return declared if declared.startswith(ODF_PREFIX) else None


def _zip_words(data: bytes) -> Any:
    if odf_media_type(data):
        return _l("OpenDocument 文件")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = []
    if "[Content_Types].xml" in names:
        for folder, words in _OOXML:
            if any(name.startswith(folder) for name in names):
                return words
    return _l("ZIP 壓縮檔（Word、Excel 等 Office 文件也是這種格式）")


def recognise(data: bytes) -> Any:
    """What a file really is, in words (lazily translated), or None when it cannot be told."""
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return _l("HEIC 照片（iPhone 的預設格式）")
    if data[4:8] == b"ftyp":
        return _l("影片")
    if data.startswith(ZIP_MAGIC):
        return _zip_words(data)
    if b"%PDF-" in data[:1024]:
        return _l("PDF 文件")
    for magic, words in _KNOWN:
        if data.startswith(magic):
            return words
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml")):
        return _l("網頁或 SVG 圖檔")
    if not data:
        return _l("空的檔案")
    return None
