"""The rows API under load, against Datasette serving the same rows, measured in the same run.

1. Writes a 200,000-row, 12-column CSV (the same generator as `publish_pipeline.py`),
   publishes it with `flask datasets publish` into an instance of its own (SQLite), with
   `district` declared as indexed, and starts the site with `scripts/serve` (what
   `make run` runs: gunicorn, 2 workers, access log on).
2. Loads the same rows into a SQLite file with an index on `district` and serves it with
   Datasette 0.65, installed in a virtual environment of the benchmark's own
   (`bench/.datasette-venv`, never in the project's).
3. Loads both with `wrk` (16 connections, 2 threads) on the same filtered 50-row page:
   ours `GET /api/v1/datasets/bench-rows/rows?district=…&limit=50` (with the exact total),
   Datasette's `GET /bench/rows.json?district=…&_size=50&_nocount=1&_nofacet=1&_nosuggest=1`
   (without a count, and without the facet suggestions Datasette would otherwise
   compute for every answer: they cost it about 0.8 s a request here, and a baseline
   slowed by work it can be told to skip would flatter us).
   Ours runs twice: as served (rendered pages kept per worker, `API_PAGE_CACHE_MB`) and
   with that cache off, so every request filters, counts (cached total) and renders.
   Prints requests/s, p50/p95/p99 latency and our ratio (target: at least 1.5x, p99 at
   most 50 ms).
4. With `--million`, publishes 1,000,000 rows, times the first ask of every district
   on a fresh server (exact count and page, nothing cached yet), then loads an indexed
   filter that rotates over every district value, again with the page cache on and off
   (target: p95 at most 30 ms).

    .venv/bin/python bench/api_rows.py [--seconds 15] [--million] [--keep]

Needs `wrk` (Debian package `wrk`). The site's rate limit is raised for the run
(`RATELIMIT_DEFAULT`), since the point is to measure throughput, not the limiter's refusals.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from publish_pipeline import DISTRICTS, write_source  # noqa: E402

BIN = Path(sys.executable).parent
DATASETTE_VENV = ROOT / "bench" / ".datasette-venv"
DATASETTE_VERSION = "0.65.5"
FIELDS = [
    ("case_no", "string"),
    ("office", "string"),
    ("received", "date"),
    ("district", "string"),
    ("kind", "string"),
    ("state", "string"),
    ("days", "integer"),
    ("amount", "number"),
    ("meter_reading", "integer"),
    ("postal_code", "string"),
    ("account_no", "string"),
    ("note", "string"),
]
FILTER_VALUE = "信義區"
PERCENTILES_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("requests %d\\n", summary.requests))
  io.write(string.format("errors %d\\n", summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
  for _, p in pairs({50, 95, 99}) do
    io.write(string.format("p%d %.3f\\n", p, latency:percentile(p) / 1000.0))
  end
end
"""
ROTATE_LUA = """
local values = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "%s" .. values[(counter %% #values) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own http URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def publish(folder: Path, rows: int) -> dict[str, str]:
    """Publish `rows` rows as dataset `bench-rows`; returns the site's environment."""
    source = folder / "rows.csv"
    write_source(source, rows)
    env = {
        **os.environ,
        "INSTANCE_PATH": str(folder / "instance"),
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "RATELIMIT_DEFAULT": "100000000 per minute",
    }
    env.pop("REDIS_URL", None)
    flask = [str(BIN / "flask"), "--app", "portal"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    definition = {
        "name": "bench-rows",
        "title": "效能測試資料列",
        "title_en": "Benchmark rows",
        "schema": {
            "fields": [
                {"name": name, "type": kind, **({"index": True} if name == "district" else {})}
                for name, kind in FIELDS
            ]
        },
    }
    path = folder / "bench.yaml"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    subprocess.run(
        [*flask, "datasets", "define", str(path)], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run(
        [*flask, "datasets", "publish", "bench-rows", str(source)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def datasette_database(folder: Path, source: Path) -> Path:
    """The same rows in a SQLite file for Datasette, with `district` indexed."""
    path = folder / "bench.db"
    connection = sqlite3.connect(path)
    types = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "number": "REAL"}
    columns = ", ".join(f"[{name}] {types[kind]}" for name, kind in FIELDS)
    connection.execute(f"CREATE TABLE rows ({columns})")
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        placeholders = ", ".join("?" for _ in FIELDS)
        connection.executemany(f"INSERT INTO rows VALUES ({placeholders})", reader)  # noqa: S608 - no input
    connection.execute("CREATE INDEX rows_district ON rows (district)")
    connection.commit()
    connection.close()
    return path


def datasette_binary() -> Path:
    """Datasette in the benchmark's own virtual environment (created on first use)."""
    binary = DATASETTE_VENV / "bin" / "datasette"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        subprocess.run(
            [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", f"datasette=={DATASETTE_VERSION}"],
            check=True,
        )
    return binary


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def load(url: str, seconds: int, work: Path, script: str = "") -> dict[str, float]:
    """Run wrk on `url`; returns requests/s, latency percentiles (ms) and errors."""
    lua = work / "report.lua"
    lua.write_text(script + PERCENTILES_LUA, encoding="utf-8")
    result = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", str(lua), url],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout
    figures = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),  # type: ignore[union-attr]
        "errors": float(re.search(r"^errors (\d+)", text, re.M).group(1)),  # type: ignore[union-attr]
    }
    for percentile in (50, 95, 99):
        figures[f"p{percentile}"] = float(re.search(rf"^p{percentile} ([\d.]+)", text, re.M).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    figures["non_2xx"] = float(non_2xx.group(1)) if non_2xx else 0.0
    return figures


def check_answers(ours: str, theirs: str) -> int:
    """Both servers give the same 50 rows; returns our exact total."""
    with urllib.request.urlopen(ours) as response:  # noqa: S310 - our own http URL
        body = json.load(response)
    with urllib.request.urlopen(theirs) as response:  # noqa: S310 - our own http URL
        datasette = json.load(response)
    our_codes = [row["case_no"] for row in body["rows"]]
    their_codes = [row[1] if isinstance(row, list) else row["case_no"] for row in datasette["rows"]]
    if len(our_codes) != 50 or our_codes != their_codes[:50]:
        raise SystemExit("the two servers disagree on the page's rows")
    return int(body["total"])


def describe(name: str, figures: dict[str, float]) -> str:
    return (
        f"{name:<34} {figures['rps']:>9.0f} req/s   p50 {figures['p50']:6.1f} ms   "
        f"p95 {figures['p95']:6.1f} ms   p99 {figures['p99']:6.1f} ms   errors {figures['errors'] + figures['non_2xx']:.0f}"
    )


def serve_site(env: dict[str, str], folder: Path, page_cache: bool) -> tuple[subprocess.Popen[bytes], int]:
    """Start the site as `make run` does; returns the process and its port."""
    port = free_port()
    site = start(
        [str(ROOT / "scripts" / "serve")],
        {
            **env,
            "PORT": str(port),
            "VENV": str(BIN.parent),
            **({} if page_cache else {"API_PAGE_CACHE_MB": "0"}),
        },
        folder / f"site-{'cached' if page_cache else 'uncached'}.log",
    )
    return site, port


def compare(work: Path, seconds: int) -> None:
    folder = work / "rows-200000"
    folder.mkdir()
    print("publishing 200,000 rows ...", flush=True)
    env = publish(folder, 200_000)
    print("loading the same rows for Datasette ...", flush=True)
    database = datasette_database(folder, folder / "rows.csv")
    their_port = free_port()
    datasette = start(
        [str(datasette_binary()), "serve", str(database), "--port", str(their_port)],
        dict(os.environ),
        folder / "datasette.log",
    )
    theirs = (
        f"http://127.0.0.1:{their_port}/bench/rows.json?district={quote(FILTER_VALUE)}"
        "&_size=50&_nocount=1&_nofacet=1&_nosuggest=1&_shape=objects"
    )
    path = f"/api/v1/datasets/bench-rows/rows?district={quote(FILTER_VALUE)}&limit=50"
    try:
        wait_for(theirs, 120)
        results = {}
        for cached in (True, False):
            site, port = serve_site(env, folder, cached)
            try:
                ours = f"http://127.0.0.1:{port}{path}"
                wait_for(ours, 300)
                total = check_answers(ours, theirs)
                load(ours, 3, work)  # warm up
                results[cached] = load(ours, seconds, work)
            finally:
                stop(site)
        print(f"same first 50 rows from both; our exact total: {total:,}", flush=True)
        load(theirs, 3, work)
        baseline = load(theirs, seconds, work)
        print(describe("ours, as served (exact total)", results[True]))
        print(describe("ours, page cache off (exact total)", results[False]))
        print(describe("Datasette 0.65 (no count, no facets)", baseline))
        for cached, label in ((True, "as served"), (False, "page cache off")):
            mine = results[cached]
            print(
                f"{label}: ratio {mine['rps'] / baseline['rps']:.2f}x (target at least 1.5x); "
                f"p99 {mine['p99']:.1f} ms (target at most 50 ms)"
            )
    finally:
        stop(datasette)


def first_answers(urls: list[str]) -> list[float]:
    """Milliseconds each URL takes when asked once, one after another."""
    timings = []
    for url in urls:
        started = time.perf_counter()
        with urllib.request.urlopen(url) as response:  # noqa: S310 - our own http URL
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def million(work: Path, seconds: int) -> None:
    folder = work / "rows-1000000"
    folder.mkdir()
    print("publishing 1,000,000 rows ...", flush=True)
    env = publish(folder, 1_000_000)
    values = ", ".join(json.dumps(quote(value)) for value in DISTRICTS)
    path = "/api/v1/datasets/bench-rows/rows?limit=50&district="
    script = ROTATE_LUA % (values, path)
    for cached, label in ((True, "as served"), (False, "page cache off")):
        site, port = serve_site(env, folder, cached)
        try:
            base = f"http://127.0.0.1:{port}{path}"
            wait_for(f"http://127.0.0.1:{port}/api/v1/datasets?limit=1", 300)
            if cached:
                first = first_answers([base + quote(value) for value in DISTRICTS])
                print(
                    f"1,000,000 rows, first ask of each of {len(DISTRICTS)} districts (exact count, then the page; "
                    f"nothing cached, one at a time): median {statistics.median(first):.1f} ms, "
                    f"slowest {max(first):.1f} ms"
                )
            load(base + quote(FILTER_VALUE), 3, work, script)
            figures = load(base + quote(FILTER_VALUE), seconds, work, script)
            print(describe(f"1,000,000 rows, {label}", figures))
            print(f"{label}: p95 {figures['p95']:.1f} ms (target at most 30 ms)")
        finally:
            stop(site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="length of each load run")
    parser.add_argument("--million", action="store_true", help="also the 1,000,000-row release")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    print(f"cores: {os.cpu_count()}; work folder: {work}", flush=True)
    try:
        compare(work, arguments.seconds)
        if arguments.million:
            million(work, arguments.seconds)
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
