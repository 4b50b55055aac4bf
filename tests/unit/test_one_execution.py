"""Numbers once, words per edition: a template declaring ``editions`` is executed once and both
editions come from that execution (analysis.chapter, analysis.pipeline.editions)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from analysis import chapter, i18n
from analysis.pipeline import editions, imports, runner
from analysis.pipeline.runs import Run
from analysis.project import PACKAGE_DIR, PROJECT_ROOT
from analysis.report.parts import Figure, Table, Text
from analysis.report.words import Words
from support.runs_project import make_template


# --------------------------------------------------------------------------- show, in the kernel
@pytest.fixture()
def shown(monkeypatch):
    """What chapter.py displays, as (object, metadata), instead of IPython's display."""
    displayed = []
    monkeypatch.setattr(
        chapter, "display", lambda obj, metadata=None: displayed.append((obj, metadata))
    )
    yield displayed
    chapter._LANGUAGES.update(editions=(), output=None)
    i18n.use_language("en")


def _says(value, *, lang):
    w = Words(lang)
    return [Text(w._("yes") + " " + w.number(value, 1))]


def test_show_calls_the_report_function_once_per_edition_and_marks_each_output(shown):
    calls = []

    def report(value, *, lang):
        calls.append((lang, i18n.language()))
        return _says(value, lang=lang)

    chapter.use_editions("en,id")
    chapter.show(report, 1234.5)
    assert calls == [("en", "en"), ("id", "id")]  # each edition written in its own language
    texts = [(obj.data, meta[i18n.OUTPUT_KEY]["lang"]) for obj, meta in shown]
    assert texts == [
        ("yes " + Words("en").number(1234.5, 1), "en"),
        ("ya " + Words("id").number(1234.5, 1), "id"),
    ]
    assert i18n.language() == "en"  # the first edition's language afterwards


def test_banner_and_tables_are_written_per_edition(shown):
    import pandas as pd

    chapter.use_editions("en,id")
    chapter.banner("illustrative")
    chapter.show(lambda *, lang: Table(pd.DataFrame({"flag": [True]})))
    langs = [meta[i18n.OUTPUT_KEY]["lang"] for _, meta in shown]
    assert langs == ["en", "id", "en", "id"]
    assert "Illustrative data" in shown[0][0].data and "Illustrative data" not in shown[1][0].data
    assert "yes" in shown[2][0]._repr_html_() and "ya" in shown[3][0]._repr_html_()


def test_an_old_style_chapter_shows_one_edition_unmarked(shown):
    i18n.use_language("id")
    chapter.show(_says, 2.0)
    assert len(shown) == 1 and shown[0][1] is None
    assert shown[0][0].data.startswith("ya ")


def test_a_figure_is_drawn_per_edition_with_its_alt_text(shown):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    drawn = []

    def plot(*, lang):
        drawn.append(lang)
        fig, ax = plt.subplots()
        ax.set_title(lang)
        return Figure(lambda: fig, alt=Words(lang)._("no"))

    chapter.use_editions("en,id")
    chapter.show(plot)
    assert drawn == ["en", "id"]
    assert [meta["image/png"]["alt"] for _, meta in shown] == ["no", "tidak"]


def test_a_chapter_executed_once_displays_nothing_outside_show(shown):
    import pandas as pd

    chapter.use_editions("en,id")
    with pytest.raises(RuntimeError, match="show"):
        chapter.table(pd.DataFrame({"x": [1]}))
    assert shown == []


def test_use_editions_refuses_a_language_the_book_has_not():
    with pytest.raises(i18n.LanguageError):
        chapter.use_editions("en,fr")


# --------------------------------------------------------------------------- derived editions
def _output(text: str, lang: str | None) -> dict:
    metadata = {i18n.OUTPUT_KEY: {"lang": lang}} if lang else {}
    return {
        "output_type": "display_data",
        "data": {"text/markdown": text},
        "metadata": metadata,
    }


def _executed() -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# English title\n\nProse."),
        nbformat.v4.new_code_cell("show(...)"),
        nbformat.v4.new_markdown_cell("see details", metadata={"tags": ["run-details"]}),
    ]
    nb.cells[1].outputs = [
        nbformat.from_dict(_output("glued 12.5", None)),
        nbformat.from_dict(_output("in English", "en")),
        nbformat.from_dict(_output("dalam bahasa Indonesia", "id")),
    ]
    nb.metadata["poverty_book"] = {"run_id": "r", "cache_key": "k", "editions": ["en", "id"]}
    return json.loads(nbformat.writes(nb))


def _text(output: dict) -> str:
    text = output.get("data", {}).get("text/markdown", "")
    return "".join(text) if isinstance(text, list) else text


def _texts(nb) -> list[str]:
    return [_text(o) for c in nb["cells"] for o in c.get("outputs", [])]


