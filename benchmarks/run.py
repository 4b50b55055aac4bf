"""Benchmark of the book's build, measured in one run: ``make benchmark`` writes benchmarks/results.json.

Cases (all in a temporary folder, on a copy of the project's sources and data; never touches
``_build/``, ``book/chapters/``, ``analysis/`` or ``data/``):

1. clean build: ``python -m analysis build --data COPY --out OUT --lang en --force`` (the English
   edition, as plain Jupyter Book renders it below; every run executed in
   a fresh kernel forked from a pre-imported zygote, two at a time, plus the HTML book);
2. no-op rebuild: the same command without ``--force`` (must execute zero notebooks);
3. one-data-file rebuild: one file of COPY edited (a ``note`` cell): only the runs declaring it;
4. one-module rebuild: a comment appended to the copy's ``analysis/methods/income/comparison.py``;
5. PDF build: ``--only-pdf`` from the executed chapters (``--skip-pdf`` to leave out);
6. plain Jupyter Book: the same notebooks (the templates with each run's parameters injected by
   papermill's ``prepare_only``) executed by Jupyter Book itself (``execute_notebooks: force``)
   and rendered to HTML, for the ratio with case 1;
7. ``--areas 35``: the book plus the 38 context chapters of Jawa Timur, HTML;
8. ``--areas CODES --no-book --force`` (default ``all``, 514 chapters) on the local pool and on a
   two-worker Dask cluster started on 127.0.0.1, with CPU seconds per executed chapter;
9. scale cases of the other analyses: benchmarks/bench_validate.py, bench_qualitative.py and
   bench_income.py when present (each prints JSON).

CPU seconds and peak memory (the largest sum of resident sizes at one time) are sampled from
/proc over each build's whole process tree (workers, zygotes, kernels, Jupyter Book; for Dask
also the scheduler and workers).
How many notebooks a build executed is read from the runner's progress line
("chapters: N runs, C up to date, T to execute") and checked against the chapters rewritten.
Wall times on a shared machine vary: the load average is recorded with each case.

    .venv/bin/python benchmarks/run.py [--skip-baseline] [--skip-scale] [--skip-pdf] [--skip-atlas]
        [--atlas-codes CODES] [--keep]
    .venv/bin/python benchmarks/run.py --print     # the table of the last results.json
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.pipeline import layout, provenance, runner  # noqa: E402
from analysis.pipeline.request import BuildRequest  # noqa: E402

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
        "commit": provenance.git_commit(),
        "packages": {
            k: v
            for k, v in provenance.package_versions().items()
            if k in ("jupyter-book", "papermill", "myst-nb", "sphinx")
        },
    }


def load() -> float:
    return round(os.getloadavg()[0], 2)


# --------------------------------------------------------------------------- process trees
class TreeSampler(threading.Thread):
    """CPU seconds and peak memory of process trees, sampled from /proc every ``interval`` s.

    Kernels forked by a zygote are reaped by the system (not waited for), so the rusage of
    children misses them; sampling every process of the tree catches them. Each process counts
    its own user + system time at its last sample (a process's final tenth of a second may be
    missed), and the peak memory is the largest sum of resident sizes seen at one time.
    """

    def __init__(self, roots: list[int], interval: float = 0.1):
        super().__init__(daemon=True)
        self.roots, self.interval = list(roots), interval
        self.cpu: dict[tuple[int, str], float] = {}
        self.peak_rss = 0
        self.done = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.sample()  # processes already running (Dask workers) count from now on
        self.baseline, self.cpu = dict(self.cpu), {}

    def sample(self) -> None:
        from analysis.pipeline.stopping import descendants

        rss = 0
        for pid in {p for root in self.roots for p in [root, *descendants(root)]}:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            start, fields = stat.rsplit(")", 1)[1].split()[19], stat.rsplit(")", 1)[1].split()
            self.cpu[(pid, start)] = (int(fields[11]) + int(fields[12])) / self.tick
            rss += int(fields[21]) * self.page
        self.peak_rss = max(self.peak_rss, rss)

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            time.sleep(self.interval)

    def stop(self) -> dict:
        self.done.set()
        self.join()
        return {
            "cpu_seconds": round(
                sum(v - self.baseline.get(k, 0.0) for k, v in self.cpu.items()), 1
            ),
            "peak_memory_mb": round(self.peak_rss / 2**20),
        }


# What a build reads: the package, the book (templates, chapters, pages) and every file the book
# build copies (layout.BOOK_SOURCES), so that a source added to the book is never missing here.
PROJECT_PARTS = tuple(
    dict.fromkeys(
        # the records the replication appendix reads too (environment.yml, the install script)
        ("analysis", "book", "requirements.lock", "pyproject.toml", "environment.yml", "scripts")
        + tuple(name for name in layout.BOOK_SOURCES if not name.startswith("book/"))
    )
)


def copy_project(target: Path) -> Path:
    """A copy of the project's sources, so that a module can be edited without touching ours."""
    for name in PROJECT_PARTS:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, target / name)
    return target


