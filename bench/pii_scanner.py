"""How well the personal-data scanner finds what it should, and leaves alone what it should not.

On a synthetic corpus of free-text records with known personal data
(`datasets.pii.corpus`, at least 3,000 records), prints recall per kind, false
findings per 1,000 records, and records scanned per second; the targets are recall of
at least 0.99 for IDs, phones, e-mail and cards, 0.95 for addresses and 0.90 for names,
with at most 5 false findings per 1,000 records.

    .venv/bin/python bench/pii_scanner.py [--records 3000] [--seeds 1910,7,2026]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datasets.pii import scan_text
from datasets.pii.corpus import evaluate, generate

TARGETS = {"id": 0.99, "phone": 0.99, "email": 0.99, "card": 0.99, "address": 0.95, "name": 0.90}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--seeds", default="1910,7,2026")
    arguments = parser.parse_args()
    print(
        f"{'seed':>6} {'records':>8} "
        + " ".join(f"{group:>8}" for group in TARGETS)
        + f" {'false/1000':>11} {'records/s':>10}"
    )
    for seed in (int(value) for value in arguments.seeds.split(",")):
        records = generate(arguments.records, seed)
        started = time.perf_counter()
        for record in records:
            scan_text(record.text)
        speed = len(records) / (time.perf_counter() - started)
        result = evaluate(records)
        print(
            f"{seed:>6} {len(records):>8} "
            + " ".join(f"{result.recall(group):>8.4f}" for group in TARGETS)
            + f" {result.false_per_thousand:>11.2f} {speed:>10,.0f}"
        )
        for group, target in TARGETS.items():
            if result.recall(group) < target:
                print(f"       below target for {group}: {result.misses[:3]}")
        if result.false_per_thousand > 5:
            print(f"       too many false findings: {result.false_examples[:3]}")
    spans = sum(len(record.spans) for record in records)
    print(
        f"last corpus: {spans} pieces of personal data in {len(records)} records; targets: "
        + ", ".join(f"{group} >= {target}" for group, target in TARGETS.items())
        + ", false/1000 <= 5"
    )


if __name__ == "__main__":
    main()
