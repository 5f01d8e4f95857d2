"""The text of a PDF's pages, for search: poppler's `pdftotext` where installed, pypdf otherwise.

pypdf 7 misreads two-byte fonts past their 254th glyph (it returns other characters from
there on), which every long Chinese PDF written by fpdf2 has, the site's own open-data
PDFs among them; `pdftotext` reads them whole. It runs on the bytes given through its
standard input, with a time limit, so a hostile file can only cost that much; when it
is missing, fails or runs out of time, pypdf reads the text instead.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess

from pypdf import PdfReader

logger = logging.getLogger(__name__)
PDFTOTEXT_SECONDS = 60


def _with_pdftotext(data: bytes, last_page: int) -> str | None:
    program = shutil.which("pdftotext")
    if program is None:
        logger.warning("pdftotext (poppler-utils) is not installed: PDF text is read with pypdf")
        return None
    try:
        finished = subprocess.run(  # noqa: S603 - a fixed program and arguments; the PDF goes through stdin
            [program, "-q", "-enc", "UTF-8", "-l", str(last_page), "-", "-"],
            input=data,
            capture_output=True,
            timeout=PDFTOTEXT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        logger.warning("pdftotext failed (%s): PDF text is read with pypdf", error)
        return None
    if finished.returncode != 0:
        return None
    return finished.stdout.decode("utf-8", errors="replace").replace("\f", "\n")


def _with_pypdf(reader: PdfReader, last_page: int, limit: int) -> str:
    texts: list[str] = []
    length = 0
    for page in reader.pages[:last_page]:
        text = page.extract_text() or ""
        texts.append(text)
        length += len(text)
        if length >= limit:
            break
    return "\n".join(texts)


def pdf_text(data: bytes, reader: PdfReader | None, last_page: int, limit: int) -> str:
    """The text of pages 1 to `last_page` (at most about `limit` characters); `reader` is pypdf's, if opened."""
    text = _with_pdftotext(data, last_page)
    if text is not None:
        return text[:limit]
    return _with_pypdf(reader or PdfReader(io.BytesIO(data), strict=False), last_page, limit)[:limit]