def test_an_edition_keeps_its_own_outputs_and_the_shared_ones_and_changes_nothing():
    executed = _executed()
    before = json.dumps(executed, sort_keys=True)
    assert _texts(i18n.edition_outputs(executed, "id")) == ["glued 12.5", "dalam bahasa Indonesia"]
    assert _texts(i18n.edition_outputs(executed, "en")) == ["glued 12.5", "in English"]
    assert json.dumps(executed, sort_keys=True) == before  # a pure function


def test_a_derived_chapter_holds_its_language_its_title_and_names_its_source():
    run = Run(
        "r",
        "English title",
        "t.ipynb",
        "chapters/r.ipynb",
        (),
        translated={"id": {"title": "Judul"}},
    ).in_language("id")
    derived = editions.derive_edition(_executed(), run)
    assert _texts(derived) == ["glued 12.5", "dalam bahasa Indonesia"]
    assert derived.cells[0].source.startswith("# Judul\n")
    assert "rincian eksekusi: r" in derived.cells[-1].source
    meta = derived.metadata["poverty_book"]
    assert meta["lang"] == "id" and meta["derived_from"] == "r.ipynb" and "editions" not in meta
    assert meta["cache_key"] == "k"


def test_nbval_checks_the_stored_executions_once(tmp_path):
    chapters = tmp_path / "chapters"
    (chapters / "id").mkdir(parents=True)
    run = Run("once", "Once", "t.ipynb", "chapters/once.ipynb", ()).in_language("id")
    (chapters / "once.ipynb").write_text(json.dumps(_executed()))
    nbformat.write(editions.derive_edition(_executed(), run), chapters / "id" / "once.ipynb")
    for name in ("apart.ipynb", "id/apart.ipynb"):  # an old-style run: executed per edition
        nbformat.write(nbformat.v4.new_notebook(), chapters / name)
    assert editions.stored_executions(chapters) == [
        chapters / "apart.ipynb",
        chapters / "id" / "apart.ipynb",
        chapters / "once.ipynb",
    ]
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    nbval = [line for line in makefile.splitlines() if "--nbval " in line]
    assert len(nbval) == 1 and "$$($(PY) -m analysis.pipeline.editions)" in nbval[0]


def test_sphinx_reads_a_chapter_with_only_the_outputs_of_the_edition_it_builds():
    import sys

    sys.path.insert(0, str(PROJECT_ROOT / "book" / "_ext"))
    import translation

    class App:
        class config:
            language = "id"

        class env:
            @staticmethod
            def doc2path(docname):
                return Path(f"/book/{docname}.ipynb")

    source = [json.dumps(_executed())]
    translation.keep_edition_outputs(App, "book/chapters/r", source)
    assert _texts(json.loads(source[0])) == ["glued 12.5", "dalam bahasa Indonesia"]
    unmarked = json.dumps(nbformat.v4.new_notebook())
    source = [unmarked]
    translation.keep_edition_outputs(App, "book/chapters/s", source)
    assert source == [unmarked]  # an old-style chapter is read as it is


@pytest.mark.parametrize("module", ["runs", "cache", "execute", "editions", "kernels"])
def test_the_pipeline_modules_import_no_runner(module):
    path = PACKAGE_DIR / "pipeline" / f"{module}.py"
    names = imports.imported_names(path.read_text(encoding="utf-8"), f"analysis.pipeline.{module}")
    assert "analysis.pipeline.runner" not in names


# --------------------------------------------------------------------------- executed once
def _template(path: Path, source: str, parameters: str) -> None:
    make_template(path, source, parameters, heading="# Title")


def test_a_template_executed_once_takes_one_set_of_parameters_and_no_lang(tmp_path):
    templates = tmp_path / "templates"
    _template(
        templates / "once.ipynb", "x = 1", 'data_dir = "../data"\neditions = "en"\nfactor = 1'
    )
    (tmp_path / "runs.yml").write_text(
        "runs:\n  - id: once\n    template: once.ipynb\n    output: chapters/once.ipynb\n"
        "    parameters: {factor: 1}\n    translated: {id: {parameters: {factor: 2}}}\n"
    )
    (run,) = runner.load_runs(tmp_path / "runs.yml", templates, tmp_path / "chapters")
    assert runner.executes_once(run) and runner.editions_parameter(run) == "en,id"
    with pytest.raises(runner.RunsFileError, match="translated.id.parameters"):
        runner.check_parameters(run, tmp_path / "runs.yml")
    with pytest.raises(runner.RunsFileError, match="parameters.editions': set by the runner"):
        runner.check_parameters(
            Run(**{**run.__dict__, "parameters": {"factor": 1, "editions": "en"}, "translated": {}})
        )
    nested = Run(**{**run.__dict__, "output": "chapters/atlas/once.ipynb", "translated": {}})
    assert runner.check_parameters(nested) == {"factor": 1}  # an atlas chapter, in a subfolder


