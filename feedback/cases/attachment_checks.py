"""What a case attachment may be, decided from its bytes: pure checks and the cleaning of images.

Accepted: JPEG, PNG and WebP images and PDF documents, recognised by their content, never
by the name's extension. A name whose extension lies about an accepted type (a PNG called
`photo.jpg`) is accepted as what it really is and its extension corrected, so the file
opens for whoever downloads it; anything else is refused, saying what it really is when
that can be told (a ZIP archive, a Word document, a program …).

Images are decoded (after their size in pixels is checked from the header, so a
decompression bomb is refused before it is decoded), turned upright by their EXIF
orientation, converted to sRGB, and encoded afresh from their pixels alone: EXIF, GPS,
XMP, IPTC, comments, colour profiles and thumbnails do not survive. PDFs must open with
pypdf, unencrypted, with at least one page; they are kept as sent.

Every refusal is an `AttachmentError` whose message is lazily translated and names the file.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from portal.file_kinds import FileRefusedError, check_size, recognise
from portal.i18n import _l
from portal.text import single_line

# 50 megapixels holds any phone photo (8160 x 6120) and a page scanned at 600 dpi; decoded as
# RGBA it is 200 MB, twice that while it is copied, which one worker can afford.
MAX_PIXELS = 50_000_000
NAME_MAX = 100
JPEG_QUALITY = 88
WEBP_QUALITY = 85

# Pillow refuses more than twice its limit outright and warns past it: ours, at the least.
Image.MAX_IMAGE_PIXELS = min(Image.MAX_IMAGE_PIXELS or MAX_PIXELS, MAX_PIXELS)

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_SAME_TYPE = {".jpeg": "image/jpeg", ".jpe": "image/jpeg"}
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"


AttachmentError = FileRefusedError  # refusals of every kind of upload are one class (portal.file_kinds)


@dataclass(frozen=True)
class CheckedFile:
    """A file fit to store: its cleaned bytes, its real media type and a clean name with the right extension."""

    name: str
    media_type: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """The accepted media type `data` holds, from its first bytes, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    # PDF readers accept the header anywhere in the first kilobyte; so do we.
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    return None


def clean_name(filename: str, media_type: str) -> str:
    """The file's own name without folders or control characters, at most `NAME_MAX` characters, with the extension of its real type."""
    base = unicodedata.normalize("NFC", single_line(filename.replace("\\", "/").rsplit("/", 1)[-1]))
    stem, dot, extension = base.rpartition(".")
    if not dot or not stem:
        stem, extension = base, ""
    wanted = EXTENSIONS[media_type]
    suffix = "." + extension.lower() if extension else ""
    if suffix != wanted and _SAME_TYPE.get(suffix) != media_type:
        # An extension that names another type is replaced by the real one; a dot that is part
        # of the name (`報告.最終版`) is kept, and the real extension added.
        if extension and not (len(extension) <= 5 and extension.isascii() and extension.isalnum()):
            stem = f"{stem}.{extension}"
        suffix = wanted
    stem = stem.strip(" .") or "attachment"
    return stem[: NAME_MAX - len(suffix)] + suffix


def _refused(name: str, data: bytes) -> AttachmentError:
    what = recognise(data)
    if what is not None:
        return AttachmentError(
            _l(
                "「%(name)s」其實是%(what)s，無法附加。請附加 JPEG、PNG、WebP 圖片或 PDF 文件。",
                name=name,
                what=what,
            )
        )
    return AttachmentError(
        _l("「%(name)s」不是可以附加的檔案。請附加 JPEG、PNG、WebP 圖片或 PDF 文件。", name=name)
    )


def _upright_srgb(image: Image.Image) -> Image.Image:
    """The pixels turned by the EXIF orientation, in sRGB, as RGB or RGBA."""
    image = ImageOps.exif_transpose(image)
    profile = image.info.get("icc_profile")
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
            )
            image = converted if converted is not None else image
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels are kept as they are
    return image


def clean_image(data: bytes, media_type: str, name: str, max_pixels: int = MAX_PIXELS) -> bytes:
    """The image encoded afresh from its pixels alone, upright and in sRGB; raises AttachmentError."""
    too_large = AttachmentError(
        _l(
            "「%(name)s」的像素太多（上限 %(million)d 百萬像素），請縮小後再附加。",
            name=name,
            million=max_pixels // 1_000_000,
        )
    )
    broken = AttachmentError(_l("「%(name)s」已損壞或不完整，無法開啟。", name=name))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[media_type]]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise too_large  # from the header: nothing has been decoded yet
                image.load()
                upright = _upright_srgb(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_large from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise broken from None
    # A new image holding the pixels and nothing else: no EXIF, XMP, comment or profile can follow.
    fresh = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    if media_type == "image/jpeg":
        fresh.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif media_type == "image/png":
        fresh.save(out, "PNG")
    else:
        fresh.save(out, "WEBP", quality=WEBP_QUALITY)
    return out.getvalue()


def check_pdf(data: bytes, name: str) -> None:
    """Raise AttachmentError unless `data` is a PDF that opens, unencrypted, with at least one page."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
        if pages:
            reader.pages[0].mediabox  # noqa: B018 - reading the first page proves the page tree opens
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise AttachmentError(
            _l("「%(name)s」這份 PDF 已損壞或不完整，無法開啟。請重新存成 PDF 後再附加。", name=name)
        ) from None
    if encrypted:
        raise AttachmentError(
            _l("「%(name)s」這份 PDF 設有密碼或加密，承辦同仁無法開啟。請移除密碼後再附加。", name=name)
        )
    if not pages:
        raise AttachmentError(_l("「%(name)s」這份 PDF 沒有任何頁面。", name=name))


def examine(data: bytes, filename: str, max_bytes: int, max_pixels: int = MAX_PIXELS) -> CheckedFile:
    """The file ready to store: its real type, a clean name, and its bytes (images cleaned); raises AttachmentError."""
    shown = single_line(filename)[:NAME_MAX] or "attachment"
    check_size(len(data), max_bytes, shown)
    media_type = sniff(data)
    if media_type is None:
        raise _refused(shown, data)
    name = clean_name(filename, media_type)
    if media_type == "application/pdf":
        check_pdf(data, shown)
        return CheckedFile(name, media_type, data)
    return CheckedFile(name, media_type, clean_image(data, media_type, shown, max_pixels))
