"""The runs file, strict parameter checks and the cache (analysis.pipeline.runner); papermill
execution is checked in tests/integration/test_runner_execution.py."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import runner
from analysis.pipeline.request import BuildRequest
from analysis.pipeline.runner import RunsFileError
from support.runs_project import load, make_project, one_run


@pytest.fixture()
def project(tmp_path):
    """A small project: templates, a data directory with two files, a runs file."""
    return make_project(tmp_path)


def test_runs_file_declares_runs_with_inputs_and_parameters(project):
    runs = load(project)
    assert [r.id for r in runs] == ["first", "second", "third"]
    assert runs[1].inputs == ("numbers.txt", "other.txt")
    assert runs[2].parameters == {"factor": 4}


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            one_run(parameters="{factor: 2, colour: red}"),
            "run 'a': key 'parameters.colour': unknown parameter",
        ),
        (one_run(parameters="{}"), "run 'a': key 'parameters.factor': missing"),
        (one_run(parameters="{factor: two}"), "run 'a': key 'parameters.factor': expected int"),
        (one_run(parameters="{factor: true}"), "run 'a': key 'parameters.factor': expected int"),
        (
            one_run(parameters="{factor: 2, data_dir: x}"),
            "key 'parameters.data_dir': set by the runner",
        ),
    ],
)
def test_parameter_errors_name_the_run_and_the_key(project, text, expected):
    (run,) = load(project, text)
    with pytest.raises(RunsFileError, match=expected.replace(".", r"\.").replace("(", r"\(")):
        runner.check_parameters(run, project / "runs.yml")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            one_run(template="nowhere.ipynb"),
            "run 'a': key 'template': unknown template 'nowhere.ipynb'",
        ),
        ("runs:\n  - id: a\n    template: double.ipynb\n", "runs[1]: key 'output': missing"),
        (
            one_run() + "  - id: a\n    template: double.ipynb\n    output: chapters/b.ipynb\n",
            "run 'a': key 'id': duplicated",
        ),
        ("runs:\n  - id: a\n    template: x: y\n", "line 3"),
        ("chapters: []\n", "key 'runs'"),
        (one_run(output="chapters/a.html"), "key 'output': expected a .ipynb"),
    ],
)
def test_runs_file_errors_name_the_file_and_the_key(project, text, expected):
    with pytest.raises(RunsFileError) as error:
        load(project, text)
    assert str(project / "runs.yml") in str(error.value)
    assert expected in str(error.value)


def test_cli_exits_2_on_a_bad_runs_file_before_executing(project, capsys):
    from analysis.pipeline import book as build

    (project / "runs.yml").write_text(one_run(parameters="{factor: 2, colour: red}"))
    with pytest.raises(RunsFileError):
        build.build(BuildRequest(project / "data", project / "out", runs_file=project / "runs.yml"))
    assert not (project / "out" / "results.json").exists()


def test_cache_key_covers_template_parameters_inputs_package_and_lock(project):
    (run,) = load(project)[:1]
    data = project / "data"
    base = runner.cache_key(run, data, dependencies="p", lock="l")
    assert runner.cache_key(run, data, dependencies="p2", lock="l") != base
    assert runner.cache_key(run, data, dependencies="p", lock="l2") != base
    changed = runner.Run(
        run.id, run.title, run.template, run.output, run.inputs, {"factor": 9}, run.templates_dir
    )
    assert runner.cache_key(changed, data, dependencies="p", lock="l") != base
    (data / "numbers.txt").write_text("22\n")
    after_input = runner.cache_key(run, data, dependencies="p", lock="l")
    assert after_input != base
    template = Path(run.templates_dir) / run.template
    template.write_text(template.read_text().replace("Some prose.", "Other prose."))
    assert runner.cache_key(run, data, dependencies="p", lock="l") != after_input


def test_the_shipped_runs_file_is_valid_and_its_parameters_match_the_templates():
    runs = runner.load_runs()
    for run in runs:
        runner.check_parameters(run)
    assert len({r.output for r in runs}) == len(runs)


def test_figure_labels_are_scoped_to_the_run_so_a_template_can_run_twice():
    nb = nbformat.v4.new_notebook()
    figure = nbformat.v4.new_code_cell("plot()")
    figure.metadata["mystnb"] = {"figure": {"name": "fig-trend", "caption": "A trend"}}
    text = nbformat.v4.new_markdown_cell(
        "As {numref}`fig-trend` shows, and {ref}`the trend <fig-trend>` too."
    )
    nb.cells = [text, figure]
    runner._scope_figure_labels(nb, "context-jombang")
    assert figure.metadata["mystnb"]["figure"]["name"] == "context-jombang-fig-trend"
    assert text.source == (
        "As {numref}`context-jombang-fig-trend` shows, and "
        "{ref}`the trend <context-jombang-fig-trend>` too."
    )


def test_an_optional_input_is_in_the_cache_key_but_its_absence_skips_nothing(project):
    (run,) = load(
        project,
        "runs:\n  - id: a\n    template: double.ipynb\n    output: chapters/a.ipynb\n"
        "    inputs: [numbers.txt]\n    optional_inputs: [extra.txt]\n    parameters: {factor: 2}\n",
    )
    data = project / "data"
    absent = runner.cache_key(run, data, dependencies="p", lock="l")
    (data / "extra.txt").write_text("1\n")
    assert runner.cache_key(run, data, dependencies="p", lock="l") != absent
    from analysis.pipeline.book import missing_inputs

    (data / "extra.txt").unlink()
    assert missing_inputs(run, data) == []


def test_book_key_changes_with_any_book_source_but_not_with_templates(tmp_path):
    from analysis.pipeline.jupyterbook import BOOK_KEY, book_key, up_to_date
    from analysis.pipeline.layout import BookLayout

    (tmp_path / "book" / "pages").mkdir(parents=True)
    (tmp_path / "book" / "templates").mkdir()
    for name, text in {
        "_config.yml": "title: t\n",
        "_toc.yml": "root: book/pages/a\n",
        "book/pages/a.md": "# A\n",
        "book/templates/t.ipynb": "{}",
    }.items():
        (tmp_path / name).write_text(text)
    layout = BookLayout(tmp_path, tmp_path / "book", tmp_path / "data", tmp_path / "out")
    key = book_key(layout, "html", False)
    assert book_key(layout, "html", True) != key and book_key(layout, "pdflatex", False) != key
    (tmp_path / "book/templates/t.ipynb").write_text('{"changed": 1}')
    assert book_key(layout, "html", False) == key
    built = tmp_path / "out" / "html"
    built.mkdir(parents=True)
    (built / BOOK_KEY).write_text(key + "\n")
    assert up_to_date(built, key)
    (tmp_path / "book/pages/a.md").write_text("# A, revised\n")
    assert not up_to_date(built, book_key(layout, "html", False))
