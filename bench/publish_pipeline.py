"""Publishing a large CSV end to end, against `frictionless validate` on the same file.

For each width (`--columns`, default 5, 12 and 30) and row count (`--rows`, default
100,000 and 1,000,000) it writes a table of mixed kinds (`bench/publish_tables.py`) and
measures, `--runs` times each, in the same run:

- wall and processor time of `frictionless validate` (the baseline, in its fastest
  configuration measured here: `--baseline`, see below);
- wall and processor time of `flask --app portal datasets publish` on a new dataset in a
  new database (infer the schema, validate, de-identify, scan every published cell, load
  the query store, write CSV, ODS, JSON, PDF and datapackage.json), and the time of each
  of its stages as it prints them;
- their ratio (the target is at most 1.5; 2.0 with `--with-personal-data`);
- peak resident memory of the publishing process and of its whole process tree at one
  moment (the target is under 400 MB, not growing with rows).

Then the streaming ODS writer's rows per second against odfpy's DOM. Figures are printed
and saved as JSON by `bench/record.py` (`bench/results/publish_pipeline-*.json`).

    .venv/bin/python bench/publish_pipeline.py [--columns 5,12,30] [--rows 100000,1000000]
        [--runs 3] [--baseline infer|schema|infer-float|schema-float] [--with-personal-data] [--keep]

Baselines: `infer` lets frictionless infer the schema from its sample; `schema` gives it
the schema publishing infers (`--schema`); the `-float` forms add `--field-float-numbers`
(or `floatNumber` in the schema), which reads numbers as floats instead of decimals.

With `--with-personal-data` the 12-column file holds names, ID numbers, phones, addresses
and free text with phone numbers in it; the dataset's rules mask, drop, generalise and
redact them before the gate scans every published cell.

It uses a database of its own: SQLite in a temporary folder, or the PostgreSQL database
at `BENCH_DATABASE_URL`, whose public schema is emptied before each run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from bench.publish_tables import PERSONAL_FIELDS, write_personal, write_table  # noqa: E402
from bench.record import save  # noqa: E402

BASELINES = ("infer", "schema", "infer-float", "schema-float")
# A stage line as `flask datasets publish` prints it: "  validate     12.34 s, 1,000 rows (80,000 rows/s)".
_STAGE = re.compile(r"^  (\w+)\s+([0-9.]+) s(?:, ([0-9,]+) rows(?: \(([0-9,]+) rows/s\))?)?$", re.MULTILINE)


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


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> tuple[str, float] | None:
    """What a process is (its child kind, or its program) and the processor time it used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    arguments = [word.decode("utf-8", "replace") for word in words if word]
    if "datasets.writers.child" in arguments:
        label = arguments[arguments.index("datasets.writers.child") + 1] + " child"
    else:  # a process that has ended has no command line any more
        label = Path(arguments[1] if len(arguments) > 1 else arguments[0]).name if arguments else ""
    return label, (int(fields[11]) + int(fields[12])) / _TICKS


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run `command`: wall and processor seconds (its whole tree), peak MB of the process and
    of its whole tree at once, and its output.

    The tree's peak is the largest sum of the resident memory of the process and all its
    children seen at one moment (sampled every 50 ms); each process's processor time is the
    last seen before it ended, by kind (up to 50 ms short).
    """
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = tree_peak = 0
    cpu: dict[int, tuple[str, float]] = {}
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    while process.poll() is None:
        try:
            tree = _tree(process.pid)
            tree_peak = max(tree_peak, sum(_status_kb(pid, "VmRSS:") for pid in tree))
            for pid in tree:
                seen = _cpu_seconds(pid)
                if seen is not None:
                    cpu[pid] = (seen[0] or cpu.get(pid, ("?", 0.0))[0], seen[1])
            peak = max(peak, _status_kb(process.pid, "VmHWM:"))
        except OSError:
            pass
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    reader.join()
    text = "".join(output)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{text[-3000:]}")
    by_process: dict[str, float] = {}
    for label, seconds in cpu.values():
        by_process[label] = round(by_process.get(label, 0.0) + seconds, 2)
    return {
        "cpu_by_process": by_process,
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(_children_cpu() - cpu_before, 3),
        "peak_mb": peak // 1024,
        "tree_peak_mb": tree_peak // 1024,
        "output": text,
    }


def stages(output: str) -> list[dict[str, Any]]:
    """The stage times `flask datasets publish` printed at its end."""
    found = []
    for match in _STAGE.finditer(output):
        stage: dict[str, Any] = {"stage": match.group(1), "seconds": float(match.group(2))}
        if match.group(3):
            stage["rows"] = int(match.group(3).replace(",", ""))
        if match.group(4):
            stage["rows_per_second"] = int(match.group(4).replace(",", ""))
        found.append(stage)
    return found


def _baseline_schema(source: Path, folder: Path, floats: bool) -> Path:
    """The schema publishing infers for `source`, as frictionless reads a schema file."""
    from datasets.ingest import open_source
    from datasets.schema import infer_schema

    opened = open_source(source, source.name)
    opened.write_sample(folder / "sample.csv")
    inferred = infer_schema(folder / "sample.csv")
    fields = []
    for field in inferred["fields"]:
        plain = {"name": field["name"], "type": field["type"]}
        if field.get("constraints"):
            plain["constraints"] = field["constraints"]
        if floats and field["type"] == "number":
            plain["floatNumber"] = True
        fields.append(plain)
    path = folder / "frictionless-schema.json"
    path.write_text(json.dumps({"fields": fields}, ensure_ascii=False), encoding="utf-8")
    (folder / "sample.csv").unlink()
    return path


def baseline_command(source: Path, folder: Path, mode: str) -> list[str]:
    """`frictionless validate` of `source` in the configuration `mode`."""
    command = [str(BIN / "frictionless"), "validate", source.name]
    if mode.startswith("schema"):
        command += ["--schema", str(_baseline_schema(source, folder, mode.endswith("float")))]
    elif mode.endswith("float"):
        command.append("--field-float-numbers")
    return command


def _empty_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def publish_once(source: Path, folder: Path, database_url: str | None, with_pii: bool) -> dict[str, Any]:
    """Define the dataset in a new database and publish `source` into it."""
    folder.mkdir()
    if database_url:
        _empty_postgres(database_url)
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
        document["schema"] = {"fields": PERSONAL_FIELDS}
    definition.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")  # JSON is YAML too
    subprocess.run(
        [*flask, "datasets", "define", str(definition)], cwd=ROOT, env=env, check=True, capture_output=True
    )
    result = run_measured([*flask, "datasets", "publish", "bench-cases", str(source)], ROOT, env)
    shutil.rmtree(folder, ignore_errors=True)
    return result


def measure(
    width: int, rows: int, runs: int, work: Path, database_url: str | None, with_pii: bool, mode: str
) -> list[dict[str, Any]]:
    """`runs` alternating runs of the baseline and of publishing on one generated file."""
    folder = work / f"c{width}-r{rows}"
    folder.mkdir()
    source = folder / "cases.csv"
    if with_pii:
        write_personal(source, rows)
    else:
        write_table(source, rows, width)
    command = baseline_command(source, folder, mode)
    results = []
    for run in range(1, runs + 1):
        load = list(os.getloadavg())
        baseline = run_measured(command, folder, dict(os.environ))
        published = publish_once(source, folder / f"publish-{run}", database_url, with_pii)
        assert f": {rows} rows" in published["output"], published["output"][-500:]
        results.append(
            {
                "columns": width,
                "rows": rows,
                "run": run,
                "file_mb": round(source.stat().st_size / 1_000_000, 1),
                "load_average": load,
                "baseline_seconds": baseline["seconds"],
                "baseline_cpu_seconds": baseline["cpu_seconds"],
                "baseline_peak_mb": baseline["peak_mb"],
                "publish_seconds": published["seconds"],
                "publish_cpu_seconds": published["cpu_seconds"],
                "peak_mb": published["peak_mb"],
                "tree_peak_mb": published["tree_peak_mb"],
                "ratio": round(published["seconds"] / baseline["seconds"], 3),
                "publish_cpu_by_process": published["cpu_by_process"],
                "stages": stages(published["output"]),
            }
        )
        _print_run(results[-1])
    source.unlink()
    return results


def _print_run(run: dict[str, Any]) -> None:
    print(
        f"{run['columns']:>4} {run['rows']:>9,} {run['run']:>3} {run['file_mb']:>6.0f} "
        f"{run['baseline_seconds']:>8.1f} {run['baseline_cpu_seconds']:>7.1f} "
        f"{run['publish_seconds']:>8.1f} {run['publish_cpu_seconds']:>7.1f} {run['ratio']:>6.2f} "
        f"{run['peak_mb']:>7} {run['tree_peak_mb']:>7} {run['baseline_peak_mb']:>7}  "
        f"{run['load_average'][0]:.2f}",
        flush=True,
    )
    print(
        "      stages: "
        + ", ".join(f"{stage['stage']} {stage['seconds']:.1f} s" for stage in run["stages"])
        + "; processor: "
        + ", ".join(f"{label} {seconds:.1f} s" for label, seconds in run["publish_cpu_by_process"].items()),
        flush=True,
    )


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per width and row count: the ratios, their median, and the largest memory."""
    summary: dict[str, Any] = {}
    for key in sorted({(run["columns"], run["rows"]) for run in runs}):
        group = [run for run in runs if (run["columns"], run["rows"]) == key]
        summary[f"{key[0]} columns, {key[1]} rows"] = {
            "ratios": [run["ratio"] for run in group],
            "median_ratio": round(statistics.median(run["ratio"] for run in group), 3),
            "baseline_seconds": [run["baseline_seconds"] for run in group],
            "publish_seconds": [run["publish_seconds"] for run in group],
            "peak_mb": max(run["peak_mb"] for run in group),
            "tree_peak_mb": max(run["tree_peak_mb"] for run in group),
        }
    return summary


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
    parser.add_argument("--columns", default="5,12,30", help="comma-separated table widths")
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated row counts")
    parser.add_argument("--runs", type=int, default=3, help="runs of each width and row count")
    parser.add_argument("--baseline", choices=BASELINES, default="infer", help="frictionless's configuration")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-ods", action="store_true", help="skip the ODS writer's comparison")
    parser.add_argument(
        "--with-personal-data",
        action="store_true",
        help="personal data in five of 12 columns, de-identified by rules and scanned by the gate (target 2.0)",
    )
    arguments = parser.parse_args()
    widths = [12] if arguments.with_personal_data else [int(value) for value in arguments.columns.split(",")]
    row_counts = [int(value) for value in arguments.rows.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    database_url = os.environ.get("BENCH_DATABASE_URL")
    print(
        f"database: {'PostgreSQL' if database_url else 'SQLite'}; cores: {os.cpu_count()}; "
        f"baseline: frictionless validate ({arguments.baseline}); load: {os.getloadavg()[0]:.2f}; work folder: {work}"
    )
    print(
        f"{'cols':>4} {'rows':>9} {'run':>3} {'MB':>6} {'fl. s':>8} {'fl. cpu':>7} {'pub. s':>8} "
        f"{'pub. cpu':>7} {'ratio':>6} {'peak MB':>7} {'tree MB':>7} {'fl. MB':>7}  load"
    )
    runs: list[dict[str, Any]] = []
    extra: dict[str, Any] = {}
    try:
        for rows in row_counts:
            for width in widths:
                runs += measure(
                    width,
                    rows,
                    arguments.runs,
                    work,
                    database_url,
                    arguments.with_personal_data,
                    arguments.baseline,
                )
        if not arguments.with_personal_data and not arguments.no_ods:
            streaming, dom = ods_speed(work)
            extra = {"ods_rows_per_second": {"streaming": round(streaming), "odfpy_dom": round(dom)}}
            print(
                f"ODS writer: {streaming:,.0f} rows/s streaming; odfpy DOM {dom:,.0f} rows/s ({streaming / dom:.0f}x)"
            )
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)
    settings = {
        "columns": widths,
        "rows": row_counts,
        "runs": arguments.runs,
        "baseline": arguments.baseline,
        "database": "postgresql" if database_url else "sqlite",
        "with_personal_data": arguments.with_personal_data,
        "command": " ".join(["bench/publish_pipeline.py", *sys.argv[1:]]),
    }
    summary = summarise(runs) | extra
    for key, figures in summary.items():
        if "ratios" in figures:
            print(f"{key}: ratios {figures['ratios']}, median {figures['median_ratio']}")
    name = "publish_pipeline" + ("_personal" if arguments.with_personal_data else "")
    save(name + ("_postgresql" if database_url else ""), settings, runs, summary)


if __name__ == "__main__":
    main()
