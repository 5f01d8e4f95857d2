"""The rows the rows-API benchmark serves, written here rather than by the site's own generators.

A 13-column export of service cases: the 12 columns the publishing benchmark has always
used, plus `route`, the meter-reading route a case's address belongs to. `route` takes
`ROUTE_COUNT` values, each drawn uniformly, so at 200,000 rows every value matches about
400 rows scattered over the whole table (no value's rows sit together on disk). Both
servers index `district` and `route`; the benchmark filters on `route`.

The same file feeds both servers: `flask datasets publish` for ours, `sqlite_database`
for Datasette, with the column types the site's schema declares.
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from pathlib import Path

ROUTE_COUNT = 500
ROUTES = tuple(f"R{number:04d}" for number in range(1, ROUTE_COUNT + 1))
INDEXED = ("district", "route")
FIELDS = [
    ("case_no", "string"),
    ("office", "string"),
    ("received", "date"),
    ("district", "string"),
    ("route", "string"),
    ("kind", "string"),
    ("state", "string"),
    ("days", "integer"),
    ("amount", "number"),
    ("meter_reading", "integer"),
    ("postal_code", "string"),
    ("account_no", "string"),
    ("note", "string"),
]
OFFICES = ("KL", "XZ", "GS", "XS", "RF")
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
)
KINDS = ("水壓不足", "漏水報修", "水質疑義", "水費疑義", "用水申請", "表位遷移", "停水詢問")
STATES = ("受理中", "處理中", "已結案", "已轉辦")
POSTAL_CODES = ("200", "201", "202", "203", "204", "205", "206", "221", "224", "226", "228")
NOTES = (
    "夜間水壓偏低，量測管網壓力後調整加壓站運轉時段",
    "人行道下方管線漏水，當日開挖修復並回填",
    "詢問水費級距，已說明基本費與用水費並寄送明細",
    "水質檢驗合格，電話回覆用戶並留存紀錄",
    "水表箱位置妨礙通行，約定日期遷移",
)


def write_rows(path: Path, rows: int, seed: int = 20261203) -> None:
    """Write `rows` rows as a UTF-8 CSV with a header line."""
    draw = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([name for name, _kind in FIELDS])
        for number in range(rows):
            year = 2020 + number % 6
            writer.writerow(
                [
                    f"S{year}{number:09d}",
                    draw.choice(OFFICES),
                    f"{year}-{1 + draw.randrange(12):02d}-{1 + draw.randrange(28):02d}",
                    draw.choice(DISTRICTS),
                    draw.choice(ROUTES),
                    draw.choice(KINDS),
                    draw.choice(STATES),
                    draw.randrange(45),
                    f"{draw.random() * 8000:.2f}",
                    draw.randrange(100_000),
                    draw.choice(POSTAL_CODES),
                    f"01{draw.randrange(10**8):08d}",
                    draw.choice(NOTES),
                ]
            )


def definition() -> dict[str, object]:
    """The dataset definition `flask datasets define` takes: every field typed, the filtered ones indexed."""
    return {
        "name": "bench-rows",
        "title": "效能測試資料列",
        "title_en": "Benchmark rows",
        "schema": {
            "fields": [
                {"name": name, "type": kind, **({"index": True} if name in INDEXED else {})}
                for name, kind in FIELDS
            ]
        },
    }


def write_definition(path: Path) -> None:
    """Write `definition()` where `flask datasets define` reads it (JSON is valid YAML)."""
    path.write_text(json.dumps(definition(), ensure_ascii=False), encoding="utf-8")


def sqlite_database(path: Path, source: Path) -> None:
    """The same rows in a SQLite file for Datasette: typed columns, the same indexes, then ANALYZE."""
    types = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "number": "REAL"}
    connection = sqlite3.connect(path)
    try:
        columns = ", ".join(f"[{name}] {types[kind]}" for name, kind in FIELDS)
        connection.execute(f"CREATE TABLE rows ({columns})")
        placeholders = ", ".join("?" for _ in FIELDS)
        with source.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            connection.executemany(f"INSERT INTO rows VALUES ({placeholders})", reader)  # noqa: S608 - no input
        for name in INDEXED:
            connection.execute(f"CREATE INDEX rows_{name} ON rows ([{name}])")
        connection.execute("ANALYZE")
        connection.commit()
    finally:
        connection.close()


def direct_count(path: Path, field: str, value: str) -> int:
    """COUNT(*) of the rows whose `field` is `value`, asked of the SQLite file directly."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        query = f"SELECT count(*) FROM rows WHERE [{field}] = ?"  # noqa: S608 - a field name of ours
        return int(connection.execute(query, (value,)).fetchone()[0])
    finally:
        connection.close()


def direct_page(path: Path, field: str, value: str, limit: int) -> list[tuple[object, ...]]:
    """The first `limit` matching rows in file order (rowid), asked of the SQLite file directly."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        columns = ", ".join(f"[{name}]" for name, _kind in FIELDS)
        query = f"SELECT {columns} FROM rows WHERE [{field}] = ? ORDER BY rowid LIMIT ?"  # noqa: S608
        return [tuple(row) for row in connection.execute(query, (value, limit))]
    finally:
        connection.close()
