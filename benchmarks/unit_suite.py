"""What the unit tests cost: ``pytest tests/unit`` run whole, its CPU seconds against issue 22's
bound, written to ``benchmarks/unit_suite.json``.

Issue 22 bounds the fast tests: ``tests/unit`` builds nothing and runs in under 60 CPU seconds.
Each run is ``python -m pytest tests/unit -q -p no:cacheprovider`` in a subprocess, in the
project folder, with the folder first on ``PYTHONPATH`` (so that its ``analysis`` is the one
tested, whichever checkout the virtual environment was installed from). CPU seconds are user +
system time of the subprocess and everything it waited for (``RUSAGE_CHILDREN``: pytest and the
processes its tests start); wall seconds and the tests counted by pytest's summary line are
recorded beside them, and the 1-minute load average before and after, since a shared machine
slows every run. A collection-only run comes first, allowed to write compiled modules, so that
the runs measured read them as any second run does (even where ``PYTHONDONTWRITEBYTECODE`` is
set; compiling the package and the tests again costs some 2 CPU seconds more).

With ``--runs N`` the suite runs N times and ``cpu_seconds`` is the least of the N (the run
least disturbed by other work); each run is kept. ``--before REV`` measures an earlier commit
too, in the same session: the commit is exported (``git archive``) into a temporary folder and
its runs alternate with this checkout's, so that both see the same load; it is recorded under
``before``. The qdpx projects of real tools that some tests read are found as the tests find
them (beside the project, or ``QDA_REFERENCE_DIR``, which a git worktree or the exported commit
needs); the outcomes record how many tests were skipped.

    .venv/bin/python benchmarks/unit_suite.py [--runs N] [--before REV]
    .venv/bin/python benchmarks/unit_suite.py --print     # the last unit_suite.json
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, load, machine  # noqa: E402

RESULTS = ROOT / "benchmarks" / "unit_suite.json"
#: The bound of issue 22: tests/unit within this many CPU seconds (user + system, children included).
TARGET_CPU_SECONDS = 60
COMMAND = ["-m", "pytest", "tests/unit", "-q", "-p", "no:cacheprovider"]
SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?|deselected)")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def counts(output: str) -> dict[str, int]:
    """Tests per outcome, from pytest's last summary line ("1484 passed, 8 skipped in 90.1s")."""
    lines = [line for line in output.splitlines() if SUMMARY.search(line)]
    if not lines:
        return {}
    found: dict[str, int] = {}
    for n, kind in SUMMARY.findall(lines[-1]):
        kind = "errors" if kind == "error" else kind
        found[kind] = found.get(kind, 0) + int(n)
    return found


def _environment(tree: Path) -> dict[str, str]:
    paths = [str(tree), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def compile_modules(tree: Path) -> None:
    """Collect ``tests/unit`` once with compiled modules written (not measured)."""
    env = {k: v for k, v in _environment(tree).items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, *COMMAND, "--collect-only"], cwd=tree, env=env, capture_output=True
    )


def run_suite(tree: Path) -> dict:
    """One run of ``pytest tests/unit`` in ``tree``: CPU and wall seconds, tests, exit code."""
    load_before, cpu_before, started = load(), _children_cpu(), time.perf_counter()
    completed = subprocess.run(
        [sys.executable, *COMMAND], cwd=tree, env=_environment(tree), capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    tests = counts(completed.stdout)
    return {
        "cpu_seconds": round(cpu, 1),
        "wall_seconds": round(wall, 1),
        "tests": sum(tests.values()),
        "outcomes": tests,
        "exit_code": completed.returncode,
        "load_average_1min": [load_before, load()],
    }


def summary(measured: list[dict]) -> dict:
    """The least CPU of the runs (with that run's wall time and tests), the median, every run."""
    cpu = [m["cpu_seconds"] for m in measured]
    least = measured[cpu.index(min(cpu))]
    return {
        "cpu_seconds": least["cpu_seconds"],
        "cpu_seconds_median": round(statistics.median(cpu), 1),
        "wall_seconds": least["wall_seconds"],
        "tests": least["tests"],
        "passed": all(m["exit_code"] == 0 for m in measured),
        "runs": measured,
    }


def export(rev: str, target: Path) -> Path:
    """The project's files at commit ``rev``, written into ``target`` (not a git checkout)."""
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True)
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def unit_suite_benchmark(runs: int, before: str | None = None) -> dict:
    """``runs`` runs of this checkout's tests/unit, alternating with ``before``'s when given."""
    work = Path(tempfile.mkdtemp(prefix="bench-unit-"))
    try:
        earlier = export(before, work / "before") if before else None
        for tree in filter(None, (earlier, ROOT)):
            compile_modules(tree)
        now, then = [], []
        for _ in range(runs):
            if earlier is not None:
                then.append(run_suite(earlier))
            now.append(run_suite(ROOT))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "command": " ".join(["python", *COMMAND]),
        **summary(now),
        "target_cpu_seconds": TARGET_CPU_SECONDS,
    }
    result["within_target"] = result["cpu_seconds"] < TARGET_CPU_SECONDS
    if before:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", before], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        result["before"] = {"commit": commit, **summary(then)}
    return result


def show(result: dict) -> str:
    verdict = "within" if result["within_target"] else "over"
    text = (
        f"tests/unit: {result['cpu_seconds']} CPU s (least of {len(result['runs'])} runs, median "
        f"{result['cpu_seconds_median']}; {verdict} the target of {result['target_cpu_seconds']}), "
        f"{result['wall_seconds']} s wall, {result['tests']} tests, at {result['machine']['commit']}"
    )
    if "before" in result:
        before = result["before"]
        text += (
            f"; at {before['commit']}: {before['cpu_seconds']} CPU s (median "
            f"{before['cpu_seconds_median']}), {before['tests']} tests"
        )
    return text


def _version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="run the suite N times (default 1)")
    parser.add_argument("--before", metavar="REV", help="measure commit REV too, alternately")
    parser.add_argument("--print", action="store_true", help="show the last results and stop")
    args = parser.parse_args(argv)
    if args.print:
        print(show(json.loads(RESULTS.read_text(encoding="utf-8"))))
        return 0
    facts = machine()
    facts["packages"] = {name: _version(name) for name in ("pytest", "hypothesis", "pandas")}
    result = {"machine": facts, **unit_suite_benchmark(args.runs, args.before)}
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(show(result) + f"; written to {RESULTS.relative_to(ROOT)}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
