"""The queries measured, and what each must find by a plain substring scan.

`QUERIES` holds Chinese queries of one to four characters (the latency goal's), a few
longer and mixed ones, and variant and full-width forms. `scan` gives, for a query, the
ids of the documents whose title holds it and of those whose body only does, each newest
first (the order the search promises), comparing NFKC-casefolded text with 台 read as 臺.

    .venv/bin/python bench/search_corpus/queries.py [--count 2000]

prints how many documents of a corpus each query finds.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench.search_corpus.generate import GeneratedDocument, generate

QUERIES_BY_LENGTH: dict[int, tuple[str, ...]] = {
    1: ("水", "費", "區", "颱", "氯", "池"),
    2: ("停水", "水壓", "臺北", "台北", "繳費", "水表", "抄表", "濁度"),
    3: ("自來水", "營業處", "消防栓", "淨水場", "汐止區", "配水池"),
    4: ("水壓不足", "管線汰換", "減免優惠", "智慧水表", "用戶過戶", "開放資料"),
}
OTHER_QUERIES = ("APP繳費", "ａｐｐ繳費", "停水 大安區", "水質檢驗結果", "e-bill", "不存在的詞語")
QUERIES = tuple(q for group in QUERIES_BY_LENGTH.values() for q in group) + OTHER_QUERIES


@cache
def fold(text: str) -> str:
    """NFKC, casefold, and 台 as 臺 (kept: every query scans the same texts)."""
    return unicodedata.normalize("NFKC", text).casefold().replace("台", "臺")


def words(query: str) -> list[str]:
    """The AND-ed parts of a query: split at spaces and at anything neither letter nor digit."""
    parts: list[str] = []
    current = ""
    for character in fold(query):
        if character.isalnum():
            current += character
        elif current:
            parts.append(current)
            current = ""
    return [*parts, current] if current else parts


def scan(documents: list[GeneratedDocument], query: str) -> tuple[list[int], list[int]]:
    """Ids of the title matches and of the body-only matches, each newest first (id breaks ties)."""
    needles = words(query)
    title, body = [], []
    for document in documents:
        folded_title, folded_body = fold(document.title), fold(document.body)
        if not needles or not all(n in folded_title or n in folded_body for n in needles):
            continue
        (title if all(n in folded_title for n in needles) else body).append(document)

    def newest(found: list[GeneratedDocument]) -> list[int]:
        return [d.id for d in sorted(found, key=lambda d: (d.day, d.id), reverse=True)]

    return newest(title), newest(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    arguments = parser.parse_args()
    documents = generate(arguments.count)
    for query in QUERIES:
        title, body = scan(documents, query)
        print(f"{query}\t{len(title)} in titles\t{len(body)} in bodies only")


if __name__ == "__main__":
    main()
