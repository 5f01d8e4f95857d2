"""Publishing a large CSV end to end, against `frictionless validate` on the same file.

For each width (`--columns`, default 5, 12 and 30) and row count (`--rows`, default
100,000 and 1,000,000) it writes a table of mixed kinds (`bench/publish_tables.py`) and
measures, `--runs` times each, in the same run:

- wall and processor time of `frictionless validate` (the baseline, in its fastest
  configurations: `--baseline`, see below);
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
        [--runs 3] [--baseline infer,infer-float] [--with-personal-data] [--keep] [--calibrate-baseline]

Baselines: `infer` lets frictionless infer the schema from its sample; `schema` gives it
the schema publishing infers (`--schema`); the `-float` forms add `--field-float-numbers`
(or `floatNumber` in the schema), which reads numbers as floats instead of decimals. Each run
measures every configuration asked for (default `infer,infer-float`, the two fastest with
`--calibrate-baseline`, which runs all four once and saves `publish_baseline-*.json`) and
takes its ratio to the fastest of them in that run.

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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from bench.process_measure import run_measured  # noqa: E402
from bench.publish_tables import PERSONAL_FIELDS, write_personal, write_table  # noqa: E402
from bench.record import save  # noqa: E402

BASELINES = ("infer", "schema", "infer-float", "schema-float")
# A stage line as `flask datasets publish` prints it: "  validate     12.34 s, 1,000 rows (80,000 rows/s)".
_STAGE = re.compile(r"^  (\w+)\s+([0-9.]+) s(?:, ([0-9,]+) rows(?: \(([0-9,]+) rows/s\))?)?$", re.MULTILINE)


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
        # frictionless takes only a path inside the folder it runs in.
        command += ["--schema", _baseline_schema(source, folder, mode.endswith("float")).name]
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
    width: int, rows: int, runs: int, work: Path, database_url: str | None, with_pii: bool, modes: list[str]
) -> list[dict[str, Any]]:
    """`runs` alternating runs of the baselines and of publishing on one generated file; each
    run's ratio is to the fastest baseline of that run."""
    folder = work / f"c{width}-r{rows}"
    folder.mkdir()
    source = folder / "cases.csv"
    if with_pii:
        write_personal(source, rows)
    else:
        write_table(source, rows, width)
    commands = {mode: baseline_command(source, folder, mode) for mode in modes}
    results = []
    for run in range(1, runs + 1):
        load = list(os.getloadavg())
        baselines = {
            mode: run_measured(command, folder, dict(os.environ)) for mode, command in commands.items()
        }
        fastest = min(baselines, key=lambda mode: baselines[mode]["seconds"])
        baseline = baselines[fastest]
        published = publish_once(source, folder / f"publish-{run}", database_url, with_pii)
        assert f": {rows} rows" in published["output"], published["output"][-500:]
        results.append(
            {
                "columns": width,
                "rows": rows,
                "run": run,
                "file_mb": round(source.stat().st_size / 1_000_000, 1),
                "load_average": load,
                "baseline": fastest,
                "baselines": {
                    mode: {key: measured[key] for key in ("seconds", "cpu_seconds", "peak_mb")}
                    for mode, measured in baselines.items()
                },
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


def calibrate(widths: list[int], rows: int, work: Path) -> list[dict[str, Any]]:
    """Each baseline configuration once on the same files, to choose frictionless's fastest."""
    results = []
    for width in widths:
        folder = work / f"calibrate-c{width}"
        folder.mkdir()
        source = folder / "cases.csv"
        write_table(source, rows, width)
        for mode in BASELINES:
            measured = run_measured(baseline_command(source, folder, mode), folder, dict(os.environ))
            results.append(
                {
                    "columns": width,
                    "rows": rows,
                    "baseline": mode,
                    "seconds": measured["seconds"],
                    "cpu_seconds": measured["cpu_seconds"],
                    "peak_mb": measured["peak_mb"],
                    "load_average": list(os.getloadavg()),
                }
            )
            print(
                f"{width:>4} {rows:>9,} {mode:<13} {measured['seconds']:>7.1f} s {measured['cpu_seconds']:>7.1f} s cpu",
                flush=True,
            )
        source.unlink()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--columns", default="5,12,30", help="comma-separated table widths")
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated row counts")
    parser.add_argument("--runs", type=int, default=3, help="runs of each width and row count")
    parser.add_argument(
        "--baseline",
        default="infer,infer-float",
        help=f"frictionless's configurations, comma-separated ({', '.join(BASELINES)}); ratios to the fastest",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-ods", action="store_true", help="skip the ODS writer's comparison")
    parser.add_argument(
        "--with-personal-data",
        action="store_true",
        help="personal data in five of 12 columns, de-identified by rules and scanned by the gate (target 2.0)",
    )
    parser.add_argument(
        "--calibrate-baseline",
        action="store_true",
        help="run every frictionless configuration once on each width instead, and save which is fastest",
    )
    arguments = parser.parse_args()
    widths = [12] if arguments.with_personal_data else [int(value) for value in arguments.columns.split(",")]
    row_counts = [int(value) for value in arguments.rows.split(",")]
    modes = arguments.baseline.split(",")
    unknown = [mode for mode in modes if mode not in BASELINES]
    if unknown:
        parser.error(f"unknown baseline {', '.join(unknown)}")
    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    if arguments.calibrate_baseline:
        try:
            found = calibrate(widths, max(row_counts), work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        fastest = {
            width: min((run for run in found if run["columns"] == width), key=lambda run: run["cpu_seconds"])[
                "baseline"
            ]
            for width in widths
        }
        print(f"fastest by processor time: {fastest}")
        save("publish_baseline", {"columns": widths, "rows": max(row_counts)}, found, {"fastest": fastest})
        return
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
                    modes,
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
        "baselines": modes,
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
