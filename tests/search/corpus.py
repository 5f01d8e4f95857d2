"""A small corpus for the backend tests, and the substring scan their matches must equal.

The scan is written apart from the tokeniser: NFKC, casefold and 台→臺 on each field, then
`in`, with English words bounded by anything that is not a letter or digit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from search.services import Document, search


def _document(
    number: int, kind: str, title: str, body: str, day: date, office: str = "KL", **codes: str
) -> Document:
    return Document(
        kind=kind,
        source_key=f"t{number}",
        language="zh",
        title=title,
        body=body,
        day=day,
        url=f"/t/{number}",
        office_code=office,
        **codes,
    )


CORPUS = [
    _document(1, "notice", "停水通知", "大安區明日停水，請儲水備用。", date(2026, 1, 5), theme_code="T1"),
    _document(
        2, "news", "水壓不足改善工程", "本處將於臺北市信義區更換管線，停水期間約八小時。", date(2026, 2, 1)
    ),
    _document(
        3, "faq", "如何用APP繳費", "下載ＡＰＰ後登入，即可繳納水費。", date(2025, 11, 30), service_code="S2"
    ),
    _document(4, "faq", "繳費方式", "可用 APP 繳費，或到超商繳費。", date(2026, 3, 3), service_code="S2"),
    _document(5, "page", "關於本處", "台北市的自來水由本處供應。", date(2024, 6, 1), office="TP"),
    _document(6, "dataset", "停水紀錄", "欄位：停水日期、地區、原因。", date(2026, 3, 3), theme_code="T1"),
    _document(
        7, "guide", "用戶過戶申請", "應備文件：身分證、水費收據。", date(2023, 1, 1), administration_code="A9"
    ),
    _document(
        8, "news", "水質檢驗結果公布", "本月水質全部合格，詳見開放資料。", date(2026, 4, 1), office="TP"
    ),
    _document(
        9, "disclosure", "預算書", "年度預算：管線汰換 1,200 萬元。Water pipes replacement.", date(2025, 1, 1)
    ),
    _document(10, "notice", "緊急停水", "水管破裂，水水水。", date(2026, 4, 1)),
    _document(11, "page", "Water meter reading", "Meters are read every two months. 抄表", date(2026, 1, 1)),
    _document(12, "news", "12月停水公告", "2026年12月停水範圍如下。", date(2025, 12, 1)),
    _document(13, "faq", "水費", "水", date(2022, 5, 5)),
    _document(14, "notice", "通知", "停、水，通知已寄出 😀", date(2026, 2, 2)),
]

QUERIES = [
    "水",
    "停水",
    "水壓",
    "停水通知",
    "水通",
    "臺北",
    "台北市",
    "APP繳費",
    "ａｐｐ",
    "繳費 超商",
    "水 2026",
    "water",
    "meters",
    "12月",
    "水水",
    "水水水",
    "通知",
    "知",
    "費",
    "檢驗結果",
    "不存在的詞",
]

_WORD = r"[^\W_]"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("台", "臺")


def _cjk(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff"


def _contains(text: str, needle: str) -> bool:
    pattern = re.escape(needle)
    if not _cjk(needle[0]):
        pattern = rf"(?:(?<=[\u3400-\u9fff])|(?<!{_WORD})){pattern}"
    if not _cjk(needle[-1]):
        pattern = rf"{pattern}(?:(?=[\u3400-\u9fff])|(?!{_WORD}))"
    return re.search(pattern, text) is not None


def needles(query: str) -> list[str]:
    """The query's words: split at anything that is neither a letter nor a digit."""
    return [part for part in re.split(r"[\W_]+", _fold(query)) if part]


@dataclass(frozen=True)
class Expected:
    """Which documents the scan finds: those with every word in the title, and the rest."""

    title: list[Document]
    body: list[Document]


def scan(query: str, documents: list[Document] = CORPUS) -> Expected:
    """Every document holding each word of `query` in its title or body; title-only tier apart."""
    words = needles(query)
    title, body = [], []
    for document in documents:
        fields = (_fold(document.title), _fold(document.body))
        if not words or not all(any(_contains(field, word) for field in fields) for word in words):
            continue
        (title if all(_contains(fields[0], word) for word in words) else body).append(document)
    return Expected(title, body)


def newest_first(documents: list[Document], ids: dict[str, int]) -> list[str]:
    """Source keys newest first (the index's id breaks ties, as its rank key does)."""
    return [d.source_key for d in sorted(documents, key=lambda d: (d.day, ids[d.source_key]), reverse=True)]


def all_keys(query: str, **filters: object) -> list[str]:
    """The source keys of every page of results, in order."""
    keys: list[str] = []
    page = 1
    while True:
        results = search(query, page=page, **filters)  # type: ignore[arg-type]
        keys.extend(result.source_key for result in results.results)
        if page >= results.pages:
            return keys
        page += 1
