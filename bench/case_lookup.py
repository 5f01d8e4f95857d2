"""The case lookup under load: 20 citizens at once opening their cases with number and password.

What one lookup costs the server as `make run` serves it, with the production password
hash (`feedback/cases/passwords.py`: HMAC-SHA256 pepper, then argon2id as configured,
never lowered here). The product's goal: p99 at most 150 ms with 20 lookups at once.

1. A database of its own: SQLite in a work folder, or with `--database-url` a schema of
   its own in that PostgreSQL database (dropped afterwards). `flask setup` migrates it and
   loads the demo (offices, case types, the office calendar), then `--cases` (20,000)
   cases are opened by intake (`feedback.cases.intake.open_case`) over the last year's
   working days, with the demo's letters (`demo_case_plan.draw_letter`), each with its own
   random password hashed as production hashes it (in a process pool, one per core).
   The plain passwords of `--sample` (2,000) of them are kept for the load.
2. Serves it with `scripts/serve`, what `make run` runs: granian, the default worker
   count (`WEB_CONCURRENCY` unset: 2) and 8 blocking threads a worker.
3. Opens `--sessions` (50) browser sessions (GET of the lookup form: a session cookie and
   its CSRF token each), then checks 50 lookups one at a time: each page is the case's
   status page, headed with its number; a wrong password's page is not.
4. `wrk`, 20 connections on 2 threads: each request a POST of a real number and password
   with one session's cookie and token, rotating over the whole sample; `--warmup`
   seconds, then `--seconds` (30) measured. Every answer's body is checked by the wrk
   script (a case's status page or not); the figures are refused if one lookup failed.
5. Baseline for context: the GET of the lookup form, the same 20 connections
   (`--baseline-seconds`, 10; 0 skips it).

Reports requests/s, p50/p95/p99, errors, the server's processor time per lookup and the
load average; saved as JSON by `bench/record.py` in `bench/results/case_lookup-<time>.json`.
wrk runs on the same machine as the server (nothing is pinned): it takes a little of the
processors the server would have.

    .venv/bin/python bench/case_lookup.py [--cases 20000] [--sample 2000] [--seconds 30]
        [--database-url postgresql://...] [--redis-url redis://...] [--keep]

Limits raised for the run, and why: every lookup comes from 127.0.0.1, and the site's
limit per address (`RATELIMIT_DEFAULT`, 600 a minute per route, which the lookup's POST
counts against) would refuse most of them; it is raised, and the limiter still counts
every request. The lock-out (`feedback/cases/lookup.py`) counts failed lookups only, per
number and per address; every lookup here is right, so it never engages (its counters
are still read on every lookup and cleared on each success, as in production), and a
single failed lookup stops the benchmark. Its limits are not settings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import requests
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
import loadgen  # noqa: E402
import record  # noqa: E402

BIN = Path(sys.executable).parent
LOOKUP = "/cases/lookup"
FOUND_MARKER = 'class="case-summary"'  # the status page's summary list, absent from the lookup form
RATELIMIT_DEFAULT = "100000000 per minute"
CONNECTIONS = 20
THREADS = 2
CHECKED = 50
# A lookup slower than this counts as failed. wrk's default (2 s) would drop the slowest
# answers of a busy machine from the percentiles instead of measuring them.
ANSWER_TIMEOUT = 30
GOAL_P99_MS = 150


def database_for(work: Path, database_url: str | None) -> tuple[str, str | None]:
    """The benchmark's database: a SQLite file, or a fresh schema of the PostgreSQL database given."""
    if not database_url:
        return f"sqlite:///{work / 'site.sqlite3'}", None
    from sqlalchemy import create_engine, text

    from portal.config import normalise_database_url

    url = normalise_database_url(database_url)
    schema = f"bench_case_lookup_{secrets.token_hex(4)}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}", schema


