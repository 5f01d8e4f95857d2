"""Chinese full-text search on 50,000 documents: p95 latency, correctness, build time and size.

The goal (issue 13): p95 at most 50 ms for one- to four-character Chinese queries, with
and without a type filter, on SQLite and on PostgreSQL.

1. A database of its own: an SQLite file in a work folder, or with `--database-url` a
   database of its own on that PostgreSQL server (dropped afterwards), migrated to head.
2. `--documents` (50,000) documents from `bench/search_corpus/generate.py` are indexed
   as `flask search reindex` indexes (`search.rebuild.reindex`, one source, 500
   documents a batch, one transaction): the build time (and, apart, the time the
   tokeniser alone takes on the same text) and the index's size (SQLite: the file's
   growth; PostgreSQL: the tables and indexes).
3. Every query of `bench/search_corpus/queries.py` is checked once: the total must equal
   the substring scan's count (capped as the search caps it) and the first page must be
   the scan's first ten in the tiered order (titles first, newest first in each).
4. Each query runs `--repeats` (20) times without a filter and with a type filter
   (`news`, about 30% of documents), one client; each timing covers `search()` whole:
   parsing, the database, loading ten rows and building highlighted snippets.

Reports p50 / p95 / max per query length, with and without the filter, and saves JSON
in `bench/results/search-<time>.json` (`bench/record.py`).

    .venv/bin/python bench/search.py [--documents 50000] [--repeats 20]
        [--database-url postgresql://...] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
import record  # noqa: E402

from bench.search_corpus.generate import GeneratedDocument, generate  # noqa: E402
from bench.search_corpus.queries import OTHER_QUERIES, QUERIES, QUERIES_BY_LENGTH, scan  # noqa: E402

GOAL_MS = 50.0
FILTER_KIND = "news"


def _database(arguments: argparse.Namespace, work: Path) -> tuple[str, str | None]:
    """The benchmark's database URL, and on PostgreSQL the name of the database made for it."""
    if not arguments.database_url:
        return f"sqlite:///{work / 'search.sqlite3'}", None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from portal.config import normalise_database_url

    base = make_url(normalise_database_url(arguments.database_url))
    name = f"bench_search_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False), name


