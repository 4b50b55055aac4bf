"""A runs file cannot make the build write or read outside its folders; parameters stay within
their declared bounds; run titles are text (hostile entries are exit 2 naming the key)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.literal import markdown_literal as markdown_text
from analysis.pipeline import runner
from analysis.pipeline.runner import PARAMETER_BOUNDS, RunsFileError
from analysis.project import CHAPTERS_DIR


def template(path: Path, parameters: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), cell]
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture()
def project(tmp_path):
    template(tmp_path / "templates" / "income.ipynb", 'data_dir = "x"\nbootstrap_resamples = 9999')
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd.ipynb").write_text("{}")
    return tmp_path


def load(project: Path, *, output="chapters/a.ipynb", template="income.ipynb", extra=""):
    runs = project / "runs.yml"
    runs.write_text(
        f"runs:\n  - id: a\n    template: {template}\n    output: {output}\n"
        f"    parameters: {{bootstrap_resamples: 9999}}\n{extra}"
    )
    return runner.load_runs(runs, project / "templates")


@pytest.mark.parametrize(
    "output",
    [
        "../data/pwned.ipynb",  # into the shipped data
        "templates/programmes.ipynb",  # over a template
        "chapters/../templates/x.ipynb",
        "/tmp/anywhere.ipynb",  # an absolute path
        "chapters/../../pwned.ipynb",
    ],
)
def test_an_output_outside_the_chapters_folder_is_refused_naming_the_key(project, output):
    with pytest.raises(RunsFileError) as error:
        load(project, output=output)
    assert "run 'a': key 'output'" in str(error.value) and f"outside {CHAPTERS_DIR}" in str(
        error.value
    )


def test_an_output_through_a_symbolic_link_out_of_the_chapters_folder_is_refused(project):
    link = CHAPTERS_DIR / "i12-test-link-not-committed"
    try:
        link.symlink_to(project)
    except OSError:
        pytest.skip("cannot create a symbolic link here")
    try:
        with pytest.raises(RunsFileError, match="key 'output'"):
            load(project, output=f"chapters/{link.name}/x.ipynb")
    finally:
        link.unlink()


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "../etc/passwd.ipynb", "/etc/passwd.ipynb", "income.py"]
)
def test_a_template_outside_the_templates_folder_is_refused_naming_the_key(project, name):
    with pytest.raises(RunsFileError) as error:
        load(project, template=name)
    assert "run 'a': key 'template'" in str(error.value)
    assert "is not a notebook in" in str(error.value)


@pytest.mark.parametrize("name", ["../secret.csv", "/etc/passwd", "study/../../x.csv"])
def test_an_input_outside_the_data_directory_is_refused(project, name):
    with pytest.raises(RunsFileError, match="key 'inputs': .* is not a path inside the data"):
        load(project, extra=f"    inputs: [{name!r}]\n")


def test_the_shipped_runs_stay_inside_their_folders():
    for run in runner.load_runs():
        assert (CHAPTERS_DIR.parent / run.output).resolve().is_relative_to(CHAPTERS_DIR)


@pytest.mark.parametrize("value", [-5, 0, 998, 100_001, 1_000_000_000])
def test_bootstrap_resamples_out_of_bounds_is_refused_before_anything_runs(project, value):
    runs = project / "runs.yml"
    runs.write_text(
        "runs:\n  - id: a\n    template: income.ipynb\n    output: chapters/a.ipynb\n"
        f"    parameters: {{bootstrap_resamples: {value}}}\n"
    )
    (run,) = runner.load_runs(runs, project / "templates")
    with pytest.raises(RunsFileError) as error:
        runner.check_parameters(run, runs)
    assert "run 'a': key 'parameters.bootstrap_resamples': expected a value between 999 and " in (
        str(error.value)
    )


@pytest.mark.parametrize("value", [999, 9999, 100_000])
def test_bootstrap_resamples_within_bounds_is_accepted(project, value):
    runs = project / "runs.yml"
    runs.write_text(
        "runs:\n  - id: a\n    template: income.ipynb\n    output: chapters/a.ipynb\n"
        f"    parameters: {{bootstrap_resamples: {value}}}\n"
    )
    (run,) = runner.load_runs(runs, project / "templates")
    assert runner.check_parameters(run, runs) == {"bootstrap_resamples": value}


def test_the_shipped_parameters_are_within_their_bounds():
    for run in runner.load_runs():
        for name, value in run.parameters.items():
            if name in PARAMETER_BOUNDS:
                least, greatest = PARAMETER_BOUNDS[name]
                assert least <= value <= greatest, (run.id, name)


@pytest.mark.parametrize("title", ['"a\\nb"', '"x\\0y"', "''", "[1, 2]"])
def test_a_title_must_be_one_line_of_text(project, title):
    with pytest.raises(RunsFileError, match="key 'title': expected one line of text"):
        load(project, extra=f"    title: {title}\n")


@pytest.mark.parametrize(
    "title",
    [
        "<script>alert('x')</script>",
        "<div onclick='x'>raw</div>",
        "{raw}`html` <b>bold</b>",
        "[link](javascript:alert(1)) *em* $x$",
    ],
)
def test_a_hostile_title_renders_as_the_text_written(title):
    import markdown_it.rules_inline  # noqa: F401  (markdown-it is myst-parser's parser)
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from myst_parser.parsers.mdit import create_md_parser

    parser = create_md_parser(MdParserConfig(enable_extensions={"dollarmath"}), DocutilsRenderer)
    tokens = parser.parse(f"# {markdown_text(title)}\n")
    inline = [t for t in tokens if t.type == "inline"][0]
    assert [c.type for c in inline.children] == ["text"] * len(inline.children)
    assert "".join(c.content for c in inline.children) == title


def test_shipped_titles_read_as_written():
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from myst_parser.parsers.mdit import create_md_parser

    parser = create_md_parser(MdParserConfig(enable_extensions={"dollarmath"}), DocutilsRenderer)
    for run in runner.load_runs():
        inline = [t for t in parser.parse(f"# {markdown_text(run.title)}\n") if t.type == "inline"]
        assert "".join(c.content for c in inline[0].children) == run.title


def test_a_hostile_title_is_escaped_in_the_chapter_and_the_provenance_page(tmp_path):
    from analysis.pipeline.pages import provenance_markdown

    title = "<script>alert(1)</script>"
    run = runner.Run("a", title, "income.ipynb", "chapters/a.ipynb", ())
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Template title")]
    runner.normalise(nb, run, "key", "../../data")
    assert nb.cells[0].source == "# \\<script\\>alert\\(1\\)\\<\\/script\\>"
    page = provenance_markdown([run], [], tmp_path, {}, {"a": "skipped"})
    assert "## \\<script\\>alert\\(1\\)\\<\\/script\\>" in page and "<script>" not in page
