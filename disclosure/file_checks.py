"""What a disclosure file may be, decided from its bytes, and the text it holds (pure).

政府資訊公開 asks for open formats: editable documents as ODF (text, spreadsheet or
presentation: .odt, .ods, .odp) and documents not meant to be edited as PDF. Anything
else is refused with a message that says what the file really is and how to convert
it. The content decides, never the name: a file whose extension names another type
than its content is refused too, since the wrong file was probably chosen.

- An ODF file must be a whole package: its `mimetype` entry first, `content.xml` that
  parses, and nothing that unpacks to more than `MAX_UNPACKED` bytes (a ZIP bomb).
- A PDF must open, unencrypted, with at least one page. One whose pages yield no text
  (scanned pages) is accepted and flagged: it cannot be searched or read aloud. Its text
  is read by `pdf_text` (poppler's pdftotext where installed: the one step here that
  runs a program).

`examine_document` returns a `CheckedDocument` with the text for search, or raises
`DocumentFileError` whose message is lazily translated and names the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as parse_xml
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from disclosure.pdf_text import pdf_text
from portal.file_kinds import FileRefusedError, check_size, odf_media_type, recognise
from portal.i18n import _l
from portal.text import single_line

ODF_EXTENSIONS = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
PDF = "application/pdf"
EXTENSIONS = {**ODF_EXTENSIONS, PDF: ".pdf"}
ACCEPT = ".odt,.ods,.odp,.pdf," + ",".join(EXTENSIONS)
NAME_MAX = 120
MAX_UNPACKED = 200 * 1024 * 1024
MAX_TEXT = 500_000  # characters kept for search: a few hundred pages
MAX_TEXT_PAGES = 500
# A PDF with fewer readable characters than this per page is taken as scanned images.
SCANNED_CHARACTERS_PER_PAGE = 10
# PDF text comes out with a space (or a line break, where a line wrapped) between ideographs
# that were set one by one; words in Chinese have no spaces, so they are joined again.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_GAP_BETWEEN_IDEOGRAPHS = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
HOW_TO_CONVERT = _l(
    "可編輯的檔案請用 LibreOffice（或 Word、Excel 的「另存新檔」）存成 ODF 格式"
    "（.odt、.ods、.odp）；不需編輯的檔案請匯出為 PDF。"
)


DocumentFileError = FileRefusedError  # refusals of every kind of upload are one class (portal.file_kinds)


@dataclass(frozen=True)
class CheckedDocument:
    """A file fit to publish: a clean name, its real media type, its bytes and what could be read from it."""

    name: str
    media_type: str
    data: bytes
    text: str
    has_text: bool
    pages: int | None = None

    @property
    def editable(self) -> bool:
        """Whether it is an ODF file (editable) rather than a PDF."""
        return self.media_type != PDF


def _refused(name: str, data: bytes) -> DocumentFileError:
    what = recognise(data)
    if what is not None:
        return DocumentFileError(
            _l(
                "「%(name)s」是%(what)s，不能公開。公開資訊須使用開放格式：%(how)s",
                name=name,
                what=what,
                how=HOW_TO_CONVERT,
            )
        )
    return DocumentFileError(
        _l("「%(name)s」不是 ODF 或 PDF 檔案，不能公開。%(how)s", name=name, how=HOW_TO_CONVERT)
    )


def clean_name(filename: str) -> str:
    """The file's own name without folders or control characters, NFC, at most `NAME_MAX` characters."""
    base = unicodedata.normalize("NFC", single_line(filename.replace("\\", "/").rsplit("/", 1)[-1]))
    base = base.strip(" .")
    if len(base) <= NAME_MAX:
        return base
    stem, dot, extension = base.rpartition(".")
    return stem[: NAME_MAX - len(extension) - 1] + dot + extension


def check_extension(name: str, media_type: str) -> None:
    """Raise DocumentFileError unless `name` ends with the extension of `media_type`."""
    wanted = EXTENSIONS[media_type]
    extension = "." + name.rpartition(".")[2].lower() if "." in name else ""
    if extension == wanted:
        return
    what = _l("PDF 文件") if media_type == PDF else _l("ODF 文件（%(extension)s）", extension=wanted)
    if not extension:
        raise DocumentFileError(
            _l(
                "「%(name)s」沒有副檔名。它是%(what)s：請把檔名改為以 %(wanted)s 結尾。",
                name=name,
                what=what,
                wanted=wanted,
            )
        )
    raise DocumentFileError(
        _l(
            "「%(name)s」的副檔名是 %(extension)s，內容卻是%(what)s。請確認選對了檔案，並把副檔名改為 %(wanted)s。",
            name=name,
            extension=extension,
            what=what,
            wanted=wanted,
        )
    )


