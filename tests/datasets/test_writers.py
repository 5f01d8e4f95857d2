"""The files of a release, checked with the programs people open them with."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from datasets.writers.datapackage import write_datapackage
from datasets.writers.ods import write_ods
from datasets.writers.pdf import PdfContent, write_pdf
from datasets.writers.tabular import CsvWriter, JsonWriter, neutralise_formula
from tests.browser.conftest import _require

SCHEMA = {
    "fields": [
        {"name": "名稱", "type": "string", "title": "名稱", "title_en": "Name"},
        {"name": "count", "type": "integer", "title": "件數"},
        {"name": "rate", "type": "number", "title": "比率", "unit": "%"},
        {"name": "day", "type": "date", "title": "日期"},
        {"name": "at", "type": "datetime", "title": "時間"},
        {"name": "ok", "type": "boolean", "title": "合格"},
        {"name": "phone", "type": "string", "title": "電話"},
    ]
}
ROWS = [
    ["基隆服務所 & <總處>", "12", "0.5", "2026-01-02", "2026-01-02T08:30:00", "true", "0224252103"],
    ["汐止營運所", "-3", "12.75", "2025-12-31", "2025-12-31T23:59:59", "false", "0286478218"],
    ["=1+1", "0", "1e3", "2000-02-29", "2000-02-29T00:00:00", "1", "+886912345678"],
    ["", "", "", "", "", "", ""],
]


def needs(program: str) -> str:
    path = shutil.which(program)
    _require(path is not None, f"{program} is not installed")
    assert path is not None
    return path


def test_csv_has_a_bom_and_neutralises_formulas(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    writer = CsvWriter(path, SCHEMA)
    for row in ROWS:
        writer.write(list(row))
    writer.close()
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    assert rows[0] == [field["name"] for field in SCHEMA["fields"]]
    assert rows[3][0] == "'=1+1"
    assert rows[3][6] == "'+886912345678"
    assert rows[2][1] == "-3", "numbers are not touched"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("安全") == "安全"


def test_json_values_are_typed(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    writer = JsonWriter(path, SCHEMA)
    for row in ROWS:
        writer.write(row)
    writer.close()
    records = json.loads(path.read_text(encoding="utf-8"))
    assert records[0] == {
        "名稱": "基隆服務所 & <總處>",
        "count": 12,
        "rate": 0.5,
        "day": "2026-01-02",
        "at": "2026-01-02T08:30:00",
        "ok": True,
        "phone": "0224252103",
    }
    assert records[2]["rate"] == 1000.0
    assert records[2]["ok"] is True
    assert records[3] == dict.fromkeys(records[3])


def test_empty_json_is_an_empty_array(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    JsonWriter(path, SCHEMA).close()
    assert json.loads(path.read_text()) == []


def test_ods_is_a_valid_package_that_libreoffice_reads_back(tmp_path: Path) -> None:
    soffice = needs("soffice")
    path = tmp_path / "data.ods"
    assert write_ods(path, SCHEMA, [list(row) for row in ROWS], title="測試") == len(ROWS)
    with zipfile.ZipFile(path) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert 'office:version="1.2"' in archive.read("content.xml").decode()
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    back = list(csv.reader((out / "data.csv").open(encoding="utf-8", newline="")))
    assert back[0] == [field["name"] for field in SCHEMA["fields"]]
    assert back[1][:4] == ["基隆服務所 & <總處>", "12", "0.5", "2026-01-02"]
    assert back[1][5] == "TRUE"
    assert back[1][6] == "0224252103", "codes stay text with their leading zero"
    assert back[2][1:3] == ["-3", "12.75"]
    assert back[3][0] == "'=1+1", "a formula-like text reads as in the CSV: inert, whatever it is saved as"
    assert back[3][2] == "1000"


def test_odfpy_opens_the_ods(tmp_path: Path) -> None:
    from odf.opendocument import load
    from odf.table import Table, TableRow

    path = tmp_path / "data.ods"
    write_ods(path, SCHEMA, [list(row) for row in ROWS])
    document = load(str(path))
    tables = document.spreadsheet.getElementsByType(Table)
    assert len(tables) == 1
    assert len(tables[0].getElementsByType(TableRow)) == len(ROWS) + 1


def _pdf(tmp_path: Path, rows: list[list[str]] | None, row_count: int, app) -> Path:
    path = tmp_path / "release.pdf"
    write_pdf(
        path,
        PdfContent(
            agency="台灣自來水公司第一區管理處",
            title_zh="水質檢驗結果",
            title_en="Water quality results",
            release_number=2,
            release_date="2026-11-26",
            licence="政府資料開放授權條款－第1版",
            notes_zh=["第 2 版，共 3 列。"],
            notes_en=["Release 2, 3 rows."],
            schema=SCHEMA,
            row_count=row_count,
            rows=rows,
        ),
        font_path=app.config["PDF_FONT"],
        font_index=app.config["PDF_FONT_INDEX"],
    )
    return path


def test_pdf_text_is_extractable_and_the_font_embedded_as_a_subset(tmp_path: Path, app) -> None:
    pdftotext = needs("pdftotext")
    _require(Path(app.config["PDF_FONT"]).exists(), "fonts-noto-cjk is not installed")
    path = _pdf(tmp_path, [list(row) for row in ROWS], len(ROWS), app)
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    for expected in (
        "水質檢驗結果",
        "資料欄位說明",
        "第 2 版，共 3 列。",
        "基隆服務所",
        "汐止營運所",
        "0224252103",
    ):
        assert expected in text
    fonts = subprocess.run([needs("pdffonts"), str(path)], capture_output=True, check=True, text=True).stdout
    embedded = [line for line in fonts.splitlines() if "NotoSansCJK" in line]
    assert embedded
    assert all(" yes yes " in line for line in embedded), fonts


def test_pdf_leaves_out_large_tables(tmp_path: Path, app) -> None:
    pdftotext = needs("pdftotext")
    path = _pdf(tmp_path, None, 5001, app)
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "5,001" in text
    assert "5,000" in text


def test_datapackage_passes_frictionless_validate(tmp_path: Path) -> None:
    frictionless = (
        needs("frictionless")
        if shutil.which("frictionless")
        else str(Path(__import__("sys").executable).parent / "frictionless")
    )
    writer = CsvWriter(tmp_path / "data.csv", SCHEMA)
    for row in ROWS[:3]:
        writer.write(list(row))
    writer.close()
    write_datapackage(
        tmp_path / "datapackage.json",
        name="test-data",
        title="測試",
        description="說明",
        version=1,
        created="2026-11-26T00:00:00+00:00",
        licence={
            "name": "OGDL-Taiwan-1.0",
            "path": "https://data.gov.tw/license",
            "title": "政府資料開放授權條款－第1版",
        },
        keywords=["測試"],
        csv_name="data.csv",
        schema={
            **SCHEMA,
            "fields": [field for field in SCHEMA["fields"] if field["name"] != "phone"]
            + [SCHEMA["fields"][-1]],
        },
        other_files={},
    )
    result = subprocess.run(
        [frictionless, "validate", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VALID" in result.stdout


@pytest.mark.parametrize("text", ["a\nb", "  lead", "tab\there", "ctl\x07char"])
def test_ods_cells_with_awkward_text_stay_well_formed(tmp_path: Path, text: str) -> None:
    from xml.etree import ElementTree

    path = tmp_path / "awkward.ods"
    write_ods(path, {"fields": [{"name": "t", "type": "string"}]}, [[text]])
    with zipfile.ZipFile(path) as archive:
        ElementTree.fromstring(archive.read("content.xml"))


def test_following_a_growing_file_waits_for_whole_characters(tmp_path: Path) -> None:
    import threading
    import time

    from datasets.child_tasks import clean_rows

    path = tmp_path / "clean.csv"
    marker = tmp_path / "clean.done"
    first = "_row,名稱\n2,基隆服務所\n".encode()
    second = "3,汐止營運所\n".encode()
    cut = len(first) + 4  # inside the second line's first Chinese character
    data = first + second
    path.write_bytes(data[:cut])

    def finish() -> None:
        time.sleep(0.3)
        with path.open("ab") as handle:
            handle.write(data[cut:])
        marker.touch()

    writer = threading.Thread(target=finish)
    writer.start()
    rows = list(clean_rows(path, set(), follow=marker))
    writer.join()
    assert rows == [["基隆服務所"], ["汐止營運所"]]