def project_env(project: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(project)}


# --------------------------------------------------------------------------- one build
def chapter_mtimes(chapters_root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in Path(chapters_root).glob("**/*.ipynb")}


def run_build(
    request: BuildRequest,
    chapters_root: Path,
    label: str,
    project: Path = ROOT,
    also: list[int] = (),
) -> dict:
    """Run ``python -m analysis build`` with the arguments of ``request`` in ``project`` (a
    process of its own, so that its whole process tree is measured); return its time, CPU,
    memory and how many notebooks it executed (``also``: more process trees to count, e.g. Dask
    workers)."""
    before = chapter_mtimes(chapters_root)
    load_before = load()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", *request.arguments()],
        cwd=project,
        env=project_env(project),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = TreeSampler([process.pid, *also])
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    usage = sampler.stop()
    completed = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
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
        **usage,  # CPU seconds: less sensitive than wall time to other work on the machine
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

    layout.copy_book_sources(book_dir)
    shutil.copytree(generated, book_dir / layout.GENERATED, dirs_exist_ok=True)
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
    load_before = load()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=book_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = TreeSampler([process.pid])
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    usage = sampler.stop()
    completed = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    log = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", completed.stdout + completed.stderr)
    failures = sorted(set(re.findall(r"(\S+\.ipynb)\S*: WARNING: Executing notebook failed", log)))
    result = {
        "seconds": round(seconds, 1),
        **usage,
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
    rows = [("case", "seconds", "CPU s", "peak MB", "notebooks executed", "note")]
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
                    str(b.get("peak_memory_mb", "-")),
                    f"{b.get('executed')}/{b.get('runs')}" if b.get("runs") else "-",
                    note,
                )
            )

    add("clean build (--force, HTML)", "clean")
    noop = builds.get("noop")
    add(
        "no-op rebuild",
        "noop",
        f"{100 * noop['seconds'] / clean:.0f} % of clean (target <= 5 %)" if noop else "",
    )
    one = builds.get("one_file")
    add(
        "one data file changed",
        "one_file",
        f"{report['one_file_changed']}: expected {len(report['one_file_expected_runs'])} runs"
        if one
        else "",
    )
    add("analysis/methods/income/comparison.py changed", "one_module")
    add("PDF build (--only-pdf)", "pdf")
    add("--areas 35 (HTML)", "areas_35", "target <= 150 s")
    codes = report.get("atlas_codes")
    for name, where in (("atlas_local", "local pool"), ("atlas_dask", "2 Dask workers")):
        b = builds.get(name)
        if b:
            note = f"{b['cpu_seconds_per_chapter']:.2f} CPU s per chapter (target <= 1.5)"
            if name == "atlas_dask":
                note += f"; {report['ratio_dask_to_local']:.2f} x local (target <= 1.10)"
            add(f"--areas {codes}, {where}", name, note)
    if plain:
        rows.append(
            (
                "plain Jupyter Book, execute: force",
                f"{plain['seconds']:.1f}",
                f"{plain['cpu_seconds']:.0f}" if "cpu_seconds" in plain else "-",
                str(plain.get("peak_memory_mb", "-")),
                "all (serial)",
                f"ratio plain / ours = {report['ratio_plain_jupyter_book_to_clean']:.2f}",
            )
        )
    for name, result in report.get("scale", {}).items():
        seconds = scale_seconds(result)
        if seconds is None:
            rows.append(
                (name, "-", "-", "-", "-", str(result.get("skipped") or result.get("error")))
            )
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