def _odf_text(archive: zipfile.ZipFile) -> str:
    """The words of an ODF package's content.xml, paragraph by paragraph."""
    with archive.open("content.xml") as content:
        root = parse_xml(content).getroot()  # no entities, no external references
    parts = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in {"p", "h"}:
            parts.append("".join(element.itertext()))
    return "\n".join(part for part in parts if part.strip())


def check_odf(data: bytes, name: str) -> str:
    """Raise DocumentFileError unless `data` is a whole ODF package; returns its text."""
    broken = DocumentFileError(
        _l("「%(name)s」已損壞或不完整，無法開啟。請用 LibreOffice 重新存檔後再上傳。", name=name)
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNPACKED:
                raise broken
            names = {info.filename for info in infos}
            if "content.xml" not in names:
                raise broken
            if "encryption-data" in _manifest(archive):
                raise DocumentFileError(
                    _l("「%(name)s」設有密碼，民眾無法開啟。請取消密碼保護後再上傳。", name=name)
                )
            return _odf_text(archive)[:MAX_TEXT]
    except DocumentFileError:
        raise
    except (
        zipfile.BadZipFile,
        ET.ParseError,
        DefusedXmlException,
        OSError,
        ValueError,
        EOFError,
        KeyError,
        RuntimeError,
    ):
        raise broken from None


def _manifest(archive: zipfile.ZipFile) -> str:
    try:
        return archive.read("META-INF/manifest.xml").decode("utf-8", errors="replace")
    except KeyError:
        return ""


def check_pdf(data: bytes, name: str) -> tuple[int, str]:
    """Raise DocumentFileError unless `data` is a PDF that opens, unencrypted; returns its pages and text."""
    broken = DocumentFileError(
        _l("「%(name)s」這份 PDF 已損壞或不完整，無法開啟。請重新匯出為 PDF 後再上傳。", name=name)
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise broken from None
    if encrypted:
        raise DocumentFileError(
            _l("「%(name)s」這份 PDF 設有密碼或加密，民眾無法開啟或朗讀。請取消保護後再匯出上傳。", name=name)
        )
    if not pages:
        raise DocumentFileError(_l("「%(name)s」這份 PDF 沒有任何頁面。", name=name))
    try:
        text = pdf_text(data, reader, MAX_TEXT_PAGES, MAX_TEXT)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise broken from None
    return pages, join_ideographs(text)[:MAX_TEXT]


def join_ideographs(text: str) -> str:
    """`text` without control characters, and without the spaces and line breaks a PDF leaves between Chinese characters.

    Some PDF writers' two-byte text comes back with NUL characters between the letters.
    """
    return _GAP_BETWEEN_IDEOGRAPHS.sub("", _CONTROL.sub("", text))


def readable_characters(text: str) -> int:
    """How many letters, digits and ideographs `text` holds (spaces and punctuation left out)."""
    return sum(1 for character in text if character.isalnum())


def examine_document(data: bytes, filename: str, max_bytes: int) -> CheckedDocument:
    """The file ready to publish, with its text; raises DocumentFileError."""
    name = clean_name(filename) or "document"
    check_size(len(data), max_bytes, name)
    odf = odf_media_type(data)
    if odf is not None and odf in ODF_EXTENSIONS:
        check_extension(name, odf)
        text = check_odf(data, name)
        return CheckedDocument(name, odf, data, text, has_text=readable_characters(text) > 0)
    if odf is None and b"%PDF-" in data[:1024]:
        check_extension(name, PDF)
        pages, text = check_pdf(data, name)
        scanned = readable_characters(text) < SCANNED_CHARACTERS_PER_PAGE * min(pages, MAX_TEXT_PAGES)
        return CheckedDocument(name, PDF, data, text, has_text=not scanned, pages=pages)
    if odf is not None:  # an ODF drawing, formula or template: not one of the three kinds
        raise DocumentFileError(
            _l(
                "「%(name)s」是 ODF 檔案，但不是文字文件、試算表或簡報。%(how)s",
                name=name,
                how=HOW_TO_CONVERT,
            )
        )
    raise _refused(name, data)
