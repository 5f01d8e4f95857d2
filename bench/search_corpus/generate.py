"""Synthetic documents: titles of about 11 characters, bodies of about 300, dates over seven years.

    .venv/bin/python bench/search_corpus/generate.py [--count 20] [--seed 7]

prints a few documents. `generate(count, seed)` gives the same documents for the same seed.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta

KINDS = ("page", "news", "notice", "faq", "guide", "disclosure", "dataset")
KIND_WEIGHTS = (2, 30, 25, 10, 8, 15, 10)
OFFICES = ("KL", "TP", "NT", "YL", "HC")
PLACES = (
    "臺北市",
    "台北市",
    "新北市",
    "基隆市",
    "大安區",
    "信義區",
    "中正區",
    "板橋區",
    "七堵區",
    "暖暖區",
    "汐止區",
    "瑞芳區",
    "萬里區",
    "金山區",
    "仁愛路",
    "忠孝東路",
    "和平東路",
)
SUBJECTS = (
    "停水",
    "降壓",
    "水壓不足",
    "管線汰換",
    "水表更換",
    "水費",
    "水質檢驗",
    "漏水搶修",
    "繳費",
    "用戶過戶",
    "新裝申請",
    "減免優惠",
    "營業處",
    "淨水場",
    "配水池",
    "消防栓",
    "自來水",
    "APP繳費",
    "ＡＰＰ繳費",
    "e-Bill",
    "智慧水表",
    "抄表",
    "水壓",
    "濁度",
    "餘氯",
)
TITLE_FORMS = (
    "{place}{subject}公告",
    "{subject}說明",
    "{place}{subject}通知",
    "{subject}常見問題",
    "{year}年{subject}統計",
    "{subject}申辦須知",
    "關於{subject}",
)
SENTENCES = (
    "本處{office}營業處訂於{month}月{day}日辦理{subject}作業。",
    "{place}部分地區將於上午九時至下午五時{subject}，請用戶事先儲水。",
    "如有疑問請洽客服專線，或至{place}服務所洽詢。",
    "用戶可使用{subject}服務，免臨櫃即可完成申辦。",
    "依據自來水法規定，{subject}相關費用由用戶負擔。",
    "本次工程完成後，{place}供水將更加穩定。",
    "水質檢驗結果均符合飲用水水質標準。",
    "颱風期間如遇停電，高樓用戶可能出現水壓偏低情形。",
    "申請時請備妥身分證明文件及最近一期水費收據。",
    "相關資料已於開放資料平臺公開，歡迎下載使用。",
    "{year}年度預算編列{amount}萬元辦理{subject}。",
    "民眾可透過網路、電話或臨櫃方式查詢{subject}進度。",
)
FIRST_DAY = date(2020, 1, 1)
DAYS = 7 * 365


@dataclass(frozen=True)
class GeneratedDocument:
    """One document of the corpus."""

    id: int
    kind: str
    title: str
    body: str
    day: str  # ISO date
    office: str


def _fill(form: str, rng: random.Random) -> str:
    return form.format(
        place=rng.choice(PLACES),
        subject=rng.choice(SUBJECTS),
        office=rng.choice(("基隆", "臺北", "台北", "新北", "汐止")),
        month=rng.randint(1, 12),
        day=rng.randint(1, 28),
        year=rng.randint(2020, 2026),
        amount=rng.randint(10, 5000),
    )


def _body(rng: random.Random, length: int = 300) -> str:
    parts: list[str] = []
    while sum(len(part) for part in parts) < length:
        parts.append(_fill(rng.choice(SENTENCES), rng))
    return "".join(parts)


def generate(count: int, seed: int = 7) -> list[GeneratedDocument]:
    """`count` documents, the same for the same seed."""
    rng = random.Random(seed)
    documents = []
    for number in range(1, count + 1):
        documents.append(
            GeneratedDocument(
                id=number,
                kind=rng.choices(KINDS, KIND_WEIGHTS)[0],
                title=_fill(rng.choice(TITLE_FORMS), rng),
                body=_body(rng),
                day=(FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat(),
                office=rng.choice(OFFICES),
            )
        )
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    for document in generate(arguments.count, arguments.seed):
        print(json.dumps(asdict(document), ensure_ascii=False))


if __name__ == "__main__":
    main()
