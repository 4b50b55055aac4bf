"""``--scheduler ADDRESS``: the runs execute on a Dask cluster and give the local build's results.

Starts ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (from the project's
environment, on free ports, with their own working folders so that they cannot see the build
folder) and kills them at the end.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.project import DATA_DIR, PROJECT_ROOT

pytestmark = pytest.mark.slow
DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    work = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port)]
            + ["--dashboard-address", ":0", "--no-show"],
            cwd=work,
            **quiet,
        )
    ]
    try:
        for name in ("w1", "w2"):
            (work / name).mkdir()
            processes.append(
                subprocess.Popen(
                    [str(DASK), "worker", address, "--nthreads", "1", "--nworkers", "1"]
                    + ["--no-nanny", "--dashboard-address", ":0", "--local-directory", str(work)],
                    cwd=work / name,
                    **quiet,
                )
            )
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in processes:
            process.kill()
        for process in processes:
            process.wait(timeout=30)


def build(data: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--data", str(data), "--out", str(out)]
        + ["--no-book", "--force", *extra],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_a_dask_built_book_has_the_results_of_the_local_build(cluster, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    local = build(data, tmp_path / "local")
    assert local.returncode == 0, local.stderr[-3000:]
    remote = build(data, tmp_path / "dask", "--scheduler", cluster, "--areas", "3517,3578")
    assert remote.returncode == 0, remote.stderr[-3000:]
    assert f"on {cluster}" in remote.stderr
    ours = json.loads((tmp_path / "dask" / "results.json").read_text())
    theirs = json.loads((tmp_path / "local" / "results.json").read_text())
    assert {k: v for k, v in ours.items() if not k.startswith("atlas-")} == theirs
    assert {"atlas-3517", "atlas-3578"} <= set(ours)
    for run in ("context_jombang", "income_pakis", "synthesis"):
        local_nb = tmp_path / "local/source/book/chapters" / f"{run}.ipynb"
        dask_nb = tmp_path / "dask/source/book/chapters" / f"{run}.ipynb"
        assert dask_nb.read_bytes() == local_nb.read_bytes()


def test_a_scheduler_that_cannot_be_reached_is_a_clear_error(tmp_path):
    started = time.monotonic()
    completed = build(DATA_DIR, tmp_path / "out", "--scheduler", f"tcp://127.0.0.1:{free_port()}")
    assert completed.returncode == 2
    assert "scheduler" in completed.stderr and "Traceback" not in completed.stderr
    assert time.monotonic() - started < 120
