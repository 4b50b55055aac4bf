"""A small project of templates, data and a runs file for the runner's tests (tests/unit/test_runner.py
reads it, tests/integration/test_runner_execution.py executes it)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from analysis.pipeline import runner


def make_template(
    path: Path,
    source: str,
    parameters: str = 'data_dir = "../../data"\nfactor = 2',
    heading: str = "# Template title\n\nSome prose.",
) -> Path:
    """A template notebook at ``path``: a Markdown ``heading``, a ``parameters`` cell, ``source``."""
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
        nbformat.v4.new_markdown_cell(heading),
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


def make_project(tmp_path: Path) -> Path:
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
