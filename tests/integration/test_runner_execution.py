"""Papermill execution of the runner (analysis.pipeline.runner): the cache, glued values,
stable bytes, hidden parameters and a failing chapter, on a small project of templates
(tests/support/runs_project.py). The runs file and the cache keys are checked in
tests/unit/test_runner.py."""

from __future__ import annotations

import nbformat
import pytest

from analysis.pipeline import cache, runner
from analysis.pipeline.runner import ChapterFailed
from support.runs_project import load, make_project


@pytest.fixture()
def project(tmp_path):
    """A small project: templates, a data directory with two files, a runs file."""
    return make_project(tmp_path)


def test_rebuild_with_nothing_changed_executes_no_notebook_and_one_input_change_reruns_its_runs(
    project, monkeypatch
):
    monkeypatch.setattr(
        cache, "dependencies_digest", lambda template: "analysis-source"
    )  # others may edit analysis/ meanwhile
    runs, data, root = load(project), project / "data", project / "book"
    first = runner.execute_runs(runs, data, root, jobs=2)
    assert all(o.executed for o in first)
    again = runner.execute_runs(runs, data, root, jobs=2)
    assert not any(o.executed for o in again)
    (data / "other.txt").write_text("6\n")
    third = runner.execute_runs(runs, data, root, jobs=2)
    assert {o.run.id for o in third if o.executed} == {"second", "third"}


def test_glued_values_reach_the_results(project):
    runs, data, root = load(project), project / "data", project / "book"
    runner.execute_runs(runs, data, root, jobs=2)
    results = runner.collect_results(runs, root)
    assert results == {
        "first": {"doubled": 42},
        "second": {"doubled": 63},
        "third": {"doubled": 84},
    }


def test_executed_chapter_is_identical_from_build_to_build(project):
    runs, data, root = load(project)[:1], project / "data", project / "book"
    runner.execute_runs(runs, data, root, force=True)
    before = (root / "chapters/first.ipynb").read_bytes()
    runner.execute_runs(runs, data, root, force=True)
    assert (root / "chapters/first.ipynb").read_bytes() == before


def test_executed_chapter_hides_parameters_and_takes_its_title_from_the_runs_file(project):
    runs, data, root = load(project)[:1], project / "data", project / "book"
    runner.execute_runs(runs, data, root)
    nb = nbformat.read(root / "chapters/first.ipynb", as_version=4)
    assert nb.cells[0].source.startswith("# First chapter\n")
    parameter_cells = [
        c
        for c in nb.cells
        if {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))
    ]
    assert len(parameter_cells) == 2
    assert all("remove-cell" in c.metadata["tags"] for c in parameter_cells)
    assert "papermill" not in nb.metadata
    code = [c for c in nb.cells if c.cell_type == "code" and c not in parameter_cells]
    assert code and all("remove-input" in c.metadata["tags"] for c in code)
    assert "run-details-first" in nb.cells[-1].source
    injected = next(c for c in parameter_cells if "injected-parameters" in c.metadata["tags"])
    assert 'data_dir = "../../data"' in injected.source  # relative, so the chapter reruns anywhere


def test_failing_chapter_names_the_run_and_the_cell_and_leaves_no_output(project):
    (project / "runs.yml").write_text(
        "runs:\n  - id: bad\n    template: broken.ipynb\n    output: chapters/bad.ipynb\n    parameters: {factor: 1}\n"
    )
    runs = load(project)
    with pytest.raises(ChapterFailed) as error:
        runner.execute_runs(runs, project / "data", project / "book")
    message = str(error.value)
    assert (
        "chapter 'bad'" in message
        and "cell 3 (counting from 1)" in message
        and "ValueError: the data say no" in message
    )
    assert "\x1b[" not in message
    assert not (project / "book/chapters/bad.ipynb").exists()