def _drop_database(arguments: argparse.Namespace, name: str) -> None:
    from sqlalchemy import create_engine, text

    from portal.config import normalise_database_url

    engine = create_engine(normalise_database_url(arguments.database_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _documents(generated: list[GeneratedDocument]) -> list[Any]:
    from search.services import Document

    return [
        Document(
            kind=d.kind,
            source_key=str(d.id),
            language="zh",
            title=d.title,
            body=d.body,
            day=date.fromisoformat(d.day),
            url=f"/bench/{d.id}",
            office_code=d.office,
        )
        for d in generated
    ]


def _size(url: str, schema: str | None, work: Path) -> dict[str, Any]:
    from sqlalchemy import text

    from portal.db import db

    if schema is None:
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return {"database_file_mb": round((work / "search.sqlite3").stat().st_size / 2**20, 1)}
    sizes = {}
    for name in ("search_document", "search_pg_index", "search_pg_index_tsv"):
        value = db.session.execute(
            text("SELECT pg_total_relation_size(to_regclass(:n))"), {"n": name}
        ).scalar()
        sizes[f"{name}_mb"] = round((value or 0) / 2**20, 1)
    return sizes


def _build(app: Any, documents: list[Any], url: str, schema: str | None, work: Path) -> dict[str, Any]:
    """Index the documents as `flask search reindex` does (one source, one transaction)."""
    from search.rebuild import reindex
    from search.sources import Source, register_source
    from search.tokens import tokenise

    started = time.perf_counter()
    for document in documents:
        tokenise(document.title)
        tokenise(document.body)
    tokenising = time.perf_counter() - started
    before = _size(url, schema, work)
    app.extensions["search.sources"] = {}
    register_source(app, Source("bench", lambda: iter(documents), lambda: len(documents)))
    done = [0]
    started = time.perf_counter()

    def progress(count: int) -> None:
        done[0] += count
        if done[0] % 10_000 == 0:
            print(f"  indexed {done[0]} documents in {time.perf_counter() - started:.0f} s", flush=True)

    reindex(progress)
    building = time.perf_counter() - started
    return {
        "build_s": round(building, 1),
        "tokenise_only_s": round(tokenising, 1),
        "before": before,
        "after": _size(url, schema, work),
    }


def _check(generated: list[GeneratedDocument]) -> list[str]:
    from search.backends.base import COUNT_CAP
    from search.services import search

    failures = []
    for query in QUERIES:
        title, body = scan(generated, query)
        results = search(query)
        expected_first = [str(i) for i in (title + body)[:10]]
        if results.total != min(len(title) + len(body), COUNT_CAP):
            failures.append(f"{query}: total {results.total}, scan {len(title) + len(body)}")
        if [r.source_key for r in results.results] != expected_first:
            failures.append(f"{query}: first page differs from the scan's")
    return failures


def _time(query: str, repeats: int, kind: str | None) -> list[float]:
    from portal.db import db
    from search.services import search

    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        search(query, kind=kind)
        timings.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return timings


def _percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def _measure(repeats: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    runs, summary = [], {}
    for length, queries in [*QUERIES_BY_LENGTH.items(), ("other", OTHER_QUERIES)]:
        for kind in (None, FILTER_KIND):
            timings: list[float] = []
            for query in queries:
                measured = _time(query, repeats, kind)
                runs.append({"query": query, "kind": kind, **_percentiles(measured)})
                timings.extend(measured)
            key = f"{length}_chars" + (f"_{kind}" if kind else "")
            summary[key] = _percentiles(timings)
            print(
                f"  {key:<22} p50 {summary[key]['p50_ms']:6.1f}  p95 {summary[key]['p95_ms']:6.1f}"
                f"  max {summary[key]['max_ms']:6.1f} ms",
                flush=True,
            )
    return runs, summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--keep", action="store_true", help="keep the work folder or schema")
    arguments = parser.parse_args()

    from portal import create_app, migrate
    from search.backends import backend_for

    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    url, schema = _database(arguments, work)
    try:
        migrate.upgrade(url)
        app = create_app(
            {"DATABASE_URL": url, "INSTANCE_PATH": str(work / "instance"), "SECRET_KEY": "bench"}, environ={}
        )
        generated = generate(arguments.documents)
        with app.app_context():
            print(f"{arguments.documents} documents on {url.split('?')[0].split('@')[-1]}", flush=True)
            build = _build(app, _documents(generated), url, schema, work)
            backend = backend_for(app)
            print(
                f"  built in {build['build_s']} s (tokenising alone {build['tokenise_only_s']} s); "
                f"size before {build['before']}, after {build['after']}",
                flush=True,
            )
            failures = _check(generated)
            for failure in failures:
                print(f"  WRONG: {failure}", flush=True)
            runs, summary = _measure(arguments.repeats)
        goal_keys = [k for k in summary if k.split("_")[0] in {"1", "2", "3", "4"}]
        worst = max(summary[k]["p95_ms"] for k in goal_keys)
        summary.update(
            build=build,
            backend=backend.name,
            uses_rum=getattr(backend, "uses_rum", None),
            wrong=failures,
            worst_goal_p95_ms=worst,
            goal_met=worst <= GOAL_MS and not failures,
        )
        print(
            f"worst p95 of 1-4 characters: {worst} ms (goal {GOAL_MS}); "
            f"{'correct' if not failures else f'{len(failures)} WRONG'}"
        )
        settings = {
            "documents": arguments.documents,
            "repeats": arguments.repeats,
            "filter_kind": FILTER_KIND,
            "database": "postgresql" if schema else "sqlite",
        }
        record.save(f"search_{settings['database']}", settings, runs, summary)
    finally:
        if schema and not arguments.keep:
            _drop_database(arguments, schema)
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
