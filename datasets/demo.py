"""Demo datasets of a water utility, each with two releases, generated the same way every time.

- 各服務所受理案件統計: cases by office, month and kind, with the share finished in time;
- 停水紀錄: outages with their time, area, households and cause;
- 陳情案件處理情形: complaints, with names, ID numbers, phones and addresses de-identified;
- 水質檢驗結果: weekly results at each sampling point.

Each is defined by a YAML file in `datasets/demo_definitions/`, read by `load_definition`
as a publisher's own definition would be; the rows are generated here.
"""

from __future__ import annotations

import csv
import random
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from datasets.definition import apply_definition, load_definition
from datasets.models import Dataset, Release
from datasets.publishing import PublishOptions, create_job, publish
from portal.classification.codes import seed_codes
from portal.db import db
from portal.storage import storage_root

OFFICES = (("KL", "基隆服務所"), ("XZ", "汐止營運所"), ("GS", "貢雙營運所"), ("XS", "新山給水廠"))
CASE_KINDS = ("水壓不足", "漏水報修", "水質疑義", "水費疑義", "用水申請")
DISTRICTS = (
    ("基隆市", "中正區"),
    ("基隆市", "信義區"),
    ("基隆市", "仁愛區"),
    ("基隆市", "中山區"),
    ("基隆市", "安樂區"),
    ("基隆市", "暖暖區"),
    ("基隆市", "七堵區"),
    ("新北市", "汐止區"),
    ("新北市", "瑞芳區"),
    ("新北市", "貢寮區"),
    ("新北市", "雙溪區"),
)
SAMPLING_POINTS = (
    ("0101", "新山給水廠出水口", "安樂區"),
    ("0102", "八堵加壓站", "七堵區"),
    ("0103", "基隆火車站", "仁愛區"),
    ("0104", "中正公園", "中正區"),
    ("0105", "信義國小", "信義區"),
    ("0106", "暖暖運動公園", "暖暖區"),
    ("0201", "汐止區公所", "汐止區"),
    ("0202", "汐科火車站", "汐止區"),
    ("0301", "瑞芳車站", "瑞芳區"),
    ("0302", "貢寮淨水場出水口", "貢寮區"),
    ("0303", "雙溪區公所", "雙溪區"),
    ("0304", "福隆海水浴場", "貢寮區"),
)


# The demo datasets' definitions, in the order they are created: YAML files read by
# `load_definition`, as a publisher's own would be.
DEFINITIONS_FOLDER = Path(__file__).resolve().parent / "demo_definitions"
DEMO_DATASETS = ("cases-by-office-month", "outages", "complaints", "water-quality")


SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = "志明美玲淑芬家豪怡君俊傑雅婷建宏佳穎冠宇欣怡宗翰惠如承恩心怡"
ROADS = (
    ("基隆市", "中正區", "中正路"),
    ("基隆市", "信義區", "信二路"),
    ("基隆市", "仁愛區", "愛三路"),
    ("基隆市", "安樂區", "基金一路"),
    ("新北市", "汐止區", "大同路二段"),
    ("新北市", "瑞芳區", "明燈路三段"),
)
COMPLAINT_KINDS = ("水壓不足", "漏水", "水質異味", "水費疑義", "停水未通知", "施工擾民")


def _person(generator: random.Random) -> tuple[str, str, str]:
    """A made-up citizen: name, a valid-looking ID number, a mobile number."""
    from datasets.pii.identifiers import national_id_check_digit

    name = generator.choice(SURNAMES) + generator.choice(GIVEN) + generator.choice(GIVEN)
    prefix = generator.choice("ACFH") + generator.choice("12") + f"{generator.randrange(10**7):07d}"
    national_id = prefix + str(national_id_check_digit(prefix))
    phone = f"09{generator.randrange(10, 90)}-{generator.randrange(1000):03d}-{generator.randrange(1000):03d}"
    return name, national_id, phone