def drop_schema(database_url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    from portal.config import normalise_database_url

    engine = create_engine(normalise_database_url(database_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def site_environment(work: Path, database_url: str, redis_url: str | None) -> dict[str, str]:
    """The site's settings: its own database, instance and keys; the per-address limit raised."""
    env = {
        **os.environ,
        "INSTANCE_PATH": str(work / "instance"),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "CASE_PASSWORD_KEY": secrets.token_urlsafe(48),
        "CASE_DATA_KEYS": "k1:" + secrets.token_urlsafe(48),
        "RATELIMIT_DEFAULT": RATELIMIT_DEFAULT,
        "VENV": str(BIN.parent),
    }
    env.pop("WEB_CONCURRENCY", None)  # the default worker count, as `make run` has it
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["JOBS_QUEUE"] = f"bench-case-lookup-{secrets.token_hex(4)}"
    return env


def hash_passwords(key: str, passwords: list[str]) -> list[str]:
    """Every password hashed as production hashes it, on every core."""
    from feedback.cases.passwords import hash_case_password

    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(partial(hash_case_password, key), passwords, chunksize=100))


def open_cases(env: dict[str, str], count: int, seed: int) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Open `count` cases over the last year by intake; returns every (number, password) and build times."""
    from feedback.cases.calendar import office_calendar
    from feedback.cases.demo_case_plan import TOPICS, draw_letter
    from feedback.cases.demo_cases import demo_days
    from feedback.cases.handling import local_day
    from feedback.cases.intake import CaseDraft, IntakeKeys, PreparedPassword, open_case
    from feedback.cases.numbers import new_case_password
    from portal import create_app
    from portal.db import db, utcnow

    rng = random.Random(seed)
    passwords = [new_case_password() for _ in range(count)]
    started = time.perf_counter()
    hashes = hash_passwords(env["CASE_PASSWORD_KEY"], passwords)
    hashed = time.perf_counter() - started
    print(f"  {count:,} passwords hashed in {hashed:.0f} s", flush=True)
    application = create_app({"CASE_MAIL_BACKGROUND": False}, environ=env)
    keys = IntakeKeys(env["CASE_PASSWORD_KEY"], env["SECRET_KEY"])
    opened: list[tuple[str, str]] = []
    started = time.perf_counter()
    with application.app_context():
        calendar = office_calendar()
        days = demo_days(local_day(utcnow()), calendar)
        if not days:
            raise SystemExit("the office calendar covers none of the last year's days")
        session = db.use_writer_session()
        weights = [topic.weight for topic in TOPICS]
        for index, (password, password_hash) in enumerate(zip(passwords, hashes, strict=True)):
            letter, _slots = draw_letter(rng, rng.choices(TOPICS, weights=weights)[0])
            draft = CaseDraft(
                letter.type_code,
                letter.office,
                letter.channel,
                letter.subject,
                letter.description,
                letter.name,
                letter.email,
                letter.phone,
                letter.address,
                letter.district,
                letter.language,
            )
            case = open_case(
                session,
                draft,
                today=days[index * len(days) // count],
                calendar=calendar,
                keys=keys,
                needs_confirmation=False,
                prepared=PreparedPassword(password, password_hash),
            ).case
            opened.append((case.number, password))
            if index % 500 == 499:
                session.commit()
        session.commit()
    application.extensions["portal.db"].engine.dispose()
    stored = time.perf_counter() - started
    print(f"  {count:,} cases stored in {stored:.0f} s", flush=True)
    return opened, {
        "hash_seconds": round(hashed, 1),
        "store_seconds": round(stored, 1),
        "hash": hashes[0][:31],
    }


def serve(env: dict[str, str], work: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`scripts/serve` as `make run` runs it, on a free port."""
    port = free_port()
    log = work / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT,
            env={**env, "PORT": str(port)},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {log.read_text()[-2000:]}")
        try:
            if requests.get(url + LOOKUP, timeout=10).status_code == 200:
                return process, url
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit("the server did not answer within 600 s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def open_sessions(url: str, count: int) -> list[tuple[str, str]]:
    """`count` browsers that opened the lookup form: each one's session cookie and CSRF token."""
    sessions = []
    for _ in range(count):
        answer = requests.get(url + LOOKUP, timeout=30)
        field = BeautifulSoup(answer.text, "html.parser").select_one('input[name="csrf_token"]')
        cookie = answer.cookies.get("portal_session")
        if field is None or not cookie:
            raise SystemExit(f"the lookup form gave no CSRF token or session cookie ({answer.status_code})")
        sessions.append((f"portal_session={cookie}", str(field["value"])))
    return sessions


def lookup(url: str, session: tuple[str, str], number: str, password: str) -> requests.Response:
    data = {"csrf_token": session[1], "number": number, "password": password}
    headers = {"Cookie": session[0], "Content-Type": "application/x-www-form-urlencoded"}
    return requests.post(url + LOOKUP, data=urlencode(data), headers=headers, timeout=60)


def check_answers(
    url: str, sessions: list[tuple[str, str]], sample: list[tuple[str, str]], rest: str
) -> dict[str, Any]:
    """Lookups one at a time: each right one shows its case; a wrong password's page lacks the marker."""
    timings = []
    for index, (number, password) in enumerate(sample[:CHECKED]):
        started = time.perf_counter()
        answer = lookup(url, sessions[index % len(sessions)], number, password)
        timings.append((time.perf_counter() - started) * 1000)
        heading = BeautifulSoup(answer.text, "html.parser").h1
        if answer.status_code != 200 or FOUND_MARKER not in answer.text or heading is None:
            raise SystemExit(f"{number}: not shown ({answer.status_code}): {answer.text[:400]}")
        if number not in heading.get_text():
            raise SystemExit(f"{number}: the page is headed {heading.get_text(strip=True)!r}")
    wrong = lookup(
        url, sessions[0], rest, "WRONGPW3"
    )  # a case outside the sample: its one failure locks nothing
    if FOUND_MARKER in wrong.text:
        raise SystemExit(
            "a wrong password's page carries the marker of a case's page: the check would mean nothing"
        )
    return {
        "checked": CHECKED,
        "one_at_a_time_ms": {
            "median": round(statistics.median(timings), 1),
            "slowest": round(max(timings), 1),
        },
        "wrong_password_status": wrong.status_code,
    }


def lookup_script(sessions: list[tuple[str, str]], sample: list[tuple[str, str]], counts: Path) -> str:
    """wrk Lua: POST lookups rotating over the sample (each with a session's cookie and token), every body checked."""
    entries = []
    for index, (number, password) in enumerate(sample):
        cookie, token = sessions[index % len(sessions)]
        body = urlencode({"csrf_token": token, "number": number, "password": password})
        entries.append(f"{{{json.dumps(cookie)}, {json.dumps(body)}}}")
    return (
        "local entries = {" + ",\n".join(entries) + "}\n"
        "local threads = {}\n"
        "counter, found, other = 0, 0, 0\n"
        'setup = function(thread) thread:set("offset", #threads * 1009) table.insert(threads, thread) end\n'
        "init = function(args) counter = offset or 0 end\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  local entry = entries[(counter % #entries) + 1]\n"
        '  local headers = {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = entry[1]}\n'
        f'  return wrk.format("POST", "{LOOKUP}", headers, entry[2])\n'
        "end\n"
        "response = function(status, headers, body)\n"
        f"  if status == 200 and string.find(body, {json.dumps(FOUND_MARKER)}, 1, true) then found = found + 1\n"
        "  else other = other + 1 end\n"
        "end\n" + loadgen.REPORT_LUA + "local report = done\n"
        "done = function(summary, latency, requests)\n"
        "  local shown, failed = 0, 0\n"
        '  for _, thread in ipairs(threads) do shown = shown + thread:get("found") failed = failed + thread:get("other") end\n'
        f'  local out = io.open({json.dumps(str(counts))}, "w")\n'
        '  out:write(string.format("{\\"found\\": %d, \\"other\\": %d}", shown, failed))\n'
        "  out:close()\n"
        "  report(summary, latency, requests)\n"
        "end\n"
    )


def form_script() -> str:
    """wrk Lua: the GET of the lookup form (the baseline)."""
    return f'request = function() return wrk.format("GET", "{LOOKUP}") end\n' + loadgen.REPORT_LUA


def measure(
    label: str, process: subprocess.Popen[bytes], url: str, script: str, work: Path, seconds: int
) -> dict[str, Any]:
    """One wrk run of 20 connections with the server's processor time per request."""
    tree = loadgen.process_tree(process.pid)
    before = loadgen.cpu_seconds(tree)
    figures: dict[str, Any] = loadgen.run_wrk(
        url, script, work, seconds=seconds, connections=CONNECTIONS, threads=THREADS, timeout=ANSWER_TIMEOUT
    )
    used = loadgen.cpu_seconds(tree) - before
    figures["server_cpu_ms_per_request"] = round(used * 1000 / max(figures["requests"], 1), 2)
    figures["load_average"] = list(os.getloadavg())
    errors = figures["errors"] + figures["non_2xx"]
    print(
        f"{label:<24} {figures['rps']:>7.1f} req/s  p50 {figures['p50']:6.1f}  p95 {figures['p95']:6.1f}  "
        f"p99 {figures['p99']:6.1f} ms  errors {errors:.0f}  server {figures['server_cpu_ms_per_request']:.1f} ms/req",
        flush=True,
    )
    return {"run": label, "seconds": seconds, **figures}


def load_lookups(
    process: subprocess.Popen[bytes],
    url: str,
    script: str,
    counts: Path,
    work: Path,
    seconds: int,
    label: str,
) -> dict[str, Any]:
    """A lookup run whose every answer showed a case, or the end of the benchmark."""
    figures = measure(label, process, url, script, work, seconds)
    shown = json.loads(counts.read_text())
    figures["answers_showing_the_case"] = shown["found"]
    figures["answers_not_showing_it"] = shown["other"]
    if shown["other"] or figures["errors"] or figures["non_2xx"]:
        raise SystemExit(
            f"{label}: {shown['other']} lookups did not show their case, {figures['errors']:.0f} errors"
        )
    return figures


def build(
    work: Path, env: dict[str, str], cases: int, sample_size: int
) -> tuple[list[tuple[str, str]], str, dict[str, Any]]:
    """Migrate, load the demo, open the cases; returns the sample, one case outside it, and build facts."""
    started = time.perf_counter()
    flask = [str(BIN / "flask"), "--app", "portal", "setup"]
    subprocess.run(flask, cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"  migrated and demo loaded in {time.perf_counter() - started:.0f} s", flush=True)
    opened, facts = open_cases(env, cases, seed=2026)
    rng = random.Random(11)
    chosen = rng.sample(range(len(opened)), sample_size + 1)
    sample = [opened[index] for index in chosen[:-1]]
    facts["cases"] = cases
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    if env["DATABASE_URL"].startswith("sqlite") and database.exists():
        facts["sqlite_mb"] = round(database.stat().st_size / 1e6, 1)
    return sample, opened[chosen[-1]][0], facts


def run(work: Path, arguments: argparse.Namespace) -> None:
    from feedback.cases.passwords import MEMORY_KIB, TIME_COST

    database_url, schema = database_for(work, arguments.database_url)
    try:
        env = site_environment(work, database_url, arguments.redis_url)
        print(f"building {arguments.cases:,} cases with the production password hash ...", flush=True)
        sample, outside, facts = build(work, env, arguments.cases, arguments.sample)
        process, url = serve(env, work)
        try:
            sessions = open_sessions(url, arguments.sessions)
            checked = check_answers(url, sessions, sample, outside)
            print(
                f"{CHECKED} lookups checked one at a time: each shows its case ({checked['one_at_a_time_ms']})"
            )
            counts = work / "counts.json"
            script = lookup_script(sessions, sample, counts)
            runs = []
            if arguments.warmup:
                load_lookups(process, url, script, counts, work, arguments.warmup, "warm-up (not kept)")
            runs.append(load_lookups(process, url, script, counts, work, arguments.seconds, "lookups (POST)"))
            if arguments.baseline_seconds:
                runs.append(
                    measure(
                        "form (GET), baseline", process, url, form_script(), work, arguments.baseline_seconds
                    )
                )
        finally:
            stop(process)
    finally:
        if schema and not arguments.keep:
            drop_schema(arguments.database_url, schema)
    lookups = runs[0]
    met = lookups["p99"] <= GOAL_P99_MS
    # With 20 lookups always in flight, each one waits for the others' processor time: the
    # mean answer cannot be faster than 20 x (processor time per lookup) / cores.
    bound = CONNECTIONS * lookups["server_cpu_ms_per_request"] / (os.cpu_count() or 1)
    summary = {
        "lookups_per_second": lookups["rps"],
        "p50_ms": lookups["p50"],
        "p95_ms": lookups["p95"],
        "p99_ms": lookups["p99"],
        "answers_showing_the_case": f"{lookups['answers_showing_the_case']}/{lookups['requests']:.0f}",
        "goal_p99_at_most_150_ms": met,
        "server_cpu_ms_per_lookup": lookups["server_cpu_ms_per_request"],
        "mean_latency_floor_ms": round(bound, 1),
    }
    print(
        f"goal p99 <= {GOAL_P99_MS} ms with 20 lookups at once and the production hash: "
        f"{'met' if met else 'NOT met'} (p99 {lookups['p99']:.1f} ms)"
    )
    print(
        f"floor at saturation: {CONNECTIONS} in flight x {lookups['server_cpu_ms_per_request']:.1f} ms of processor "
        f"time per lookup / {os.cpu_count()} cores = {bound:.0f} ms mean, however the work is scheduled"
    )
    print(
        f"limits raised for the run: RATELIMIT_DEFAULT={RATELIMIT_DEFAULT}; the lock-out never engaged (no lookup failed)"
    )
    settings = {
        "database": "postgresql (own schema)" if schema else "sqlite",
        "redis": bool(arguments.redis_url),
        "build": facts,
        "sample": arguments.sample,
        "sessions": arguments.sessions,
        "wrk": f"{CONNECTIONS} connections, {THREADS} threads, not pinned (shares the machine with the server)",
        "warmup_seconds": arguments.warmup,
        "seconds": arguments.seconds,
        "server": "scripts/serve as make run runs it: granian, WEB_CONCURRENCY unset (2 workers), 8 blocking threads",
        "password_hash": {
            "argon2": {"type": "id", "time_cost": TIME_COST, "memory_kib": MEMORY_KIB},
            "stored_prefix": facts.pop("hash"),
            "argon2-cffi": package_version("argon2-cffi"),
            "argon2-cffi-bindings": package_version("argon2-cffi-bindings"),
        },
        "limits_raised": {
            "RATELIMIT_DEFAULT": RATELIMIT_DEFAULT,
            "why": "every lookup comes from 127.0.0.1; the limiter still counts each request",
            "lockout": "counts failed lookups only (not a setting); every lookup was right, so it never engaged",
        },
        "checked": checked,
        "goal": f"p99 <= {GOAL_P99_MS} ms",
        "cores": os.cpu_count(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    record.save("case_lookup", settings, runs, summary)


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000, help="cases in the database")
    parser.add_argument("--sample", type=int, default=2_000, help="cases whose passwords the load uses")
    parser.add_argument("--sessions", type=int, default=50, help="browser sessions the load rotates over")
    parser.add_argument("--seconds", type=int, default=30, help="length of the measured run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before it (0: none)")
    parser.add_argument("--baseline-seconds", type=int, default=10, help="the GET of the form (0: skip)")
    parser.add_argument("--database-url", help="a PostgreSQL database to build a schema in (default SQLite)")
    parser.add_argument("--redis-url", help="Redis for the site's counters (default: in each worker)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (and the schema)")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    if arguments.sample >= arguments.cases:
        raise SystemExit("--sample must be smaller than --cases")
    work = Path(tempfile.mkdtemp(prefix="bench-case-lookup-"))
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()}; work folder: {work}", flush=True)
    try:
        run(work, arguments)
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
