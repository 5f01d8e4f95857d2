"""Publishing a large CSV end to end, against `frictionless validate` on the same file.

For 100,000 and 1,000,000 rows of a 12-column CSV (about 190 bytes a row) this script
prints, measured in the same run:

- wall time of `frictionless validate FILE` (the baseline);
- wall time of `flask --app portal datasets publish` on a new dataset (infer the schema,
  validate, load the query store, write CSV, ODS, JSON, PDF and datapackage.json);
- their ratio (the target is at most 1.5);
- peak resident memory of the publishing process and of its whole process tree
  (the target is under 400 MB, not growing with rows).

Then the streaming ODS writer's rows per second against odfpy's DOM.

    .venv/bin/python bench/publish_pipeline.py [--rows 100000,1000000] [--keep] [--with-personal-data]

With `--with-personal-data` the file holds names, ID numbers, phones, addresses and
free text with phone numbers in it; the dataset's rules mask, drop, generalise and
redact them, and the gate scans every published text cell (target: 2x the baseline).

It uses a database of its own: SQLite in a temporary folder, or PostgreSQL when
`BENCH_DATABASE_URL` is set.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

DISTRICTS = (
    "中正區",
    "信義區",
    "仁愛區",
    "中山區",
    "安樂區",
    "暖暖區",
    "七堵區",
    "汐止區",
    "瑞芳區",
    "貢寮區",
    "雙溪區",
)
KINDS = ("水壓不足", "漏水報修", "水質疑義", "水費疑義", "用水申請", "表位遷移")
STATES = ("受理中", "處理中", "已結案", "已轉辦")
NOTES = (
    "用戶反映夜間水壓偏低，已派員量測管網壓力並調整加壓站運轉時段",
    "路面漏水已於當日完成開挖修復，並清洗附近用戶水表前管線",
    "用戶詢問水費計算方式，已說明基本費與用水費的級距並寄送明細",
    "水質檢驗結果符合飲用水水質標準，已電話回覆用戶並留存紀錄",
)


def write_source(path: Path, rows: int) -> None:
    """A 12-column CSV like a branch's case export, about 190 bytes a row."""
    generator = random.Random(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "case_no",
                "office",
                "received",
                "district",
                "kind",
                "state",
                "days",
                "amount",
                "meter_reading",
                "postal_code",
                "account_no",
                "note",
            ]
        )
        for number in range(rows):
            writer.writerow(
                [
                    f"C{2020 + number % 6}{number:09d}",
                    generator.choice(("KL", "XZ", "GS", "XS")),
                    f"{2020 + number % 6}-{1 + number % 12:02d}-{1 + number % 28:02d}",
                    generator.choice(DISTRICTS),
                    generator.choice(KINDS),
                    generator.choice(STATES),
                    generator.randrange(30),
                    f"{generator.random() * 5000:.2f}",
                    generator.randrange(100_000),
                    generator.choice(
                        ("200", "201", "202", "203", "204", "205", "206", "221", "224", "226", "227", "228")
                    ),
                    f"00{generator.randrange(10**8):08d}",  # account numbers, never shaped like a phone number
                    generator.choice(NOTES),
                ]
            )


SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = "志明美玲淑芬家豪怡君俊傑雅婷建宏佳穎冠宇欣怡宗翰惠如"
ROADS = ("中正路", "信二路", "愛三路", "基金一路", "大同路二段", "明燈路三段")
PII_FIELDS = [
    {"name": "case_no", "type": "string"},
    {"name": "received", "type": "date"},
    {"name": "applicant", "type": "string", "deid": {"rule": "mask", "kind": "name"}},
    {"name": "national_id", "type": "string", "deid": {"rule": "drop"}},
    {"name": "phone", "type": "string", "deid": {"rule": "mask", "kind": "phone"}},
    {"name": "address", "type": "string", "deid": {"rule": "generalise", "level": "district"}},
    {"name": "district", "type": "string"},
    {"name": "kind", "type": "string"},
    {"name": "state", "type": "string"},
    {"name": "days", "type": "integer"},
    {"name": "amount", "type": "number"},
    {"name": "note", "type": "string", "deid": {"rule": "redact"}},
]


