"""CSV sources: refuse binary files, find the encoding (UTF-8, with or without BOM, or Big5)
and the delimiter, and read rows without loading the file into memory."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from datasets.ingest.errors import IngestError

_CHUNK = 1024 * 1024
_HEAD = 64 * 1024
# Magic numbers of formats people rename to .csv by mistake.
_BINARY_SIGNATURES = (
    b"PK\x03\x04",  # ZIP: XLSX, ODS, DOCX
    b"\xd0\xcf\x11\xe0",  # OLE: XLS, DOC
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",  # JPEG
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
)
_BIG5_CODECS = ("cp950", "big5hkscs")


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV file is written."""

    encoding: str
    delimiter: str


def _line_of(data: bytes, offset: int, lines_before: int) -> int:
    return lines_before + data.count(b"\n", 0, offset) + 1


def refuse_binary(path: Path) -> bytes:
    """Return the file's first bytes, or raise when it is empty or not text."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    if not head.strip():
        raise IngestError("empty_file")
    if head.startswith(_BINARY_SIGNATURES):
        raise IngestError("binary_file")
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    if controls > max(8, len(head) // 100):  # a stray control character is a damaged line, not a binary file
        raise IngestError("binary_file")
    return head


def _try_utf8(path: Path) -> bool:
    """Whether the whole file is valid UTF-8; also refuses NUL bytes, with their line."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    lines = 0
    valid = True
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise IngestError("nul_byte", line=_line_of(chunk, nul, lines))
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
            lines += chunk.count(b"\n")
        if valid:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                valid = False
    return valid


def _classify_lines(path: Path) -> str:
    """Find the encoding line by line when the file is not all UTF-8; refuse a mixture."""
    first_utf8 = first_big5 = 0
    big5_codec = _BIG5_CODECS[0]
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                first_utf8 = first_utf8 or number
                continue
            for codec in _BIG5_CODECS:
                try:
                    line.decode(codec)
                except UnicodeDecodeError:
                    continue
                first_big5 = first_big5 or number
                if codec != _BIG5_CODECS[0]:
                    big5_codec = codec
                break
            else:
                raise IngestError("unknown_encoding")
            if first_utf8 and first_big5:
                break
    if first_utf8 and first_big5:
        raise IngestError("mixed_encoding", utf8_line=first_utf8, big5_line=first_big5)
    return big5_codec


def detect_encoding(path: Path, head: bytes) -> str:
    """`utf-8-sig`, `utf-8`, `cp950` or `big5hkscs`; raises on anything else or a mixture."""
    if _try_utf8(path):
        return "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    return _classify_lines(path)


def detect_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: comma, semicolon, tab or vertical bar."""
    first_line = sample.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    # The sniffer can be fooled by data rows; a header that contains only one candidate wins.
    candidates = [candidate for candidate in ",;\t|" if candidate in first_line]
    if len(candidates) == 1:
        return candidates[0]
    return delimiter


def detect_format(path: Path) -> CsvFormat:
    """Check that `path` is a text CSV file and find how it is written."""
    head = refuse_binary(path)
    encoding = detect_encoding(path, head)
    sample = head.decode(encoding, errors="ignore")
    return CsvFormat(encoding=encoding, delimiter=detect_delimiter(sample))


def read_rows(path: Path, csv_format: CsvFormat) -> Iterator[list[str]]:
    """Every row of the file as a list of strings, header first."""
    with path.open("r", encoding=csv_format.encoding, newline="") as handle:
        yield from csv.reader(handle, delimiter=csv_format.delimiter)
