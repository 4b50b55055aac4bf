"""What the second edition costs: clean builds of one edition and of both, measured in one run.

``make benchmark`` runs it after ``benchmarks/run.py``; it writes ``benchmarks/editions.json``.
On a copy of the project's sources and data (never ``book/chapters/`` or ``data/``), four clean
builds (``--force``), each from a fresh output folder, repeated ``--rounds`` times interleaved (a
case costs its least CPU over the rounds: on a shared machine noise only adds):

1. the English edition alone, HTML (``--lang en``);
2. both editions, HTML (the default);
3. and 4. the same without the book (``--no-book``): the chapters' executions alone.

The ratios both/English are what issue 22 bounds (at most 1.15): a chapter whose template declares
``editions`` is executed once for both editions, and its Indonesian chapter is derived from that
execution; an old-style chapter (``lang``) is still executed once per edition. The number of
chapters of each kind is recorded beside the ratios.

    .venv/bin/python benchmarks/editions.py [--keep] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, copy_project, machine, run_build  # noqa: E402

from analysis.pipeline import runner  # noqa: E402
from analysis.pipeline.request import BuildRequest  # noqa: E402

RESULTS = ROOT / "benchmarks" / "editions.json"
#: The bound of issue 22: both editions at most this many times one edition's clean-build CPU.
BOUND = 1.15
#: Rounds of the four builds: the least CPU of a case over them is its cost.
ROUNDS = 3


def template_kinds() -> dict[str, int]:
    """How many of the shipped runs are executed once for both editions, and how many per edition."""
    runs = runner.load_runs()
    once = sum(1 for run in runs if runner.executes_once(run))
    return {"runs": len(runs), "executed_once": once, "executed_per_edition": len(runs) - once}


def ratio(both: dict, one: dict) -> float | None:
    if not one.get("cpu_seconds"):
        return None
    return round(both["cpu_seconds"] / one["cpu_seconds"], 3)


def editions_benchmark(work: Path, rounds: int = ROUNDS) -> dict:
    """The four clean builds in ``work``, ``rounds`` times interleaved (so that a busy spell of a
    shared machine falls on every case alike); a case's cost is its least CPU over the rounds
    (noise only ever adds), with every round's kept; the ratios both/English of those."""
    project = copy_project(work / "project")
    data = work / "data"
    shutil.copytree(ROOT / "data", data)
    cases = {
        "english_html": {"languages": ("en",)},
        "both_html": {},
        "english_chapters": {"languages": ("en",), "html": False},
        "both_chapters": {"html": False},
    }
    measured: dict[str, list[dict]] = {name: [] for name in cases}
    for round_number in range(rounds):
        for name, choices in cases.items():
            out = (
                work / f"out-{name}"
            )  # a fresh folder: every chapter executed, every site rendered
            request = BuildRequest(data_dir=data, out_dir=out, force=True, **choices)
            label = f"{name.replace('_', ' ')} (round {round_number + 1} of {rounds})"
            measured[name].append(run_build(request, out / "source", label, project))
            shutil.rmtree(out, ignore_errors=True)
    builds = {}
    for name, runs in measured.items():
        best = min(runs, key=lambda r: r["cpu_seconds"])
        builds[name] = {**best, "cpu_seconds_rounds": [r["cpu_seconds"] for r in runs]}
    return {
        "templates": template_kinds(),
        "rounds": rounds,
        "builds": builds,
        "ratio_html": ratio(builds["both_html"], builds["english_html"]),
        "ratio_chapters": ratio(builds["both_chapters"], builds["english_chapters"]),
        "bound": BOUND,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, help=f"rounds of the four builds (default {ROUNDS})"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-editions-"))
    try:
        result = {"machine": machine(), **editions_benchmark(work, args.rounds)}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"editions: both/English CPU {result['ratio_html']} with the HTML books, "
        f"{result['ratio_chapters']} for the chapters alone (bound {BOUND}); "
        f"{result['templates']['executed_once']} of {result['templates']['runs']} runs executed "
        f"once for both editions; written to {RESULTS.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