def write_source_with_personal_data(path: Path, rows: int) -> None:
    """A 12-column CSV of complaints with personal data in five columns."""
    from datasets.pii.identifiers import national_id_check_digit

    generator = random.Random(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([field["name"] for field in PII_FIELDS])
        for number in range(rows):
            prefix = generator.choice("ACEH") + generator.choice("12") + f"{generator.randrange(10**7):07d}"
            phone = f"09{generator.randrange(10, 90)}-{generator.randrange(1000):03d}-{generator.randrange(1000):03d}"
            district = generator.choice(DISTRICTS)
            note = generator.choice(NOTES)
            if generator.random() < 0.2:
                note = f"{note}，請回電 {phone}"
            writer.writerow(
                [
                    f"C{2020 + number % 6}{number:09d}",
                    f"{2020 + number % 6}-{1 + number % 12:02d}-{1 + number % 28:02d}",
                    generator.choice(SURNAMES) + generator.choice(GIVEN) + generator.choice(GIVEN),
                    prefix + str(national_id_check_digit(prefix)),
                    phone,
                    f"基隆市{district}{generator.choice(ROADS)}{generator.randrange(1, 400)}號",
                    district,
                    generator.choice(KINDS),
                    generator.choice(STATES),
                    generator.randrange(30),
                    f"{generator.random() * 5000:.2f}",
                    note,
                ]
            )


def _tree(pid: int) -> set[int]:
    found = {pid}
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for token in child.read_text().split():
            found |= _tree(int(token))
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, int, str]:
    """Run `command`; wall seconds, peak MB of the process, peak MB of its whole tree at once, output.

    The tree's peak is the largest sum of the resident memory of the process and all its
    children seen at one moment (sampled every 50 ms).
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = tree_peak = 0
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    while process.poll() is None:
        try:
            tree_peak = max(tree_peak, sum(_status_kb(pid, "VmRSS:") for pid in _tree(process.pid)))
            peak = max(peak, _status_kb(process.pid, "VmHWM:"))
        except OSError:
            pass
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    reader.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{''.join(output)[-3000:]}")
    return elapsed, peak // 1024, tree_peak // 1024, "".join(output)


def measure(rows: int, work: Path, database_url: str | None, with_pii: bool) -> dict[str, float]:
    folder = work / f"rows-{rows}"
    folder.mkdir()
    source = folder / "cases.csv"
    (write_source_with_personal_data if with_pii else write_source)(source, rows)
    size_mb = source.stat().st_size / 1_000_000
    baseline, baseline_peak, _tree_peak, _out = run_measured(
        [str(BIN / "frictionless"), "validate", source.name], folder, dict(os.environ)
    )
    env = {
        **os.environ,
        "INSTANCE_PATH": str(folder / "instance"),
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    flask = [str(BIN / "flask"), "--app", "portal"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    definition = folder / "bench.yaml"
    document: dict[str, object] = {
        "name": "bench-cases",
        "title": "效能測試案件",
        "title_en": "Benchmark cases",
    }
    if with_pii:
        document["schema"] = {"fields": PII_FIELDS}
    definition.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")  # JSON is YAML too
    subprocess.run(
        [*flask, "datasets", "define", str(definition)], cwd=ROOT, env=env, check=True, capture_output=True
    )
    publish, peak, tree_peak, output = run_measured(
        [*flask, "datasets", "publish", "bench-cases", str(source)], ROOT, env
    )
    assert f"{rows} rows" in output, output[-500:]
    return {
        "rows": rows,
        "mb": size_mb,
        "baseline": baseline,
        "baseline_peak": baseline_peak,
        "publish": publish,
        "peak": peak,
        "tree_peak": tree_peak,
    }


def ods_speed(work: Path) -> tuple[float, float]:
    """Rows per second: the streaming writer on 200,000 rows, odfpy's DOM on 3,000."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    from datasets.writers.ods import write_ods

    schema = {
        "fields": [
            {"name": f"c{index}", "type": "integer" if index % 3 == 0 else "string"} for index in range(12)
        ]
    }
    row = [str(index) if index % 3 == 0 else f"文字{index}" for index in range(12)]
    started = time.perf_counter()
    write_ods(work / "stream.ods", schema, (list(row) for _ in range(200_000)))
    streaming = 200_000 / (time.perf_counter() - started)
    started = time.perf_counter()
    document = OpenDocumentSpreadsheet()
    table = Table(name="data")
    for _ in range(3_000):
        table_row = TableRow()
        for index, text in enumerate(row):
            cell = (
                TableCell(valuetype="float", value=text) if index % 3 == 0 else TableCell(valuetype="string")
            )
            cell.addElement(P(text=text))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.save(str(work / "dom.ods"))
    dom = 3_000 / (time.perf_counter() - started)
    return streaming, dom


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated row counts")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--with-personal-data",
        action="store_true",
        help="personal data in five columns, de-identified by rules and scanned by the gate (target ratio 2.0)",
    )
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    database_url = os.environ.get("BENCH_DATABASE_URL")
    print(
        f"database: {'PostgreSQL' if database_url else 'SQLite'}; cores: {os.cpu_count()}; work folder: {work}"
    )
    print(
        f"{'rows':>9} {'MB':>6} {'frictionless s':>15} {'publish s':>10} {'ratio':>6} {'peak MB':>8} {'tree MB':>8} {'frictionless MB':>16}"
    )
    try:
        for rows in (int(value) for value in arguments.rows.split(",")):
            result = measure(rows, work, database_url, arguments.with_personal_data)
            print(
                f"{result['rows']:>9,} {result['mb']:>6.0f} {result['baseline']:>15.1f} {result['publish']:>10.1f} "
                f"{result['publish'] / result['baseline']:>6.2f} {result['peak']:>8} {result['tree_peak']:>8} {result['baseline_peak']:>16}",
                flush=True,
            )
        if arguments.with_personal_data:
            return
        streaming, dom = ods_speed(work)
        print(
            f"ODS writer: {streaming:,.0f} rows/s streaming; odfpy DOM {dom:,.0f} rows/s ({streaming / dom:.0f}x)"
        )
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
