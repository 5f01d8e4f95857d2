"""The rows API against Datasette as a user comparing the two would see them, measured in one run.

Headline (first): one process each, our page cache off, a filter rotating over 500 values.

1. Writes 200,000 rows of 13 columns (`bench/rows_data.py`, not the site's own
   generators) with `route`, a field of 500 values each matching about 400 rows
   scattered over the table, and `district`; both are indexed on both sides.
2. Ours: `flask datasets publish` into an instance of its own (SQLite), then
   `scripts/serve` (what `make run` runs) with `WEB_CONCURRENCY=1` and
   `API_PAGE_CACHE_MB=0`: one granian worker, rendered pages never kept.
3. Datasette 0.65 (in `bench/.datasette-venv`, never in the project's environment) on
   the same rows in a SQLite file: opened immutable (`-i`) with its row counts from
   `datasette inspect` (`--inspect-file`), facets and facet suggestions off, one SQL
   thread (faster than its default three on one core here), and asked with
   `_nocount=1&_nofacet=1&_nosuggest=1`: no count, which ours always gives.
4. `wrk` (8 connections, 2 threads) asks `?route=<value>&limit=50` of each, rotating
   over all 500 values; `--runs` runs of `--seconds` each, ours and Datasette taking
   turns, after a warm-up pass over every value. Each server's processes (every thread)
   are kept on processor 0 and wrk on processor 1, so that the load tool never takes the
   server's core (`--no-pin` shares both). Reports requests/s, p50/p95/p99, errors and
   the server's processor time per request.
5. Checks a sample of answers: our `total` equals a COUNT asked of the SQLite file
   directly, and both servers' 50 rows equal the first 50 matching rows in file order.

Then "as served": ours as `make run` serves it by default (2 workers, page cache on),
not pinned, on the same rotating URLs, against the headline Datasette figures.
Figures are printed and saved as JSON by `bench/record.py`.

    .venv/bin/python bench/api_rows.py [--seconds 15] [--runs 3] [--rows 200000] [--no-pin] [--keep]

The site's rate limit is raised for the run (`RATELIMIT_DEFAULT`): the point is the
throughput, not the limiter's refusals (the limiter still counts every request).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadgen  # noqa: E402
import record  # noqa: E402
import rows_data  # noqa: E402

BIN = Path(sys.executable).parent
DATASETTE_VENV = ROOT / "bench" / ".datasette-venv"
DATASETTE_VERSION = "0.65.5"
DATASETTE_SETTINGS = {"suggest_facets": "off", "allow_facet": "off", "num_sql_threads": "1"}
OURS_PATH = "/api/v1/datasets/bench-rows/rows?limit=50&route="
THEIRS_PATH = "/bench/rows.json?_size=50&_nocount=1&_nofacet=1&_nosuggest=1&_shape=objects&route="
SERVER_CPUS = {0}
LOAD_CPUS = {1}
CHECKED_VALUES = 12


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own http URL
        return json.load(response)


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch_json(url)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def publish(folder: Path, rows: int) -> dict[str, str]:
    """Write the rows, publish them as dataset `bench-rows`; returns the site's environment."""
    rows_data.write_rows(folder / "rows.csv", rows)
    rows_data.write_definition(folder / "bench.yaml")
    env = {
        **os.environ,
        "INSTANCE_PATH": str(folder / "instance"),
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "RATELIMIT_DEFAULT": "100000000 per minute",
        "VENV": str(BIN.parent),
    }
    env.pop("REDIS_URL", None)
    flask = [str(BIN / "flask"), "--app", "portal"]
    for step in (["db", "upgrade"], ["datasets", "define", str(folder / "bench.yaml")]):
        subprocess.run([*flask, *step], cwd=ROOT, env=env, check=True, capture_output=True)
    command = [*flask, "datasets", "publish", "bench-rows", str(folder / "rows.csv")]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def datasette_binary() -> Path:
    """Datasette in the benchmark's own virtual environment (created on first use).

    With uvicorn's "standard" extras: uvicorn then parses HTTP with httptools and runs
    on uvloop, which its documentation recommends for speed (without them it parses in
    pure Python with h11).
    """
    binary = DATASETTE_VENV / "bin" / "datasette"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
    python = str(DATASETTE_VENV / "bin" / "python")
    missing = subprocess.run([python, "-c", "import datasette, httptools, uvloop"], capture_output=True)
    if missing.returncode != 0:
        packages = [f"datasette=={DATASETTE_VERSION}", "uvicorn[standard]"]
        subprocess.run([python, "-m", "pip", "install", "-q", *packages], check=True)
    return binary


def baseline_packages() -> dict[str, str]:
    """Versions of what serves Datasette, from its own environment."""
    pip = [str(DATASETTE_VENV / "bin" / "python"), "-m", "pip", "list", "--format", "json"]
    listed = json.loads(subprocess.run(pip, capture_output=True, text=True, check=True).stdout)
    wanted = {"datasette", "uvicorn", "httptools", "uvloop", "h11"}
    return {item["name"]: item["version"] for item in listed if item["name"].lower() in wanted}


