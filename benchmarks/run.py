"""Benchmark of the book's build, measured in one run: ``make benchmark`` writes benchmarks/results.json.

Cases (all in a temporary folder; never touches ``_build/``, ``book/chapters/`` or ``data/``):

1. clean build: ``python -m analysis build --data COPY --out OUT --force`` (every run executed by
   papermill, in parallel, plus the HTML book);
2. no-op rebuild: the same command without ``--force`` (must execute zero notebooks);
3. one-data-file rebuild: one file of COPY edited (a ``note`` cell), rebuilt: executes only the
   runs that declare that file;
4. PDF build: ``--only-pdf`` from the executed chapters;
5. plain Jupyter Book: the same notebooks (the templates with each run's parameters injected by
   papermill's ``prepare_only``) executed by Jupyter Book itself (``execute_notebooks: force``)
   and rendered to HTML, for the ratio with case 1;
6. scale cases of the other analyses: benchmarks/bench_validate.py, bench_qualitative.py and
   bench_income.py when present (each prints JSON).

How many notebooks a build executed is read from the runner's progress line
("chapters: N runs, C up to date, T to execute") and checked against the chapters rewritten.
Wall times on a shared machine vary: the load average is recorded with each case.

    .venv/bin/python benchmarks/run.py [--skip-baseline] [--skip-scale] [--skip-pdf] [--keep]
    .venv/bin/python benchmarks/run.py --print     # the table of the last results.json
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.build import book as build
from analysis.build import runner  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.json"
SCALE_SCRIPTS = ("bench_validate.py", "bench_qualitative.py", "bench_income.py")
DEFAULT_CHANGED_FILE = "public/cpi_inflation_national.csv"
PROGRESS = re.compile(r"chapters: (\d+) runs, (\d+) up to date, (\d+) to execute")


# --------------------------------------------------------------------------- machine
def machine() -> dict:
    def first(path: str, pattern: str) -> str | None:
        try:
            match = re.search(pattern, Path(path).read_text(), re.M)
        except OSError:
            return None
        return match.group(1).strip() if match else None

    memory_kb = first("/proc/meminfo", r"^MemTotal:\s+(\d+) kB")
    return {
        "date_utc": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory_kb) / 2**20, 1) if memory_kb else None,
        "cpu_model": first("/proc/cpuinfo", r"^model name\s*:\s*(.+)$")
        or platform.processor()
        or None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "commit": build.git_commit(),
        "packages": {
            k: v
            for k, v in build.package_versions().items()
            if k in ("jupyter-book", "papermill", "myst-nb", "sphinx")
        },
    }


def load() -> float:
    return round(os.getloadavg()[0], 2)


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes and their descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- one build
def chapter_mtimes(chapters_root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in Path(chapters_root).glob("**/*.ipynb")}


def run_build(args: list[str], chapters_root: Path, label: str) -> dict:
    """Run ``python -m analysis build ARGS``; return its time and how many notebooks it executed."""
    before = chapter_mtimes(chapters_root)
    load_before, cpu_before = load(), children_cpu()
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "build", *args], cwd=ROOT, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    cpu = children_cpu() - cpu_before
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr[-4000:])
        raise SystemExit(
            f"benchmark: the {label} failed (exit {completed.returncode}); its output is above"
        )
    progress = PROGRESS.search(completed.stderr)
    after = chapter_mtimes(chapters_root)
    rewritten = sorted(name for name, mtime in after.items() if before.get(name) != mtime)
    result = {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),  # less sensitive than wall time to other work on the machine
        "executed": int(progress.group(3)) if progress else None,
        "runs": int(progress.group(1)) if progress else None,
        "chapters_rewritten": rewritten,
        "load_average_1min": [load_before, load()],
    }
    print(
        f"  {label}: {result['seconds']} s, executed {result['executed']} of {result['runs']} runs",
        flush=True,
    )
    return result


def edit_one_file(data_dir: Path, name: str) -> None:
    """Change one cell of a CSV file (its first row's ``note``), keeping it valid."""
    path = data_dir / name
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    if not rows or "note" not in rows[0]:
        raise SystemExit(
            f"benchmark: {name} has no 'note' column to edit; pick another file with --change-file"
        )
    rows[0]["note"] = ((rows[0]["note"] or "") + " (benchmark edit)").strip()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------- plain Jupyter Book
def stage_plain_jupyter_book(book_dir: Path, data_dir: Path, generated: Path) -> Path:
    """A copy of the book whose chapters are the templates with their run's parameters injected.

    Jupyter Book executes them itself (``execute_notebooks: force``); nothing else differs.
    """
    import papermill

    build.copy_book_sources(book_dir)
    shutil.copytree(generated, book_dir / build.GENERATED, dirs_exist_ok=True)
    for run in runner.load_runs():
        output = book_dir / "book" / run.output
        output.parent.mkdir(parents=True, exist_ok=True)
        data_param = os.path.relpath(data_dir, output.parent)
        papermill.execute_notebook(
            str(run.template_path),
            str(output),
            prepare_only=True,
            parameters={"data_dir": data_param, **run.parameters},
            kernel_name=runner.KERNEL_NAME,
            progress_bar=False,
        )
    config = yaml.safe_load((book_dir / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": "force", "timeout": -1, "allow_errors": False}
    (book_dir / "_config.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return book_dir


def plain_jupyter_book(book_dir: Path, out_dir: Path) -> dict:
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(book_dir),
        "--path-output",
        str(out_dir),
        "--builder",
        "html",
    ]
    load_before, cpu_before = load(), children_cpu()
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=book_dir, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    cpu = children_cpu() - cpu_before
    log = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", completed.stdout + completed.stderr)
    failures = sorted(set(re.findall(r"(\S+\.ipynb)\S*: WARNING: Executing notebook failed", log)))
    result = {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "exit_code": completed.returncode,
        "notebooks_failed": failures,
        "load_average_1min": [load_before, load()],
    }
    print(
        f"  plain Jupyter Book (execute_notebooks: force): {result['seconds']} s"
        f"{', FAILED notebooks: ' + ', '.join(failures) if failures else ''}",
        flush=True,
    )
    return result


# --------------------------------------------------------------------------- scale cases
def scale_cases() -> dict:
    results = {}
    for name in SCALE_SCRIPTS:
        script = ROOT / "benchmarks" / name
        if not script.exists():
            results[name] = {"skipped": "script not present"}
            continue
        completed = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True
        )
        try:
            results[name] = json.loads(completed.stdout)
        except json.JSONDecodeError:
            results[name] = {
                "error": f"exit {completed.returncode}",
                "stderr": completed.stderr[-2000:],
            }
        seconds = scale_seconds(results[name])
        print(
            f"  {name}: {f'{seconds:.1f} s' if seconds is not None else results[name]}", flush=True
        )
    return results


# --------------------------------------------------------------------------- report
def scale_seconds(result: dict) -> float | None:
    """The headline seconds of a scale case (its ``seconds``, or the total of its displays)."""
    seconds = result.get("seconds")
    if isinstance(seconds, (int, float)):
        return float(seconds)
    total = result.get("displays_total_seconds", result.get("total_seconds"))
    if isinstance(total, (int, float)):
        return float(total)
    if isinstance(seconds, dict):
        return float(sum(v for v in seconds.values() if isinstance(v, (int, float))))
    return None


def table(report: dict) -> str:
    rows = [("case", "seconds", "CPU s", "notebooks executed", "note")]
    builds = report["builds"]
    clean = builds["clean"]["seconds"]
    plain = report.get("plain_jupyter_book")

    def add(label, case, note=""):
        if case in builds:
            b = builds[case]
            rows.append(
                (
                    label,
                    f"{b['seconds']:.1f}",
                    f"{b['cpu_seconds']:.0f}" if "cpu_seconds" in b else "-",
                    f"{b.get('executed')}/{b.get('runs')}" if b.get("runs") else "-",
                    note,
                )
            )

    add("clean build (--force, HTML)", "clean")
    noop = builds.get("noop")
    add(
        "no-op rebuild",
        "noop",
        f"{100 * noop['seconds'] / clean:.0f} % of clean (target <= 10 %)" if noop else "",
    )
    one = builds.get("one_file")
    add(
        "one data file changed",
        "one_file",
        f"{report['one_file_changed']}: expected {len(report['one_file_expected_runs'])} runs"
        if one
        else "",
    )
    add("PDF build (--only-pdf)", "pdf")
    if plain:
        rows.append(
            (
                "plain Jupyter Book, execute: force",
                f"{plain['seconds']:.1f}",
                f"{plain['cpu_seconds']:.0f}" if "cpu_seconds" in plain else "-",
                "all (serial)",
                f"ratio plain / ours = {report['ratio_plain_jupyter_book_to_clean']:.2f}",
            )
        )
    for name, result in report.get("scale", {}).items():
        seconds = scale_seconds(result)
        if seconds is None:
            rows.append((name, "-", "-", "-", str(result.get("skipped") or result.get("error"))))
            continue
        notes = [
            f"{k} {v:,}"
            for k, v in result.items()
            if k in ("rows", "households", "segments") and isinstance(v, int)
        ]
        notes += [
            f"{k.removesuffix('_seconds')} {v:.1f} s"
            for k, v in result.items()
            if k.endswith("_seconds")
            and k not in ("displays_total_seconds", "cpu_seconds")
            and isinstance(v, (int, float))
        ]
        cpu = result.get("cpu_seconds")
        rows.append(
            (
                name,
                f"{seconds:.1f}",
                f"{cpu:.0f}" if isinstance(cpu, (int, float)) else "-",
                "-",
                ", ".join(notes),
            )
        )
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    m = report.get("machine", {})
    loads = [x for b in [*builds.values(), plain or {}] for x in b.get("load_average_1min", [])]
    lines.insert(
        0,
        f"{m.get('date_utc', '?')}: {m.get('cores')} cores ({m.get('cpu_model')}), {m.get('memory_gb')} GB, "
        f"Python {m.get('python')}; 1-min load average during the builds "
        f"{min(loads):.1f}-{max(loads):.1f}"
        if loads
        else "",
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--change-file",
        default=DEFAULT_CHANGED_FILE,
        help=f"data file (relative to data/) edited for the one-file rebuild (default {DEFAULT_CHANGED_FILE})",
    )
    parser.add_argument(
        "--skip-baseline", action="store_true", help="do not time plain Jupyter Book"
    )
    parser.add_argument("--skip-scale", action="store_true", help="do not run the scale cases")
    parser.add_argument("--skip-pdf", action="store_true", help="do not time the PDF build")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (its path is printed)"
    )
    parser.add_argument(
        "--print", action="store_true", help="print the table of the last results and stop"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS,
        help=f"where to write the JSON (default {RESULTS.relative_to(ROOT)})",
    )
    args = parser.parse_args()
    if args.print:
        print(table(json.loads(args.out.read_text(encoding="utf-8"))))
        return 0

    work = Path(tempfile.mkdtemp(prefix="poverty-book-bench-"))
    data, out = work / "data", work / "book"
    shutil.copytree(ROOT / "data", data)
    chapters_root = out / "source" / "book"
    report = {"machine": machine(), "builds": {}}
    print(f"benchmark in {work} ({report['machine']['cores']} cores, load {load()})", flush=True)
    try:
        common = ["--data", str(data), "--out", str(out)]
        report["builds"]["clean"] = run_build([*common, "--force"], chapters_root, "clean build")
        report["builds"]["noop"] = run_build(common, chapters_root, "no-op rebuild")
        edit_one_file(data, args.change_file)
        report["one_file_changed"] = args.change_file
        report["one_file_expected_runs"] = [
            r.id for r in runner.load_runs() if args.change_file in r.inputs
        ]
        report["builds"]["one_file"] = run_build(
            common, chapters_root, f"rebuild after {args.change_file} changed"
        )
        if not args.skip_pdf:
            report["builds"]["pdf"] = run_build([*common, "--only-pdf"], chapters_root, "PDF build")
        if not args.skip_baseline:
            staged = stage_plain_jupyter_book(
                work / "plain", data, out / "source" / build.GENERATED
            )
            report["plain_jupyter_book"] = plain_jupyter_book(staged, work / "plain-out")
            report["ratio_plain_jupyter_book_to_clean"] = round(
                report["plain_jupyter_book"]["seconds"] / report["builds"]["clean"]["seconds"], 2
            )
        if not args.skip_scale:
            report["scale"] = scale_cases()
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    clean, noop = report["builds"]["clean"], report["builds"]["noop"]
    report["checks"] = {
        "noop_executed_zero_notebooks": noop["executed"] == 0 and noop["chapters_rewritten"] == [],
        "noop_at_most_10_percent_of_clean": noop["seconds"] <= 0.10 * clean["seconds"],
        "one_file_executed_only_its_runs": report["builds"]["one_file"]["executed"]
        == len(report["one_file_expected_runs"]),
        "clean_build_under_2_minutes": clean["seconds"] < 120,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(report))
    print()
    print(
        "checks: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in report["checks"].items())
    )
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
