"""Fixtures of the integration tests (tests/integration): builds, executions, kernels."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from analysis.pipeline import book, jupyterbook, runner
from analysis.pipeline.request import BuildRequest
from analysis.project import DATA_DIR


@pytest.fixture()
def fake_build(tmp_path, monkeypatch):
    """An in-process build on a copy of the data, with execution and Jupyter Book faked: the
    chapters are not executed and the "book" is what the test writes."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    out = tmp_path / "out"
    monkeypatch.setattr(
        runner,
        "execute_runs",
        lambda runs, *a, **k: [runner.RunOutcome(r, executed=True, duration=1.0) for r in runs],
    )
    monkeypatch.setattr(runner, "collect_results", lambda runs, root: {"r": {"value": 1}})
    pages = {"index.html": "<p>a good book</p>"}

    def fake_jupyter_book(layout, builder, strict, pdf=None, languages=("en",)):
        work = Path(tempfile.mkdtemp(prefix=f".{builder}-fake-", dir=layout.out_dir))
        (work / "_build" / "html").mkdir(parents=True)
        for name, text in pages.items():
            (work / "_build" / "html" / name).write_text(text)
        return work / "_build"

    monkeypatch.setattr(jupyterbook, "jupyter_book", fake_jupyter_book)
    monkeypatch.setattr(jupyterbook, "up_to_date", lambda built, key: False)  # always render again

    def run(**kwargs):
        return book.build(BuildRequest(data, out, **kwargs))

    return run, out, pages
