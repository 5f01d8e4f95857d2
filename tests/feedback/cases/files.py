"""Files for attachment tests, made here: photos with EXIF and GPS, PDFs good and bad, a decompression bomb."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, PngImagePlugin
from pypdf import PdfWriter

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_with_gps(width: int = 40, height: int = 20, orientation: int = 6) -> bytes:
    """A JPEG as a phone takes it: EXIF with the camera, the time, GPS position, an orientation, a comment."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))  # left half blue: shows which way it turned
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif[0x0132] = "2026:11:26 08:15:00"  # DateTime
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (25.0, 7.0, 48.0)
    gps[3] = "E"
    gps[4] = (121.0, 44.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"taken at home, 12 Ai 3rd Rd")
    return out.getvalue()


def png_with_text() -> bytes:
    """A PNG carrying text chunks (an author, a location) and EXIF."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Wang Xiaoming")
    info.add_text("Location", "25.13,121.74")
    exif = Image.Exif()
    exif[0x010F] = "ScannerMaker"
    out = io.BytesIO()
    Image.new("RGBA", (16, 16), (0, 128, 0, 128)).save(out, "PNG", pnginfo=info, exif=exif.tobytes())
    return out.getvalue()


def plain_png(width: int = 8, height: int = 8) -> bytes:
    """A small PNG without metadata."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 0, 255)).save(out, "PNG")
    return out.getvalue()


def webp_image() -> bytes:
    """A small WebP."""
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (255, 255, 0)).save(out, "WEBP")
    return out.getvalue()


def good_pdf(pages: int = 1) -> bytes:
    """A PDF of blank pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF that needs a password to open."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret-password")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def broken_pdf() -> bytes:
    """The start of a PDF, cut off: what a failed download leaves."""
    return good_pdf()[:120]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def decompression_bomb(side: int = 30000) -> bytes:
    """A real PNG of side x side black pixels (900 megapixels, 112 MB decoded at one bit each) in about 110 KB."""
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte, then the row's bits
    packer = zlib.compressobj(9)
    parts = [packer.compress(row) for _ in range(side)]
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def windows_program() -> bytes:
    """The start of a Windows program."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
