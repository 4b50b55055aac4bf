"""Executing runs (analysis.pipeline.execute, kernels, stopping): forked kernels are fresh kernels,
chapters equal plain papermill's byte for byte, and a build stops when told."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.pipeline import execute, runner, stopping
from analysis.project import BOOK_DIR, CHAPTERS_DIR, DATA_DIR, PROJECT_ROOT, RUNS_FILE
from support.runs_project import make_template

PROBE = (
    "import os, sys\n"
    "pandas_before = 'pandas' in sys.modules\n"
    "from analysis.chapter import record\n"
    "record('pandas_already_imported', pandas_before)\n"
    "record('leak_seen', 'leak' in globals())\n"
    "leak = factor\n"
    "record('pid', os.getpid())\n"
    "record('cwd_name', os.path.basename(os.getcwd()) != '')\n"
    "import numpy\n"
    "record('numpy_draw', int(numpy.random.randint(0, 2**31)))\n"
)


def probe_runs(tmp_path: Path, n: int = 3) -> list[runner.Run]:
    make_template(tmp_path / "templates" / "probe.ipynb", PROBE)
    runs_file = tmp_path / "runs.yml"
    runs_file.write_text(
        "runs:\n"
        + "".join(
            f"  - id: p{i}\n    template: probe.ipynb\n    output: chapters/p{i}.ipynb\n"
            f"    parameters: {{factor: {i}}}\n"
            for i in range(n)
        )
    )
    (tmp_path / "data").mkdir(exist_ok=True)
    return runner.load_runs(runs_file, tmp_path / "templates")


def test_every_run_gets_a_fresh_kernel_of_its_own_with_the_libraries_already_imported(tmp_path):
    runs = probe_runs(tmp_path)
    execute.execute_runs(runs, tmp_path / "data", tmp_path / "book", jobs=1)
    results = runner.collect_results(runs, tmp_path / "book")
    assert all(r["pandas_already_imported"] for r in results.values())  # the zygote's imports
    assert not any(r["leak_seen"] for r in results.values())  # no state passes between runs
    assert len({r["pid"] for r in results.values()}) == len(runs)  # one process per run
    assert len({r["numpy_draw"] for r in results.values()}) == len(runs)  # re-seeded after fork
    assert os.getpid() not in {r["pid"] for r in results.values()}


def test_plain_papermill_kernels_do_not_have_the_libraries_imported(tmp_path):
    runs = probe_runs(tmp_path, n=1)
    execute.execute_runs(runs, tmp_path / "data", tmp_path / "book", kernel="plain")
    (result,) = runner.collect_results(runs, tmp_path / "book").values()
    assert result["pandas_already_imported"] is False


def test_a_failing_run_in_a_forked_kernel_names_the_cell_and_writes_nothing(tmp_path):
    make_template(tmp_path / "templates" / "broken.ipynb", "raise ValueError('no')")
    (tmp_path / "runs.yml").write_text(
        "runs:\n  - id: bad\n    template: broken.ipynb\n    output: chapters/bad.ipynb\n"
        "    parameters: {factor: 1}\n"
    )
    (tmp_path / "data").mkdir()
    runs = runner.load_runs(tmp_path / "runs.yml", tmp_path / "templates")
    with pytest.raises(runner.ChapterFailed, match=r"cell 3 .*ValueError: no"):
        execute.execute_runs(runs, tmp_path / "data", tmp_path / "book")
    assert not (tmp_path / "book").exists() or not list((tmp_path / "book").rglob("*.ipynb"))


@pytest.mark.slow
def test_chapters_from_forked_kernels_are_byte_identical_to_plain_papermill_and_to_the_stored_ones(
    tmp_path,
):
    wanted = {"context-jombang", "overview-jawa-timur", "programmes", "qualitative-pakis"}
    runs = [r for r in runner.load_runs(RUNS_FILE) if r.id in wanted]
    forked, plain = tmp_path / "forked" / "book", tmp_path / "plain" / "book"
    # the same place relative to the data as the shipped chapters: book/chapters next to data/
    for root in (forked, plain):
        shutil.copytree(DATA_DIR, root.parent / "data")
    execute.execute_runs(runs, forked.parent / "data", forked, force=True, jobs=2)
    execute.execute_runs(runs, plain.parent / "data", plain, force=True, jobs=2, kernel="plain")
    for run in runs:
        ours = (forked / run.output).read_bytes()
        assert ours == (plain / run.output).read_bytes(), run.id
        assert ours == (BOOK_DIR / run.output).read_bytes(), run.id
    downloads = sorted(p.name for p in (plain / "chapters" / "downloads").iterdir())
    assert downloads == sorted(p.name for p in (forked / "chapters" / "downloads").iterdir())
    for name in downloads:
        stored = CHAPTERS_DIR / "downloads" / name
        assert (forked / "chapters" / "downloads" / name).read_bytes() == stored.read_bytes()


def test_data_reach_a_remote_worker_as_bytes_at_the_same_relative_place(tmp_path):
    (tmp_path / "data" / "public").mkdir(parents=True)
    (tmp_path / "data" / "public" / "a.csv").write_bytes(b"x\n1\n")
    bundle = execute.DataInMemory.read(tmp_path / "data")
    chapter_dir, data_dir = execute._geometry(tmp_path / "remote", "../../data")
    bundle.materialise(data_dir)
    assert (chapter_dir / "../../data/public/a.csv").resolve().read_bytes() == b"x\n1\n"
    assert chapter_dir.resolve().is_relative_to((tmp_path / "remote").resolve())


# --------------------------------------------------------------------------- stopping
def test_descendants_are_found_through_proc(tmp_path):
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert child.pid in stopping.descendants()
    finally:
        child.kill()
        child.wait()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def folder_state(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_build_its_workers_and_kernels_and_nothing_is_written_after(
    tmp_path, signum
):
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(DATA_DIR, data)
    build = subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", "--data", str(data), "--out", str(out)]
        + ["--force", "--no-book", "--jobs", "2"],
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    chapters = out / "source" / "book" / "chapters"
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    # wait until at least one chapter is written and kernels are running for the next ones
    while time.monotonic() < deadline and build.poll() is None:
        seen |= set(stopping.descendants(build.pid))
        kernels = [p for p in seen if alive(p) and "ipykernel" in _cmdline(p) + _zygote_child(p)]
        if chapters.is_dir() and list(chapters.glob("*.ipynb")) and kernels:
            break
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be stopped"
    seen |= set(stopping.descendants(build.pid))
    build.send_signal(signum)
    started = time.monotonic()
    _, stderr = build.communicate(timeout=30)
    assert time.monotonic() - started < 5, "the build took more than 5 s to stop"
    assert build.returncode == 128 + signum
    assert "Traceback" not in stderr
    assert "nothing more written" in stderr
    time.sleep(0.5)
    survivors = [p for p in seen if alive(p)]
    assert survivors == [], f"processes left running: {survivors}"
    before = folder_state(out)
    time.sleep(3)
    assert folder_state(out) == before
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith((".writing", ".executing"))]
    assert leftovers == []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _zygote_child(pid: int) -> str:
    """A forked kernel has the zygote's command line; tell it by its parent being the zygote."""
    try:
        ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return ""
    return "ipykernel" if "_serve(" in _cmdline(ppid) else ""


