"""Responses exported as CSV and ODS: columns, cells, inert formulas, and both files alike."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from odf import teletype
from odf.namespaces import OFFICENS
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import P

from feedback.surveys.definition import OTHER, Definition, Option, Question, QuestionKind, Section, Text
from feedback.surveys.exports import ExportLabels, columns, csv_text, row, schema, write_csv, write_ods
from feedback.surveys.tally import ResponseData

DAY = datetime.date(2026, 3, 10)

DEFINITION = Definition(
    sections=(
        Section(
            key="s1",
            title=Text("關於您"),
            questions=(
                Question("q1", QuestionKind.SHORT_TEXT, Text("您的姓名", "Your name")),
                Question(
                    "q2",
                    QuestionKind.SINGLE,
                    Text("您的年齡", "Your age"),
                    options=(Option("young", Text("未滿30歲", "Under 30")), Option("old", Text("30歲以上"))),
                    allow_other=True,
                ),
                Question(
                    "q3",
                    QuestionKind.MULTIPLE,
                    Text("用水用途"),
                    options=(
                        Option("drink", Text("飲用", "Drinking")),
                        Option("wash", Text("洗滌", "Washing")),
                        Option("garden", Text("澆花", "Garden")),
                    ),
                    allow_other=True,
                ),
            ),
        ),
        Section(
            key="s2",
            title=Text("評價"),
            questions=(
                Question("q4", QuestionKind.RATING, Text("整體滿意度", "Satisfaction")),
                Question("q5", QuestionKind.NUMBER, Text("每月水費", "Monthly bill")),
                Question("q6", QuestionKind.DATE, Text("停水日期", "Day of the outage")),
                Question("q7", QuestionKind.LONG_TEXT, Text("其他意見", "Comments")),
            ),
        ),
    )
)

RESPONSES = [
    ResponseData(
        answers={
            "q1": "王小明",
            "q2": "young",
            "q3": ["wash", "drink", OTHER],
            "q4": 5,
            "q5": "-12.5",
            "q6": "2026-02-28",
            "q7": "第一行\n第二行",
        },
        others={"q3": "養魚"},
        day=DAY,
    ),
    ResponseData(
        answers={
            "q1": '=HYPERLINK("http://x")',
            "q2": OTHER,
            "q3": ["garden", "retired"],
            "q7": "+886 2 1234",
        },
        others={"q2": "@SUM(A1)"},
        day=DAY + datetime.timedelta(days=1),
    ),
    ResponseData(
        answers={"q1": "-負號開頭", "q4": 3, "q5": "800"}, others={}, day=DAY + datetime.timedelta(days=2)
    ),
]

ZH_HEADERS = [
    "填答日期",
    "q1 您的姓名",
    "q2 您的年齡",
    "q2 您的年齡（其他說明）",
    "q3 用水用途",
    "q3 用水用途（其他說明）",
    "q4 整體滿意度",
    "q5 每月水費",
    "q6 停水日期",
    "q7 其他意見",
]


def test_columns_one_per_question_plus_day_and_other_texts() -> None:
    assert [column.header for column in columns(DEFINITION, "zh")] == ZH_HEADERS
    assert [column.key for column in columns(DEFINITION, "zh")] == [
        "_day",
        "q1",
        "q2",
        "q2" + OTHER,
        "q3",
        "q3" + OTHER,
        "q4",
        "q5",
        "q6",
        "q7",
    ]
    assert [field["type"] for field in schema(DEFINITION, "zh")["fields"]] == [
        "date",
        "string",
        "string",
        "string",
        "string",
        "string",
        "integer",
        "number",
        "date",
        "string",
    ]


def test_english_headers_fall_back_to_chinese() -> None:
    headers = [column.header for column in columns(DEFINITION, "en")]
    assert headers[:4] == ["Day answered", "q1 Your name", "q2 Your age", "q2 Your age (other, specified)"]
    assert headers[4] == "q3 用水用途"


def test_labels_may_be_given_by_the_view() -> None:
    labels = ExportLabels(day="日期", other="別的", other_text="說明")
    assert columns(DEFINITION, "zh", labels)[0].header == "日期"
    assert row(DEFINITION, RESPONSES[1], "zh", labels)[2] == "別的"


def test_rows_show_labels_in_definition_order() -> None:
    assert row(DEFINITION, RESPONSES[0], "zh") == [
        "2026-03-10",
        "王小明",
        "未滿30歲",
        "",
        "飲用；洗滌；其他",
        "養魚",
        "5",
        "-12.5",
        "2026-02-28",
        "第一行\n第二行",
    ]
    english = row(DEFINITION, RESPONSES[0], "en")
    assert english[2] == "Under 30"
    assert english[4] == "Drinking；Washing；Other"


def test_other_and_removed_options_and_unanswered_cells() -> None:
    cells = row(DEFINITION, RESPONSES[1], "zh")
    assert cells[2:6] == ["其他", "@SUM(A1)", "澆花；retired", ""]
    assert cells[6:9] == ["", "", ""]
    assert row(DEFINITION, RESPONSES[1], "en")[2] == "Other"


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_has_a_bom_chinese_headers_and_inert_formulas(tmp_path: Path) -> None:
    path = tmp_path / "responses.csv"
    assert write_csv(path, DEFINITION, RESPONSES, "zh") == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(raw.decode("utf-8"))
    assert rows[0] == ZH_HEADERS
    assert len(rows) == 4
    assert rows[2][1] == '\'=HYPERLINK("http://x")'
    assert rows[2][3] == "'@SUM(A1)"
    assert rows[2][9] == "'+886 2 1234"
    assert rows[3][1] == "'-負號開頭"
    # A negative number in the number column stays a number.
    assert rows[1][7] == "-12.5"
    assert rows[1][9] == "第一行\n第二行"


def test_csv_to_a_stream_is_the_same_as_to_a_file(tmp_path: Path) -> None:
    path = tmp_path / "responses.csv"
    write_csv(path, DEFINITION, RESPONSES, "zh")
    assert path.read_bytes().decode("utf-8") == csv_text(DEFINITION, RESPONSES, "zh")


def cell_value(cell: TableCell) -> tuple[str, str]:
    """A cell's value type and what it holds: its typed value, or its text."""
    value_type = cell.attributes.get((OFFICENS, "value-type"), "")
    if value_type == "float":
        return value_type, cell.attributes[(OFFICENS, "value")]
    if value_type == "date":
        return value_type, cell.attributes[(OFFICENS, "date-value")]
    # One paragraph a line, as a spreadsheet shows the cell.
    return value_type, "\n".join(teletype.extractText(paragraph) for paragraph in cell.getElementsByType(P))