@contextlib.contextmanager
def dask_cluster(folder: Path, workers: int = 2, env: dict | None = None):
    """A Dask scheduler and ``workers`` single-threaded workers on 127.0.0.1 (killed after)."""
    import socket

    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": folder, "env": env}
    processes = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port)]
            + ["--dashboard-address", ":0", "--no-show"],
            **quiet,
        )
    ]
    try:
        for _ in range(workers):
            processes.append(
                subprocess.Popen(
                    [dask, "worker", address, "--nthreads", "1", "--no-nanny"]
                    + ["--dashboard-address", ":0", "--local-directory", str(folder)],
                    **quiet,
                )
            )
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=60)
        yield address, [p.pid for p in processes]
    finally:
        for process in processes:
            process.kill()
            process.wait()


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
    parser.add_argument("--skip-atlas", action="store_true", help="do not time the --areas builds")
    parser.add_argument(
        "--atlas-codes",
        default="all",
        help="--areas codes for the local pool against Dask comparison (default all: 514)",
    )
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
    project = copy_project(work / "project")
    data, out = work / "data", work / "book"
    shutil.copytree(ROOT / "data", data)
    chapters_root = out / "source" / "book"
    report = {"machine": machine(), "builds": {}}
    print(f"benchmark in {work} ({report['machine']['cores']} cores, load {load()})", flush=True)
    builds = report["builds"]
    try:
        # The English edition alone: plain Jupyter Book below renders the same notebooks once
        # (a default build also executes and renders the Indonesian edition, about twice as much).
        common = BuildRequest(data_dir=data, out_dir=out, languages=("en",))

        def case(name, request, label, root=chapters_root, **kw):
            builds[name] = run_build(request, root, label, project, **kw)

        case("clean", replace(common, force=True), "clean build")
        case("noop", common, "no-op rebuild")
        edit_one_file(data, args.change_file)
        report["one_file_changed"] = args.change_file
        report["one_file_expected_runs"] = [  # the runs that read it, when present or always
            r.id for r in runner.load_runs() if args.change_file in (*r.inputs, *r.optional_inputs)
        ]
        case("one_file", common, f"rebuild after {args.change_file} changed")
        module = project / "analysis" / "methods" / "income" / "comparison.py"
        module.write_text(module.read_text() + "\n# benchmark edit\n")
        report["one_module_changed"] = "analysis/methods/income/comparison.py"
        case("one_module", common, "rebuild after analysis/methods/income/comparison.py changed")
        if not args.skip_pdf:
            case("pdf", replace(common, html=False, pdf=True), "PDF build")
        if not args.skip_baseline:
            staged = stage_plain_jupyter_book(
                work / "plain", data, out / "source" / layout.GENERATED
            )
            report["plain_jupyter_book"] = plain_jupyter_book(staged, work / "plain-out")
            report["ratio_plain_jupyter_book_to_clean"] = round(
                report["plain_jupyter_book"]["seconds"] / builds["clean"]["seconds"], 2
            )
        if not args.skip_atlas:
            fresh = work / "data-atlas"
            shutil.copytree(ROOT / "data", fresh)
            atlas_out = work / "atlas-35"
            case(
                "areas_35",
                BuildRequest(data_dir=fresh, out_dir=atlas_out, areas="35"),
                "--areas 35 (38 context chapters + the book, HTML)",
                atlas_out / "source" / "book",
            )
            many = BuildRequest(data_dir=fresh, areas=args.atlas_codes, html=False, force=True)
            local_out = work / "atlas-local"
            case(
                "atlas_local",
                replace(many, out_dir=local_out),
                f"--areas {args.atlas_codes}, local pool (--no-book --force)",
                local_out / "source" / "book",
            )
            with dask_cluster(work / "dask", 2, project_env(project)) as (address, pids):
                dask_out = work / "atlas-dask"
                case(
                    "atlas_dask",
                    replace(many, out_dir=dask_out, scheduler=address),
                    f"--areas {args.atlas_codes}, two-worker local Dask cluster",
                    dask_out / "source" / "book",
                    also=pids,
                )
            for name in ("atlas_local", "atlas_dask"):
                b = builds[name]
                b["cpu_seconds_per_chapter"] = round(b["cpu_seconds"] / max(1, b["executed"]), 2)
            report["atlas_codes"] = args.atlas_codes
            report["ratio_dask_to_local"] = round(
                builds["atlas_dask"]["seconds"] / builds["atlas_local"]["seconds"], 2
            )
        if not args.skip_scale:
            report["scale"] = scale_cases()
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    clean, noop = builds["clean"], builds["noop"]
    report["checks"] = {
        "noop_executed_zero_notebooks": noop["executed"] == 0 and noop["chapters_rewritten"] == [],
        "noop_at_most_5_percent_of_clean": noop["seconds"] <= 0.05 * clean["seconds"],
        "one_file_executed_only_its_runs": builds["one_file"]["executed"]
        == len(report["one_file_expected_runs"]),
        "clean_at_most_half_of_plain_jupyter_book": report.get(
            "ratio_plain_jupyter_book_to_clean", 0
        )
        >= 2,
    }
    if "areas_35" in builds:
        report["checks"]["areas_35_within_150_s"] = builds["areas_35"]["seconds"] <= 150
        report["checks"]["cpu_per_chapter_at_most_1_5_s"] = (
            builds["atlas_local"]["cpu_seconds_per_chapter"] <= 1.5
        )
        report["checks"]["dask_within_10_percent_of_local"] = report["ratio_dask_to_local"] <= 1.1
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