def test_the_build_log_has_no_tcp_encryption_warnings(tmp_path):
    probe_runs(tmp_path, n=1)
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from analysis.pipeline import execute, runner;"
            f"runs = runner.load_runs(Path({str(tmp_path / 'runs.yml')!r}), "
            f"Path({str(tmp_path / 'templates')!r}));"
            f"execute.execute_runs(runs, Path({str(tmp_path / 'data')!r}), "
            f"Path({str(tmp_path / 'book')!r}), force=True)",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "without encryption" not in completed.stderr
    assert "KeyboardInterrupt" not in completed.stderr  # kernels end without an interrupt
    assert "[1/1] p0 done" in completed.stderr


# --------------------------------------------------------------------------- kill -9
def _gone_within(pids, seconds: float) -> list[int]:
    """The processes of ``pids`` still alive after ``seconds`` (zombies count as gone)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [p for p in pids if alive(p)]
        if not left:
            return []
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def _start_parent(code: str) -> subprocess.Popen:
    """A Python process running ``code``, which prints a line once its children are started."""
    parent = subprocess.Popen(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout.readline().strip() == "started"
    return parent


def test_a_child_watching_its_parent_dies_with_it_when_the_parent_is_killed_outright():
    child_code = (
        "import os, sys, time\n"
        "from analysis.pipeline.stopping import die_with_parent\n"
        "assert die_with_parent(int(sys.argv[1]))\n"
        "print('watching', flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = _start_parent(
        "import os, subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, '-c', {child_code!r}, str(os.getpid())],"
        " stdout=subprocess.PIPE, text=True)\n"
        "assert child.stdout.readline() == 'watching\\n'\n"
        "print('started', flush=True)\n"
        "time.sleep(60)\n"
    )
    children = stopping.descendants(parent.pid)
    assert len(children) == 1 and alive(children[0])
    parent.kill()
    parent.wait()
    assert _gone_within(children, 1.0) == []


def test_a_guarded_command_and_its_own_children_end_with_the_build_killed_outright():
    parent = _start_parent(
        "import subprocess, time\n"
        "from analysis.pipeline.stopping import guarded\n"
        "subprocess.Popen(guarded(['sh', '-c', 'sleep 60 & sleep 60 & wait']))\n"
        "time.sleep(1.0)\n"
        "print('started', flush=True)\n"
        "time.sleep(60)\n"
    )
    family = stopping.descendants(parent.pid)
    assert len([p for p in family if _cmdline(p).startswith("sleep")]) == 2
    parent.kill()
    parent.wait()
    assert _gone_within(family, 1.0) == []


def test_a_guarded_command_exits_with_its_own_code_and_output():
    completed = subprocess.run(
        stopping.guarded(["sh", "-c", "echo out; echo err >&2; exit 3"]),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (3, "out\n", "err\n")


@pytest.mark.slow
def test_after_kill_9_of_the_build_no_worker_zygote_or_kernel_outlives_it_by_a_second(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(DATA_DIR, data)
    build = subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", "--data", str(data), "--out", str(out)]
        + ["--force", "--no-book", "--jobs", "2"],
        cwd=PROJECT_ROOT,
        stderr=subprocess.DEVNULL,
    )
    seen: set[int] = set()
    kernels: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None:  # until kernels are running
        seen |= set(stopping.descendants(build.pid))
        kernels = [p for p in seen if alive(p) and "ipykernel" in _cmdline(p) + _zygote_child(p)]
        if len(kernels) >= 2:
            break
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be killed"
    assert len(kernels) >= 2, "no kernels were seen running"
    seen |= set(stopping.descendants(build.pid))
    assert len(seen) >= 6  # two workers, their zygotes, and a kernel each
    build.kill()
    build.wait()
    assert _gone_within(seen, 1.5) == [], "processes outlived the build"


def test_a_forked_kernel_is_shut_down_without_an_interrupt_so_it_logs_nothing(tmp_path):
    import asyncio

    from analysis.pipeline import kernels

    sent: list[int] = []

    async def start_and_stop() -> int:
        manager = kernels.ForkingKernelManager(kernel_name="python3")
        await manager.start_kernel(cwd=str(tmp_path))
        pid = manager.provisioner.pid
        real = manager.provisioner.send_signal

        async def record(signum):
            sent.append(signum)
            await real(signum)

        manager.provisioner.send_signal = record
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=60)
        client.stop_channels()
        await manager.shutdown_kernel()
        return pid

    pid = asyncio.run(start_and_stop())
    assert signal.SIGINT not in sent
    assert _gone_within([pid], 5.0) == []