def _complaints(release: int) -> tuple[list[str], list[list[Any]]]:
    generator = random.Random(1999)
    header = [
        "case_no",
        "received_on",
        "applicant",
        "national_id",
        "phone",
        "address",
        "kind",
        "description",
        "days_to_close",
        "satisfied",
    ]
    rows = []
    for number in range(1, 1 + 240 * release):
        name, national_id, phone = _person(generator)
        city, district, road = generator.choice(ROADS)
        address = f"{city}{district}{road}{generator.randrange(1, 300)}號{generator.randrange(1, 12)}樓"
        kind = generator.choice(COMPLAINT_KINDS)
        received = date(2025, 1, 2) + timedelta(days=number // 2)
        description = generator.choice(
            (
                f"陳情人{name}（{phone}）反映住家（{address}）{kind}，請儘速派員處理。",
                f"{name[0]}先生來電表示{kind}，聯絡電話 {phone}。",
                f"用戶反映{kind}，已派員至{district}現場查看並完成處理。",
                f"{name}小姐以電子郵件 user{number}@example.com 陳情{kind}。",
            )
        )
        rows.append(
            [
                f"P{received:%Y%m%d}{number:04d}",
                received.isoformat(),
                name,
                national_id,
                phone,
                address,
                kind,
                description,
                generator.randrange(1, 15),
                "true" if generator.random() < 0.8 else "false",
            ]
        )
    return header, rows


def _months(first: date, count: int) -> Iterator[str]:
    year, month = first.year, first.month
    for _ in range(count):
        yield f"{year:04d}-{month:02d}"
        month += 1
        if month == 13:
            year, month = year + 1, 1


def _cases(release: int) -> tuple[list[str], list[list[Any]]]:
    generator = random.Random(1910)
    header = ["month", "office_code", "office_name", "kind", "received", "in_time", "late"]
    rows: list[list[Any]] = []
    for month in _months(date(2025, 1, 1), 6 * release):
        for code, name in OFFICES:
            for kind in CASE_KINDS:
                received = generator.randint(0, 60 if code != "XS" else 8)
                late = min(received, generator.choice((0, 0, 0, 1, 2)))
                rows.append([month, code, name, kind, received, received - late, late])
    if release == 2:
        rows[3][4] += 2  # a correction of the first release's figures
        rows[3][5] += 2
    return header, rows


def _outages(release: int) -> tuple[list[str], list[list[Any]]]:
    generator = random.Random(2026)
    header = ["outage_id", "starts_at", "ends_at", "city", "district", "households", "cause", "planned"]
    rows = []
    start = datetime(2025, 1, 6, 9, 0)
    for number in range(1, 120 + 30 * release):
        begins = start + timedelta(days=number * 2, hours=generator.randint(0, 12))
        city, district = generator.choice(DISTRICTS)
        planned = generator.random() < 0.7
        cause = (
            generator.choice(("管線汰換工程", "配合道路施工", "設備檢修"))
            if planned
            else generator.choice(("管線破漏搶修", "停電", "原水濁度升高"))
        )
        hours = generator.randint(2, 12) if planned else generator.randint(1, 24)
        rows.append(
            [
                f"O{begins:%Y%m%d}-{number:03d}",
                begins.isoformat(),
                (begins + timedelta(hours=hours)).isoformat(),
                city,
                district,
                generator.randint(20, 9000),
                cause,
                "true" if planned else "false",
            ]
        )
    return header, rows


def _water_quality(release: int) -> tuple[list[str], list[list[Any]]]:
    generator = random.Random(760)
    header = [
        "sample_id",
        "sampled_on",
        "point_code",
        "point_name",
        "district",
        "chlorine",
        "turbidity",
        "ph",
        "coliform",
        "meets_standard",
    ]
    rows = []
    first = date(2025, 1, 7)
    for week in range(26 * release):
        day = first + timedelta(weeks=week)
        for code, name, district in SAMPLING_POINTS:
            chlorine = round(generator.uniform(0.25, 0.9), 2)
            turbidity = round(generator.uniform(0.05, 1.2), 2)
            ph = round(generator.uniform(6.8, 8.2), 1)
            coliform = 0 if generator.random() < 0.97 else generator.randint(1, 3)
            meets = chlorine >= 0.2 and turbidity <= 2 and 6.0 <= ph <= 8.5 and coliform < 6
            rows.append(
                [
                    f"{day:%Y%m%d}-{code}",
                    day.isoformat(),
                    code,
                    name,
                    district,
                    chlorine,
                    turbidity,
                    ph,
                    coliform,
                    "true" if meets else "false",
                ]
            )
    return header, rows


GENERATORS = {
    "cases-by-office-month": _cases,
    "outages": _outages,
    "water-quality": _water_quality,
    "complaints": _complaints,
}


def _publish_release(dataset: Dataset, number: int) -> None:
    header, rows = GENERATORS[dataset.slug](number)
    uploads = storage_root() / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", dir=uploads, suffix=".csv", delete=False, encoding="utf-8", newline=""
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
        path = Path(handle.name)
    notes = (
        ("首次發布示範資料。", "Demo data, first release.")
        if number == 1
        else ("新增下半年資料並更正一筆統計。", "Adds the second half-year and corrects one figure.")
    )
    job = create_job(
        dataset, path, f"{dataset.slug}.csv", PublishOptions(notes_zh=notes[0], notes_en=notes[1]), "demo"
    )
    if publish(job) is None:
        raise RuntimeError(
            f"demo dataset {dataset.slug} release {number} was refused: {job.reason} {job.report}"
        )


def load_demo_datasets() -> list[str]:
    """Create the demo datasets and publish their two releases; idempotent."""
    seed_codes()
    db.session.commit()
    lines = []
    for slug in DEMO_DATASETS:
        dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug))
        if dataset is None:
            dataset, _created = apply_definition(load_definition(DEFINITIONS_FOLDER / f"{slug}.yaml"))
            db.session.commit()
        published = (
            db.session.scalar(select(func.count(Release.id)).where(Release.dataset_id == dataset.id)) or 0
        )
        for number in range(published + 1, 3):
            _publish_release(dataset, number)
        lines.append(f"Demo dataset {dataset.slug}: 2 releases")
    return lines
