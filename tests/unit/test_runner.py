"""The runs file, strict parameter checks, the cache and papermill execution (analysis.pipeline.runner)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import cache, runner
from analysis.pipeline.request import BuildRequest
from analysis.pipeline.runner import ChapterFailed, RunsFileError


def make_template(
    path: Path, source: str, parameters: str = 'data_dir = "../../data"\nfactor = 2'
) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Template title\n\nSome prose."),
        params,
        nbformat.v4.new_code_cell(source),
    ]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


GLUE_SOURCE = (
    "from pathlib import Path\n"
    "from analysis.chapter import record\n"
    "value = int(Path(data_dir, 'numbers.txt').read_text().split()[0]) * factor\n"
    "record('doubled', value)\n"
    "print('value is', value)"
)


@pytest.fixture()
def project(tmp_path):
    """A small project: templates, a data directory with two files, a runs file."""
    templates = tmp_path / "templates"
    make_template(templates / "double.ipynb", GLUE_SOURCE)
    make_template(templates / "broken.ipynb", "x = 1\nraise ValueError('the data say no')")
    data = tmp_path / "data"
    data.mkdir()
    (data / "numbers.txt").write_text("21\n")
    (data / "other.txt").write_text("5\n")
    runs = tmp_path / "runs.yml"
    runs.write_text(
        "runs:\n"
        "  - id: first\n    title: First chapter\n    template: double.ipynb\n    output: chapters/first.ipynb\n"
        "    inputs: [numbers.txt]\n    parameters: {factor: 2}\n"
        "  - id: second\n    title: Second chapter\n    template: double.ipynb\n    output: chapters/second.ipynb\n"
        "    inputs: [numbers.txt, other.txt]\n    parameters: {factor: 3}\n"
        "  - id: third\n    title: Third chapter\n    template: double.ipynb\n    output: chapters/third.ipynb\n"
        "    inputs: [other.txt]\n    parameters: {factor: 4}\n"
    )
    return tmp_path


def load(project: Path, text: str | None = None):
    runs_file = project / "runs.yml"
    if text is not None:
        runs_file.write_text(text)
    return runner.load_runs(runs_file, project / "templates")


def one_run(
    extra: str = "",
    parameters: str = "{factor: 2}",
    template: str = "double.ipynb",
    output: str = "chapters/a.ipynb",
) -> str:
    return (
        f"runs:\n  - id: a\n    template: {template}\n    output: {output}\n"
        f"    parameters: {parameters}\n{extra}"
    )


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
    from analysis.pipeline.book import BOOK_KEY, BookLayout, book_key, up_to_date

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