def test_a_text_per_edition_is_given_to_a_template_executed_once_as_a_mapping(tmp_path):
    from analysis.pipeline.execute import runner_parameters

    templates = tmp_path / "templates"
    _template(
        templates / "once.ipynb",
        "x = 1",
        'data_dir = "../data"\neditions = "en"\nlabel = {"en": "the years"}\nfactor = 1',
    )
    (tmp_path / "runs.yml").write_text(
        "runs:\n  - id: once\n    template: once.ipynb\n    output: chapters/once.ipynb\n"
        "    parameters: {factor: 1, label: the study years}\n"
        "    translated: {id: {parameters: {label: tahun studi}}}\n"
    )
    (run,) = runner.load_runs(tmp_path / "runs.yml", templates, tmp_path / "chapters")
    assert runner.check_parameters(run, tmp_path / "runs.yml") == {
        "factor": 1,
        "label": "the study years",
    }
    given = runner_parameters(run, runner.template_parameters(run.template_path))
    assert given == {
        "editions": "en,id",
        "label": {"en": "the study years", "id": "tahun studi"},
    }
    wrong = Run(**{**run.__dict__, "parameters": {"factor": 1, "label": {"en": "x"}}})
    with pytest.raises(runner.RunsFileError, match="parameters.label': expected"):
        runner.check_parameters(wrong)


def test_another_editions_files_go_beside_that_editions_chapter(tmp_path):
    from analysis.pipeline.execute import file_target

    templates = tmp_path / "templates"
    _template(templates / "once.ipynb", "x = 1", 'data_dir = "../data"\neditions = "en"')
    base = Run(
        id="once",
        title="Once",
        template="once.ipynb",
        output="chapters/atlas/once.ipynb",
        inputs=(),
        templates_dir=str(templates),
    )
    root = tmp_path / "book"
    output = root / base.output
    assert file_target(output, base, "id/downloads/x.csv") == (
        root / "chapters" / "id" / "atlas" / "downloads" / "x.csv"
    )
    assert file_target(output, base, "downloads/x.csv") == output.parent / "downloads" / "x.csv"


def test_record_words_glues_each_editions_words_marked_and_numbers_once(monkeypatch):
    glued = []
    monkeypatch.setattr(chapter, "display", lambda obj, **kw: glued.append((obj, kw)))
    monkeypatch.setattr(
        "myst_nb.glue", lambda key, value, display=False: glued.append((key, value))
    )
    try:
        chapter.use_editions("en,id")
        chapter.record("n", 3)  # a number: glued once, unmarked (myst-nb's glue)
        chapter.record_words("text_", lambda n, *, lang: {"n": Words(lang)._("yes")}, 3)
    finally:
        chapter._LANGUAGES.update(editions=(), output=None)
        i18n.use_language("en")
    assert glued[0] == ("n", 3)
    marked = [
        (kw["metadata"]["scrapbook"]["name"], kw["metadata"][i18n.OUTPUT_KEY]["lang"], obj)
        for obj, kw in glued[1:]
    ]
    assert [(name, lang) for name, lang, _ in marked] == [("text_n", "en"), ("text_n", "id")]
    assert "'yes'" in str(marked[0][2]) and "'ya'" in str(marked[1][2])


def test_glued_values_of_a_chapter_executed_once_are_its_first_editions(tmp_path):
    def glue(name, value, lang=None):
        metadata = {"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}}
        if lang:
            metadata[i18n.OUTPUT_KEY] = {"lang": lang}
        return nbformat.v4.new_output(
            "display_data",
            data={"application/papermill.record/text/plain": repr(value)},
            metadata=metadata,
        )

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [glue("n", 3), glue("word", "yes", "en"), glue("word", "ya", "id")]
    nb.cells = [cell]
    nb.metadata["poverty_book"] = {"editions": ["en", "id"]}
    path = tmp_path / "once.ipynb"
    nbformat.write(nb, path)
    assert runner.glued_values(path) == {"n": 3, "word": "yes"}
    derived = nbformat.from_dict(i18n.edition_outputs(nb, "id"))
    derived.metadata["poverty_book"] = {"lang": "id"}
    nbformat.write(derived, path)
    assert runner.glued_values(path) == {"n": 3, "word": "ya"}


def test_a_report_function_gets_the_value_of_the_edition_it_writes(shown):
    chapter.use_editions("en,id")
    names = chapter.per_edition(
        lambda *, lang: {"en": "Jombang Regency", "id": "Kab. Jombang"}[lang]
    )
    assert isinstance(names, chapter.PerEdition)
    chapter.show(lambda name, *, lang: Text(f"{lang}: {name}"), names)
    assert [obj.data for obj, _ in shown] == ["en: Jombang Regency", "id: Kab. Jombang"]