def serve_datasette(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Datasette on the same rows, immutable, with precomputed counts; returns it and its URL."""
    database = folder / "bench.db"
    rows_data.sqlite_database(database, folder / "rows.csv")
    binary = datasette_binary()
    counts = folder / "counts.json"
    subprocess.run([str(binary), "inspect", str(database), "--inspect-file", str(counts)], check=True)
    port = free_port()
    settings = [part for name, value in DATASETTE_SETTINGS.items() for part in ("--setting", name, value)]
    command = [str(binary), "serve", "-i", str(database), "--inspect-file", str(counts), "--port", str(port)]
    process = start([*command, *settings], dict(os.environ), folder / "datasette.log")
    url = f"http://127.0.0.1:{port}"
    wait_for(url + THEIRS_PATH + rows_data.ROUTES[0], 120)
    return process, url


def serve_ours(env: dict[str, str], folder: Path, *, headline: bool) -> tuple[subprocess.Popen[bytes], str]:
    """The site as `make run` serves it; for the headline with one worker and no page cache."""
    port = free_port()
    settings = {"WEB_CONCURRENCY": "1", "API_PAGE_CACHE_MB": "0"} if headline else {}
    name = "headline" if headline else "served"
    process = start(
        [str(ROOT / "scripts" / "serve")], {**env, "PORT": str(port), **settings}, folder / f"{name}.log"
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url + OURS_PATH + rows_data.ROUTES[0], 600)
    return process, url


def check_answers(ours: str, theirs: str, database: Path) -> dict[str, Any]:
    """Compare a sample of answers with the SQLite file itself; stops the run on any difference."""
    names = [name for name, _kind in rows_data.FIELDS]
    sample = random.Random(7).sample(rows_data.ROUTES, CHECKED_VALUES)
    totals = {}
    for value in sample:
        expected = [list(row) for row in rows_data.direct_page(database, "route", value, 50)]
        count = rows_data.direct_count(database, "route", value)
        mine = fetch_json(ours + OURS_PATH + quote(value))
        their = fetch_json(theirs + THEIRS_PATH + quote(value))
        if mine["total"] != count:
            raise SystemExit(f"route={value}: our total {mine['total']} but COUNT says {count}")
        if [[row[name] for name in names] for row in mine["rows"]] != expected:
            raise SystemExit(f"route={value}: our rows differ from the file's first 50")
        if [[row[name] for name in names] for row in their["rows"]] != expected:
            raise SystemExit(f"route={value}: Datasette's rows differ from the file's first 50")
        totals[value] = count
    return {"values_checked": sample, "totals": totals}


def measure(
    label: str, process: subprocess.Popen[bytes], url: str, path: str, work: Path, seconds: int, pinned: bool
) -> dict[str, Any]:
    """One load run against a running server, with its processor time per request."""
    script = loadgen.rotating_script(path, rows_data.ROUTES)
    tree = loadgen.process_tree(process.pid)
    before = loadgen.cpu_seconds(tree)
    figures = loadgen.run_wrk(url, script, work, seconds=seconds, cpus=LOAD_CPUS if pinned else None)
    used = loadgen.cpu_seconds(tree) - before
    figures["server_cpu_ms_per_request"] = round(used * 1000 / max(figures["requests"], 1), 3)
    figures["load_average"] = list(os.getloadavg())
    print(describe(label, figures), flush=True)
    return {"server": label, **figures}


def warm(url: str, path: str, work: Path, pinned: bool) -> dict[str, float]:
    """One pass over every value, timed (nothing is cached yet), then a short load.

    Returns the median and slowest first answer in ms: for ours an exact count and the page.
    """
    timings = []
    for value in rows_data.ROUTES:
        started = time.perf_counter()
        fetch_json(url + path + quote(value))
        timings.append((time.perf_counter() - started) * 1000)
    script = loadgen.rotating_script(path, rows_data.ROUTES)
    loadgen.run_wrk(url, script, work, seconds=3, cpus=LOAD_CPUS if pinned else None)
    return {"median_ms": round(statistics.median(timings), 2), "slowest_ms": round(max(timings), 2)}


def describe(name: str, figures: dict[str, Any]) -> str:
    errors = figures["errors"] + figures["non_2xx"]
    return (
        f"{name:<26} {figures['rps']:>8.1f} req/s  p50 {figures['p50']:6.1f}  p95 {figures['p95']:6.1f}  "
        f"p99 {figures['p99']:6.1f} ms  errors {errors:.0f}  server {figures['server_cpu_ms_per_request']:.2f} ms/req"
    )


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Ratios per run and the ranges of each table's figures, against the targets."""
    theirs = [run for run in runs if run["server"] == "Datasette"]
    summary: dict[str, Any] = {}
    for label in ("ours, headline", "ours, as served"):
        mine = [run for run in runs if run["server"] == label]
        ratios = [round(a["rps"] / b["rps"], 2) for a, b in zip(mine, theirs, strict=True)]
        summary[label] = {
            "rps": [run["rps"] for run in mine],
            "p99_ms": [run["p99"] for run in mine],
            "ratio_to_datasette": ratios,
            "errors": sum(run["errors"] + run["non_2xx"] for run in mine),
        }
    summary["Datasette"] = {"rps": [run["rps"] for run in theirs], "p99_ms": [run["p99"] for run in theirs]}
    headline = summary["ours, headline"]
    summary["targets_met"] = {
        "ratio_at_least_3": min(headline["ratio_to_datasette"]) >= 3,
        "p99_at_most_50_ms": max(headline["p99_ms"]) <= 50,
    }
    summary["median_ratio"] = statistics.median(headline["ratio_to_datasette"])
    return summary


def compare(work: Path, rows: int, seconds: int, count: int, pinned: bool) -> None:
    folder = work / f"rows-{rows}"
    folder.mkdir()
    print(f"publishing {rows:,} rows ...", flush=True)
    env = publish(folder, rows)
    print("loading the same rows for Datasette ...", flush=True)
    datasette, theirs = serve_datasette(folder)
    runs: list[dict[str, Any]] = []
    try:
        ours_process, ours = serve_ours(env, folder, headline=True)
        try:
            checked = check_answers(ours, theirs, folder / "bench.db")
            print(
                f"answers checked for {CHECKED_VALUES} values: totals and rows agree with the file",
                flush=True,
            )
            for process in (ours_process, datasette):
                if pinned:
                    loadgen.pin(loadgen.process_tree(process.pid), SERVER_CPUS)
            first_asks = {"ours": warm(ours, OURS_PATH, work, pinned)}
            first_asks["Datasette"] = warm(theirs, THEIRS_PATH, work, pinned)
            print(f"first ask of each value, one at a time (nothing cached): {first_asks}", flush=True)
            for _run in range(count):
                runs.append(measure("ours, headline", ours_process, ours, OURS_PATH, work, seconds, pinned))
                runs.append(measure("Datasette", datasette, theirs, THEIRS_PATH, work, seconds, pinned))
        finally:
            stop(ours_process)
        served_process, served = serve_ours(env, folder, headline=False)
        try:
            warm(served, OURS_PATH, work, False)
            for _run in range(count):
                runs.append(
                    measure("ours, as served", served_process, served, OURS_PATH, work, seconds, False)
                )
        finally:
            stop(served_process)
    finally:
        stop(datasette)
    summary = summarise(runs)
    report(summary)
    settings = {
        "rows": rows,
        "filter": f"route, {len(rows_data.ROUTES)} values rotating",
        "seconds": seconds,
        "runs": count,
        "wrk": "8 connections, 2 threads",
        "pinned": {"servers": sorted(SERVER_CPUS), "wrk": sorted(LOAD_CPUS)} if pinned else None,
        "ours_headline": "scripts/serve, WEB_CONCURRENCY=1, API_PAGE_CACHE_MB=0",
        "ours_as_served": "scripts/serve defaults (2 workers, page cache on), not pinned",
        "datasette": {
            "version": DATASETTE_VERSION,
            "settings": DATASETTE_SETTINGS,
            "immutable": True,
            "packages": baseline_packages(),
        },
        "checked": checked,
        "first_asks": first_asks,
    }
    record.save("api_rows", settings, runs, summary)


def report(summary: dict[str, Any]) -> None:
    for label in ("ours, headline", "ours, as served"):
        figures = summary[label]
        print(
            f"{label}: ratio to Datasette {', '.join(f'{ratio:.2f}x' for ratio in figures['ratio_to_datasette'])}; "
            f"p99 {', '.join(f'{p99:.1f}' for p99 in figures['p99_ms'])} ms; errors {figures['errors']:.0f}"
        )
    met = summary["targets_met"]
    print(
        f"headline targets: at least 3x Datasette {'met' if met['ratio_at_least_3'] else 'NOT met'}; "
        f"p99 at most 50 ms {'met' if met['p99_at_most_50_ms'] else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="length of each load run")
    parser.add_argument("--runs", type=int, default=3, help="runs of each server")
    parser.add_argument("--rows", type=int, default=200_000, help="rows in the release")
    parser.add_argument("--no-pin", action="store_true", help="let servers and wrk share every processor")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    pinned = not arguments.no_pin and len(os.sched_getaffinity(0)) >= 2
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()}; work folder: {work}", flush=True)
    try:
        compare(work, arguments.rows, arguments.seconds, arguments.runs, pinned)
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
