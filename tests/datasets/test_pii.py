"""The personal-data scanner: each kind in the ways people write it, each trap, the command line,
and recall on a corpus with known answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from datasets.pii import scan_text
from datasets.pii.corpus import evaluate, generate
from datasets.pii.identifiers import is_national_id, is_old_resident_id, luhn_ok, national_id_check_digit
from portal.config import PROJECT_ROOT

VALID_ID = "A123456789"


def kinds(text: str, label: str | None = None) -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in scan_text(text, label)]


def test_checksums() -> None:
    assert is_national_id(VALID_ID)
    assert not is_national_id("A123456788")
    assert not is_national_id("A323456789")
    assert is_national_id("A1234567" + "8" + str(national_id_check_digit("A12345678")))
    assert not is_old_resident_id("AB12345678") or is_old_resident_id("AB12345678")  # total either way
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"證號 {VALID_ID}", [("national_id", VALID_ID)]),
        (f"證號{VALID_ID.lower()}。", [("national_id", VALID_ID.lower())]),
        ("全形Ａ１２３４５６７８９", [("national_id", "Ａ１２３４５６７８９")]),
        ("證號 A123456788", []),
        ("統一證號 A800000014", [("national_id", "A800000014")]),
        ("案件編號 XA1234567890", []),
    ],
)
def test_national_ids(text: str, expected: list) -> None:
    assert kinds(text) == expected


def test_old_resident_certificates() -> None:
    import random

    from datasets.pii.corpus import _old_resident_id

    generator = random.Random(5)
    for _ in range(20):
        value = _old_resident_id(generator)
        assert kinds(f"居留證 {value}") == [("resident_id", value)]
    broken = value[:-1] + str((int(value[-1]) + 1) % 10)
    assert kinds(f"居留證 {broken}") == []


@pytest.mark.parametrize(
    "phone",
    [
        "0912345678",
        "0912-345-678",
        "0912 345 678",
        "0912-345678",
        "+886 912 345 678",
        "+886-912-345-678",
        "+886912345678",
        "０９１２３４５６７８",
        "(02)2345-6789",
        "02-23456789",
        "02-2345-6789",
        "02 2345 6789",
        "+886-2-2345-6789",
        "(037)123-456",
        "(02)2345-6789#123",
        "02-2345-6789 分機 12",
        "(04)2224-4191",
        "049-2345678",
        "082-312345",
        "0912.345.678",
    ],
)
def test_phones(phone: str) -> None:
    found = kinds(f"請回電 {phone} 謝謝")
    assert [kind for kind, _text in found] == ["phone"]
    assert found[0][1].replace(" 分機 12", "").replace("#123", "") in phone


@pytest.mark.parametrize(
    "text",
    [
        "依台水企字第1090005378號函辦理",
        "案件編號 C2025000123",
        "受理日期 2026-11-26，民國115年11月26日",
        "水費 12,345 元，NT$1,234,567",
        "本期水表讀數 04521 度",
        "郵遞區號 20241，或 202",
        "請撥客服專線 1910",
        "免付費電話 0800-123-456",
        "預約時間 09:30，公告日期 2026/11/26",
        "管線長 3 公里，第5期工程中正路管線汰換",
        "公文文號 1090005378",
        "各位先生女士您好",
        "流量 3.1415 立方公尺／秒",
    ],
)
def test_traps_are_not_personal_data(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("信用卡 4111 1111 1111 1111", "4111 1111 1111 1111"),
        ("卡號 5500-0000-0000-0004", "5500-0000-0000-0004"),
        ("card 4012888888881881.", "4012888888881881"),
    ],
)
def test_cards(text: str, card: str) -> None:
    assert kinds(text) == [("card", card)]


def test_card_failing_luhn_is_not_a_card() -> None:
    assert kinds("卡號 4111 1111 1111 1112") == []


def test_email() -> None:
    assert kinds("來信 wang.ming+water@example.com.tw。") == [("email", "wang.ming+water@example.com.tw")]


@pytest.mark.parametrize(
    "address",
    [
        "基隆市中正區中正路106號",
        "臺北市大安區忠孝東路四段100巷5弄3號4樓",
        "台北市信義區信義路五段7號89樓",
        "汐止區大同路二段100號之1",
        "中正路106之3號",
        "新北市貢寮區福隆村12鄰5號",
        "基隆市安樂區基金一路二三號",
        "宜蘭縣礁溪鄉中山路一段10號三樓之2",
    ],
)
def test_addresses(address: str) -> None:
    found = kinds(f"住址：{address}，請派員")
    assert [kind for kind, _text in found] == ["address"]
    assert found[0][1].endswith(address)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("王小明先生來電", "王小明"),
        ("林美麗小姐表示", "林美麗"),
        ("陳太太", "陳"),
        ("聯絡人：歐陽娜娜", "歐陽娜娜"),
        ("申請人王小明，電話", "王小明"),
        ("用戶李大同反映漏水", "李大同"),
        ("陳情人 林強反映", "林強"),
    ],
)
def test_names_next_to_a_title_or_label(text: str, name: str) -> None:
    assert kinds(text) == [("name", name)]


def test_names_in_a_column_of_names() -> None:
    assert kinds("王小明", label="申請人") == [("name", "王小明")]
    assert kinds("王○明", label="姓名") == []
    # Outside a column of names, a name alone is still a name, and a word alone still a word.
    assert kinds("王小明", label="kind") == [("name", "王小明")]
    assert kinds("溫泉", label="kind") == []


def test_offsets_are_offsets_in_the_text() -> None:
    text = "用戶（王小明）電話０９１２－３４５－６７８，住基隆市中正區中正路106號"
    for finding in scan_text(text):
        assert text[finding.start : finding.end] == finding.text


def test_corpus_recall_and_false_findings() -> None:
    result = evaluate(generate(3000, seed=2026))
    for group in ("id", "phone", "email", "card"):
        assert result.recall(group) >= 0.99, (group, result.misses[:5])
    assert result.recall("address") >= 0.95, result.misses[:5]
    assert result.recall("name") >= 0.90, result.misses[:5]
    assert result.false_per_thousand <= 5, result.false_examples[:5]
    assert sum(result.found.values()) > 3000


def run_cli(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "datasets.pii", str(path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_on_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        f"申請人,內容,件數\n王小明,電話 0912-345-678,3\n陳大文,證號 {VALID_ID},1\n,無,0\n", encoding="utf-8"
    )
    result = run_cli(path)
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {
        "row": 1,
        "column": "內容",
        "kind": "phone",
        "start": 3,
        "end": 15,
        "text": "0912-345-678",
    } in lines
    assert {
        "row": 2,
        "column": "內容",
        "kind": "national_id",
        "start": 3,
        "end": 13,
        "text": VALID_ID,
    } in lines
    assert {"row": 1, "column": "申請人", "kind": "name", "start": 0, "end": 3, "text": "王小明"} in lines
    assert all(set(line) == {"row", "column", "kind", "start", "end", "text"} for line in lines)


def test_cli_on_text_and_clean_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("第一行沒有\n第二行 wang@example.com\n", encoding="utf-8")
    result = run_cli(text)
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "row": 2,
        "column": None,
        "kind": "email",
        "start": 4,
        "end": 20,
        "text": "wang@example.com",
    }
    clean = tmp_path / "clean.txt"
    clean.write_text("依台水企字第1090005378號函辦理\n請撥 1910\n", encoding="utf-8")
    assert run_cli(clean).returncode == 0


def test_cli_errors(tmp_path: Path) -> None:
    assert run_cli(tmp_path / "missing.csv").returncode == 2
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    assert run_cli(binary).returncode == 2
    usage = subprocess.run(
        [sys.executable, "-m", "datasets.pii"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2
