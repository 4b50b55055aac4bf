"""Benchmark: the income chapter's computations on 1,000,000 households (bootstrap excluded).

Generates 700,000 recipient and 300,000 comparison households (analysis.illustrative.households,
seeded), then times everything the income chapter computes: per-household changes, the summary
and small-sample inference (the permutation test is skipped above 10,000 households and the
bootstrap above 2,000, as in the chapter), real incomes, cluster-robust errors,
difference-in-differences, groups, power, loan returns and the reproduction check.
Libraries (scipy, statsmodels) are imported before the clock starts. Prints one JSON object:
seconds, the process's peak resident memory (which includes generating the data) and, from a
second pass under tracemalloc, the peak memory the computations themselves allocate.
Target: <= 10 s and <= 2 GB.

    .venv/bin/python benchmarks/bench_income.py [--households N]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.illustrative.households import generate_households  # noqa: E402
from analysis.methods import income  # noqa: E402
from analysis.methods.income import comparison  # noqa: E402

CPI = Path(__file__).resolve().parent.parent / "data" / "public" / "cpi_inflation_national.csv"


def chapter_computations(households: pd.DataFrame, cpi: pd.DataFrame) -> dict:
    """What book/templates/income.ipynb computes, bootstrap excluded; returns seconds per step."""
    steps = {}

    def timed(name, fn):
        start = time.perf_counter()
        value = fn()
        steps[name] = round(time.perf_counter() - start, 3)
        return value

    timed("household_changes", lambda: income.household_changes(households))
    nominal = timed(
        "income_change_nominal",
        lambda: income.income_change(households, seed=1, bootstrap_resamples=0),
    )
    real = timed("deflate", lambda: income.deflate(households, cpi))
    timed(
        "income_change_real",
        lambda: income.income_change(
            real,
            before="income_before_real",
            after="income_after_real",
            prices="real",
            seed=1,
            bootstrap_resamples=0,
        ),
    )
    timed("cluster_robust", lambda: income.cluster_robust_change(households))
    timed("difference_in_differences", lambda: comparison.difference_in_differences(households))
    timed("by_component", lambda: income.change_by_group(households, "component"))
    timed("by_business_type", lambda: income.change_by_group(households, "business_type"))
    timed("power", lambda: income.power_analysis(households))
    timed("loan_return", lambda: income.loan_return(households))
    timed(
        "reproduction_check",
        lambda: income.reproduction_check(households, edition="illustrative", result=nominal),
    )
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    args = parser.parse_args()
    n_recipients = int(args.households * 0.7)
    households = generate_households(
        20170801, n_recipients=n_recipients, n_comparison=args.households - n_recipients
    )
    cpi = pd.read_csv(CPI, dtype={"area_code": str})
    import statsmodels.api  # noqa: F401  (import time is not the chapter's computation)
    from statsmodels.stats.power import TTestPower  # noqa: F401

    rss_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    steps = chapter_computations(households, cpi)
    seconds = time.perf_counter() - start
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    chapter_computations(households, cpi)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "households": args.households,
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(rss_peak, 1),
                "rss_after_generating_data_mb": round(rss_data, 1),
                "peak_traced_computations_mb": round(peak / 2**20, 1),
                "steps_seconds": steps,
                "target": {"seconds": 10, "memory_mb": 2048},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
