"""Numbers once, words per edition, executed: a template declaring ``editions`` is executed once
by the runner (papermill, a kernel) and both editions come from that execution, while an
old-style template is executed once per edition (the functions it relies on are tested without
a kernel in tests/unit/test_one_execution.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import i18n
from analysis.pipeline import editions, runner
from analysis.report.words import Words
from support.runs_project import make_template


def _text(output: dict) -> str:
    text = output.get("data", {}).get("text/markdown", "")
    return "".join(text) if isinstance(text, list) else text


NEW_STYLE = """\
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from analysis.chapter import banner, record, show, use_editions
from analysis.report.parts import Download, Figure, Text
from analysis.report.words import Words

use_editions(editions)
with Path(data_dir, "executions.txt").open("a") as log:
    log.write("once\\n")
value = int(Path(data_dir, "numbers.txt").read_text().split()[0]) * factor + 0.5
record("value", value)


def draw(lang):
    fig, ax = plt.subplots()
    ax.set_title(lang)
    return fig


def says(value, *, lang):
    w = Words(lang)
    frame = pd.DataFrame({"value": [value], "flag": [w._("yes")]})
    return [
        Text(w._("yes") + ": " + w.number(value, 1)),
        Download(frame, "values", w._("yes")),
        Figure(lambda: draw(lang), alt=w._("no")),
    ]


banner("illustrative")
show(says, value)
"""

OLD_STYLE = """\
from pathlib import Path

from analysis.chapter import record, show
from analysis.i18n import use_language
from analysis.report.parts import Text
from analysis.report.words import Words

use_language(lang)
with Path(data_dir, "executions.txt").open("a") as log:
    log.write("apart\\n")
value = int(Path(data_dir, "numbers.txt").read_text().split()[0]) * factor
record("value", value)
show(lambda value, *, lang: [Text(Words(lang)._("yes"))], value)
"""


def _template(path: Path, source: str, parameters: str) -> None:
    make_template(path, source, parameters, heading="# Title")


@pytest.mark.slow  # executes two small notebooks with papermill
def test_one_execution_yields_both_editions_and_an_old_style_template_runs_per_edition(tmp_path):
    templates, data, root = tmp_path / "templates", tmp_path / "data", tmp_path / "book"
    _template(
        templates / "once.ipynb", NEW_STYLE, 'data_dir = "../data"\neditions = "en"\nfactor = 1'
    )
    _template(templates / "apart.ipynb", OLD_STYLE, 'data_dir = "../data"\nlang = "en"\nfactor = 1')
    data.mkdir()
    (data / "numbers.txt").write_text("1234\n")
    (tmp_path / "runs.yml").write_text(
        "runs:\n"
        "  - id: once\n    title: Once\n    template: once.ipynb\n    output: chapters/once.ipynb\n"
        "    inputs: [numbers.txt]\n    parameters: {factor: 1}\n"
        "    translated: {id: {title: Sekali}}\n"
        "  - id: apart\n    title: Apart\n    template: apart.ipynb\n    output: chapters/apart.ipynb\n"
        "    inputs: [numbers.txt]\n    parameters: {factor: 2}\n"
    )
    runs = runner.load_runs(tmp_path / "runs.yml", templates, root / "chapters")
    for run in runs:
        runner.check_parameters(run, tmp_path / "runs.yml")

    def build():
        runner.execute_runs(runs, data, root, jobs=1)
        return editions.make_editions(runs, ["en", "id"], data, root, jobs=1)

    by_lang = build()
    assert [r.output for r in by_lang["id"]] == [
        "chapters/id/once.ipynb",
        "chapters/id/apart.ipynb",
    ]
    executions = (data / "executions.txt").read_text().split()
    assert executions.count("once") == 1 and executions.count("apart") == 2

    chapters = root / "chapters"
    executed = json.loads((chapters / "once.ipynb").read_text())
    outputs = [o for c in executed["cells"] for o in c.get("outputs", [])]
    texts = {
        i18n.output_language(o): _text(o) for o in outputs if _text(o).startswith(("yes:", "ya:"))
    }
    assert texts == {"en": "yes: " + Words("en").number(1234.5, 1), "id": "ya: 1.234,5"}
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert [(i18n.output_language(o), o["metadata"]["image/png"]["alt"]) for o in images] == [
        ("en", "no"),
        ("id", "tidak"),
    ]
    assert (chapters / "downloads" / "values.csv").read_text().count("yes") == 1
    assert (chapters / "id" / "downloads" / "values.csv").read_text().count("ya") == 1

    derived = json.loads((chapters / "id" / "once.ipynb").read_text())
    langs = {i18n.output_language(o) for c in derived["cells"] for o in c.get("outputs", [])}
    assert langs == {None, "id"}
    assert derived["cells"][0]["source"][0].startswith("# Sekali")
    results = runner.collect_results(runs, root)
    assert results["once"] == {"value": 1234.5}
    assert runner.collect_results(by_lang["id"], root) == results  # the same numbers
    assert editions.stored_executions(chapters) == [
        chapters / "apart.ipynb",
        chapters / "id" / "apart.ipynb",
        chapters / "once.ipynb",
    ]
    old = json.loads((chapters / "id" / "apart.ipynb").read_text())
    assert all(i18n.output_language(o) is None for c in old["cells"] for o in c.get("outputs", []))

    build()  # nothing changed: nothing executed, nothing derived again
    assert (data / "executions.txt").read_text().split() == executions
    assert editions.derive_chapters(runs, "id", root) == []
