"""Taking in source files: encodings, delimiters, spreadsheets, and every bad file we can think of."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from datasets.ingest import IngestError, IngestLimits, open_source
from datasets.writers.ods import write_ods
from tests.datasets.conftest import write_csv

ROWS = [["基隆服務所", "0224252103", "12"], ["汐止營運所", "0286478218", "7"]]
HEADER = ["單位", "電話", "件數"]


def read_all(path: Path, name: str | None = None, **kwargs: object) -> tuple[list[str], list[list[str]]]:
    source = open_source(path, name or path.name, **kwargs)  # type: ignore[arg-type]
    return source.info.columns, list(source.rows)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp950", ","), ("utf-8", ";"), ("utf-8", "\t"), ("cp950", "|")],
)
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "source.csv", HEADER, ROWS, encoding=encoding, delimiter=delimiter)
    source = open_source(path, "source.csv")
    assert source.info.columns == HEADER
    assert source.info.delimiter == delimiter
    assert source.info.encoding == encoding
    assert list(source.rows) == ROWS


def test_leading_zeros_and_spaces_are_kept(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", ["a", "b"], [["007", "  two spaces  "]])
    assert read_all(path)[1] == [["007", "  two spaces  "]]


def test_blank_rows_inside_are_kept_and_trailing_ones_dropped(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a,b\n1,2\n\n3,4\n\n\n", encoding="utf-8")
    assert read_all(path)[1] == [["1", "2"], [], ["3", "4"]]


def test_xlsx_sheets(tmp_path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    first.title = "說明"
    first.append(["這一頁不是資料"])
    data = workbook.create_sheet("資料")
    data.append(HEADER)
    data.append(["基隆服務所", "0224252103", 12])
    data.append(["汐止營運所", "0286478218", 7.5])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    columns, rows = read_all(path, sheet="資料")
    assert columns == HEADER
    assert rows == [["基隆服務所", "0224252103", "12"], ["汐止營運所", "0286478218", "7.5"]]
    with pytest.raises(IngestError) as missing:
        read_all(path, sheet="沒有這頁")
    assert missing.value.code == "sheet_not_found"
    assert "說明" in missing.value.params["sheets"]


def test_ods_sheets(tmp_path: Path) -> None:
    schema = {"fields": [{"name": name, "type": "string"} for name in HEADER]}
    path = tmp_path / "sheet.ods"
    write_ods(path, schema, [list(row) for row in ROWS], sheet="資料")
    columns, rows = read_all(path)
    assert columns == HEADER
    assert rows == ROWS


def test_ods_numbers_dates_and_repeated_cells(tmp_path: Path) -> None:
    schema = {
        "fields": [
            {"name": "n", "type": "integer"},
            {"name": "d", "type": "date"},
            {"name": "t", "type": "string"},
        ]
    }
    path = tmp_path / "typed.ods"
    write_ods(path, schema, [["12", "2026-01-02", "a  b"], ["", "", "x"]])
    assert read_all(path)[1] == [["12", "2026-01-02", "a  b"], ["", "", "x"]]


def _zip_bomb(path: Path, member: str, mimetype: bytes | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if mimetype:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        with archive.open(member, "w", force_zip64=True) as handle:
            block = b"\0" * (1024 * 1024)
            for _ in range(64):
                handle.write(block)
    return path


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.csv", b"", "empty_file"),
        ("blank.csv", b"\n\n  \n", "empty_file"),
        ("header.csv", "單位,電話\n".encode(), "header_only"),
        ("dup.csv", "單位,電話,單位\n1,2,3\n".encode(), "duplicate_header"),
        ("blankname.csv", "單位,,件數\n1,2,3\n".encode(), "blank_header"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "binary_file"),
        ("book.csv", b"PK\x03\x04" + b"\x00" * 200, "binary_file"),
        ("nul.csv", b"a,b\n1,2\n3,\x004\n", "nul_byte"),
        ("mixed.csv", "單位,件數\n基隆,1\n".encode() + "汐止,2\n".encode("cp950"), "mixed_encoding"),
        ("latin.csv", b"a,b\n\xff\xfe\xfa,1\n", "unknown_encoding"),
        ("data.pdf", b"%PDF-1.7", "unsupported_format"),
        ("fake.xlsx", b"this is not a spreadsheet at all", "not_a_spreadsheet"),
        ("fake.ods", b"PK\x03\x04 broken zip", "not_a_spreadsheet"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as refused:
        read_all(path)
    assert refused.value.code == code
    assert refused.value.message()


def test_mixed_encoding_names_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("單位,件數\n基隆,1\n".encode() + "汐止,2\n".encode("cp950"))
    with pytest.raises(IngestError) as refused:
        read_all(path)
    assert refused.value.params == {"utf8_line": 1, "big5_line": 3}


def test_nul_byte_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"a,b\n1,2\n3,\x004\n")
    with pytest.raises(IngestError) as refused:
        read_all(path)
    assert refused.value.params == {"line": 3}


def test_very_long_cell_is_refused_with_its_place(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "long.csv", ["a", "note"], [["1", "ok"], ["2", "長" * 100_000]])
    with pytest.raises(IngestError) as refused:
        read_all(path)
    assert refused.value.code == "cell_too_long"
    assert refused.value.params["row"] == 3
    assert refused.value.params["column"] == "note"
    assert refused.value.params["length"] == 100_000


@pytest.mark.parametrize(
    ("name", "mimetype"),
    [("bomb.xlsx", None), ("bomb.ods", b"application/vnd.oasis.opendocument.spreadsheet")],
)
def test_archive_bombs_are_refused_before_unpacking(
    tmp_path: Path, name: str, mimetype: bytes | None
) -> None:
    path = _zip_bomb(
        tmp_path / name, "xl/worksheets/sheet1.xml" if mimetype is None else "content.xml", mimetype
    )
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(IngestError) as refused:
        read_all(path)
    assert refused.value.code == "archive_bomb"


def test_file_over_the_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", ["a"], [["x" * 100]] * 200)
    with pytest.raises(IngestError) as refused:
        open_source(path, "big.csv", limits=IngestLimits(max_bytes=1000))
    assert refused.value.code == "too_large"


def test_rows_stream_without_reading_the_whole_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "many.csv", ["n"], [[str(number)] for number in range(50_000)])
    source = open_source(path, "many.csv", sample_rows=100)
    assert len(source.sample) == 100
    assert source.estimated_rows > 10_000
    assert sum(1 for _ in source.rows) == 50_000


def test_messages_in_both_languages(app, tmp_path: Path) -> None:
    error = IngestError("duplicate_header", name="單位", columns="1、3")
    with app.test_request_context("/"):
        chinese = error.message()
    with app.test_request_context("/", environ_overrides={"portal.locale": "en"}):
        english = error.message()
    assert "單位" in chinese
    assert "重複" in chinese
    assert "單位" in english
    assert "重複" not in english


def test_stored_error_comes_back(tmp_path: Path) -> None:
    error = IngestError("cell_too_long", row=3, column="note", length=100_000, limit=32_767)
    assert IngestError.from_dict(error.to_dict()).params == error.params


def test_xlsx_written_in_memory_and_damaged(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(buffer.getvalue()[:300])
    with pytest.raises(IngestError) as refused:
        read_all(damaged)
    assert refused.value.code in {"not_a_spreadsheet", "damaged_spreadsheet"}
