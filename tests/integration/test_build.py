"""End to end: `python -m analysis build --data DIR --out OUT` on other data (slow: executes chapters)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.pipeline.request import BuildRequest
from analysis.project import PROJECT_ROOT

pytestmark = pytest.mark.slow
DATA = PROJECT_ROOT / "data"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "build", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )


@pytest.fixture(scope="module")
def public_only(tmp_path_factory):
    """A data directory with the BPS files only: the context chapters can run, the study chapters cannot."""
    data = tmp_path_factory.mktemp("public-only")
    shutil.copytree(DATA / "public", data / "public")
    out = tmp_path_factory.mktemp("public-only-book")
    shipped = tree_digest(PROJECT_ROOT / "book"), tree_digest(DATA)
    completed = build("--data", str(data), "--out", str(out))
    return data, out, completed, shipped


def test_build_from_other_data_skips_chapters_whose_inputs_are_absent(public_only):
    data, out, completed, _ = public_only
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "skipping chapter 'income-pakis'" in completed.stderr
    assert "study/households.csv" in completed.stderr
    assert completed.stdout.strip() == str(out / "html" / "index.html")
    results = json.loads((out / "results.json").read_text())
    assert set(results) == {"context-jombang", "context-banyuwangi", "overview-jawa-timur"}
    assert (out / "html" / "book" / "chapters" / "context_jombang.html").is_file()
    assert not (out / "html" / "book" / "chapters" / "income_pakis.html").exists()


def test_build_from_other_data_touches_neither_the_shipped_chapters_nor_data(public_only):
    _, _, completed, (book_before, data_before) = public_only
    assert completed.returncode == 0
    assert tree_digest(PROJECT_ROOT / "book") == book_before
    assert tree_digest(DATA) == data_before


def test_a_failing_chapter_exits_1_names_it_and_keeps_the_last_good_book(
    public_only, tmp_path, monkeypatch, capsys
):

    import nbformat

    from analysis.pipeline import book, plan, runner

    data, out, completed, _ = public_only
    assert completed.returncode == 0
    good = (out / "html" / "index.html").read_bytes()
    templates = tmp_path / "templates"
    templates.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell('data_dir = "../../data"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('the chapter cannot go on')"),
    ]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, templates / "broken.ipynb")
    (good_run,) = [r for r in runner.load_runs() if r.id == "context-jombang"]
    broken = runner.Run(
        "context-jombang",
        good_run.title,
        "broken.ipynb",
        good_run.output,
        good_run.inputs,
        {},
        str(templates),
    )
    toc = {
        "format": "jb-book",
        "root": "book/pages/intro",
        "parts": [{"caption": "A", "chapters": [{"file": broken.docname}]}],
    }
    monkeypatch.setattr(plan, "runs_for", lambda *args, **kwargs: ([broken], toc))
    args = BuildRequest(data_dir=data, out_dir=out, force=True, jobs=1)
    assert book.main(args) == 1
    err = capsys.readouterr().err
    assert "chapter 'context-jombang'" in err and "failed in cell 3" in err
    assert "the chapter cannot go on" in err
    assert (out / "html" / "index.html").read_bytes() == good


def test_bad_data_exits_2_and_executes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    households = data / "study" / "households.csv"
    if not households.exists():
        pytest.fail("data/study/households.csv is missing from the shipped data")
    text = households.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = text[1].split(",")
    row[header.index("income_before")] = "-5"
    households.write_text("\n".join([text[0], ",".join(row), *text[2:]]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    completed = build("--data", str(data), "--out", str(out))
    assert completed.returncode == 2
    assert "study/households.csv:2: error: column income_before: value '-5'" in completed.stderr
    assert not (out / "results.json").exists()
    assert not (out / "source" / "book" / "chapters").exists()


def test_the_landing_page_says_which_edition_of_the_study_data_the_build_shows(tmp_path):
    from analysis.pipeline.pages import edition_markdown

    assert "illustrative study data" in edition_markdown(DATA)
    shutil.copytree(DATA, tmp_path / "data")
    # without the registry's per-study data_kind, the files' checksums decide
    registry = tmp_path / "data" / "study" / "studies.csv"
    table = pd.read_csv(registry, dtype=str, keep_default_na=False).drop(columns="data_kind")
    registry.write_text(table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    households = tmp_path / "data" / "study" / "households.csv"
    households.write_text(
        households.read_text(encoding="utf-8").replace("PKS-H01,", "PKS-H99,", 1), encoding="utf-8"
    )
    text = edition_markdown(tmp_path / "data")
    assert "field data" in text and "households" in text and "still illustrative" in text
    assert "no study data" in edition_markdown(tmp_path / "data" / "public")