def odfpy_rows(path: Path) -> list[list[tuple[str, str]]]:
    """Each cell's value type and value, read with odfpy."""
    document = load(str(path))
    table = document.spreadsheet.getElementsByType(Table)[0]
    rows = []
    for table_row in table.getElementsByType(TableRow):
        rows.append([cell_value(cell) for cell in table_row.getElementsByType(TableCell)])
    return rows


def spreadsheet_as_csv(path: Path, tmp_path: Path) -> list[list[str]]:
    """The ODS as a spreadsheet program saves it as CSV: LibreOffice when installed, else odfpy."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return [[text for _type, text in cells] for cells in odfpy_rows(path)]
    out = tmp_path / "converted"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return csv_rows((out / (path.stem + ".csv")).read_text(encoding="utf-8"))


def test_ods_reads_as_the_csv(tmp_path: Path) -> None:
    path = tmp_path / "responses.ods"
    assert write_ods(path, DEFINITION, RESPONSES, "zh", title="用水問卷") == 3
    expected = csv_rows(csv_text(DEFINITION, RESPONSES, "zh"))
    assert spreadsheet_as_csv(path, tmp_path) == expected


def test_ods_cells_are_typed_and_formulas_inert(tmp_path: Path) -> None:
    path = tmp_path / "responses.ods"
    write_ods(path, DEFINITION, RESPONSES, "en")
    rows = odfpy_rows(path)
    assert rows[0][1] == ("string", "q1 Your name")
    first, second = rows[1], rows[2]
    assert first[0] == ("date", "2026-03-10")
    assert first[6] == ("float", "5")
    assert first[7] == ("float", "-12.5")
    assert first[8] == ("date", "2026-02-28")
    assert second[1] == ("string", '\'=HYPERLINK("http://x")')
    assert second[3] == ("string", "'@SUM(A1)")
    # No cell anywhere holds a formula.
    assert b"table:formula" not in _content(path)


def _content(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("content.xml")


@pytest.mark.parametrize(("value", "cell"), [("12,5", ""), ("not a date", "")])
def test_unreadable_typed_values_are_left_empty_in_the_ods(tmp_path: Path, value: str, cell: str) -> None:
    answers = {"q5": value} if value == "12,5" else {"q6": value}
    path = tmp_path / "odd.ods"
    write_ods(path, DEFINITION, [ResponseData(answers, {}, DAY)], "zh")
    cells = odfpy_rows(path)[1]
    column = 7 if value == "12,5" else 8
    assert cells[column] == ("", cell)
    # The CSV keeps what was stored.
    assert csv_rows(csv_text(DEFINITION, [ResponseData(answers, {}, DAY)], "zh"))[1][column] == value
