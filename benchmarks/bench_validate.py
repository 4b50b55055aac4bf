"""Benchmark: validating a 1,000,000-row households.csv (target: at most 10 s and 2 GB).

    .venv/bin/python benchmarks/bench_validate.py [--rows N]

Generates the file in a temporary directory (one child process), validates it in another child
process (so the memory figure is the validation's own), prints the result as JSON and removes the
directory. 1 % of the incomes are written the Indonesian way ("Rp 1.250.000") to exercise the money
parser; the file is otherwise valid.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(directory: Path, rows: int) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(20170801)
    before = rng.integers(500_000, 2_000_000, rows)
    after = (before * rng.uniform(1.0, 1.5, rows)).astype(np.int64)
    component = rng.choice(["revolving_credit", "direct_aid", "infrastructure", "none"], rows)
    frame = pd.DataFrame(
        {
            "household_id": [f"H{i:07d}" for i in range(rows)],
            "site": rng.choice(["jombang", "pakis"], rows),
            "kelurahan": rng.choice(["Pakis", "Kepatihan", "Tukangkayu", "Jombatan"], rows),
            "cluster": np.char.add("RW ", rng.integers(1, 20, rows).astype(str)),
            "recipient": np.where(component == "none", "false", "true"),
            "component": component,
            "income_before": before.astype(str),
            "income_after": after.astype(str),
            "year_before": 2014,
            "year_after": 2017,
            "loan_amount": np.where(component == "revolving_credit", "2000000", ""),
            "business_type": rng.choice(["warung", "tailor", "snack maker", ""], rows),
        }
    )
    indonesian = rng.random(rows) < 0.01
    frame.loc[indonesian, "income_before"] = [
        f"Rp {v:,}".replace(",", ".") for v in before[indonesian]
    ]
    study = directory / "study"
    study.mkdir(parents=True, exist_ok=True)
    frame.to_csv(study / "households.csv", index=False, lineterminator="\n")


def validate(directory: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from analysis.data.validate import validate_directory

    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    report = validate_directory(directory)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (usage.ru_utime - before.ru_utime) + (usage.ru_stime - before.ru_stime)
    peak_kb = usage.ru_maxrss  # kilobytes on Linux; includes the interpreter and imports
    return {
        "rows": len(report.frames["households"]),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(
            cpu, 2
        ),  # less sensitive than wall time to other processes on the machine
        "peak_memory_mb": round(peak_kb / 1024, 1),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "file_mb": round((directory / "study" / "households.csv").stat().st_size / 2**20, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--validate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate, args.rows)
        return 0
    if args.validate:
        print(json.dumps(validate(args.validate)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--generate", tmp], check=True
        )
        out = subprocess.run(
            [sys.executable, __file__, "--validate", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
    result = json.loads(out.stdout)
    result["target"] = {"seconds": 10, "peak_memory_mb": 2048}
    result["load_average_1min"] = round(os.getloadavg()[0], 2)
    result["within_target"] = result["seconds"] <= 10 and result["peak_memory_mb"] <= 2048
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
