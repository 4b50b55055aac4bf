"""The Indonesian edition beside the English one: runs per language, catalogs kept up to date,
numbers equal across editions, the language switch, glued numbers in each edition's format."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from analysis import formatting, i18n
from analysis.pipeline import book, cache, editions, layout, plan, runner, translations
from analysis.pipeline.config import edition_config
from analysis.pipeline.runner import RunsFileError
from analysis.project import PROJECT_ROOT

SHIPPED_RUNS = runner.load_runs()


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.use_language("en")


# --------------------------------------------------------------------------- runs per language
def test_every_shipped_run_has_an_indonesian_edition_with_its_own_title():
    for run in SHIPPED_RUNS:
        assert run.languages == ("en", "id"), run.id
        indonesian = run.in_language("id")
        assert indonesian.output == run.output.replace("chapters/", "chapters/id/", 1)
        assert indonesian.docname == run.docname  # one page name in both editions
        assert indonesian.lang == "id" and indonesian.title != run.title, run.id


def test_indonesian_titles_and_parameters_come_from_the_registry_and_catalogs():
    by_id = {run.id: run.in_language("id") for run in SHIPPED_RUNS}
    assert by_id["context-jombang"].title == "Kemiskinan di Jombang, 2010–2025"
    assert by_id["context-jombang"].parameters["period_label"].startswith("tahun-tahun")
    assert by_id["income-pakis"].title == "Kelurahan Pakis: apakah pendapatan naik 35-45%?"
    assert by_id["synthesis"].title == "Perbandingan dua studi"
    # the numbers of a run are the same in every edition
    for run in SHIPPED_RUNS:
        other = by_id[run.id].parameters
        assert {k: v for k, v in other.items() if not isinstance(v, str)} == {
            k: v for k, v in run.parameters.items() if not isinstance(v, str)
        }


def test_the_runs_file_is_what_the_registry_gives_in_both_languages():
    assert plan.runs_document(plan.derive_runs()) == {
        "runs": [
            {k: v for k, v in entry.items()}
            for entry in yaml.safe_load(runner.RUNS_FILE.read_text(encoding="utf-8"))["runs"]
        ]
    }


def test_executed_chapters_exist_for_both_editions_and_record_their_language():
    for run in SHIPPED_RUNS:
        chapter = PROJECT_ROOT / "book" / run.in_language("id").output
        metadata = json.loads(chapter.read_text(encoding="utf-8"))["metadata"]["poverty_book"]
        assert metadata["lang"] == "id" and metadata["run_id"] == run.id
        injected = _injected_parameters(chapter)
        if runner.executes_once(run):  # derived from the one execution of both editions
            assert metadata["derived_from"] == Path(run.output).name
            assert 'editions = "en,id"' in injected
        else:
            assert 'lang = "id"' in injected


def _injected_parameters(chapter: Path) -> str:
    cells = json.loads(chapter.read_text(encoding="utf-8"))["cells"]
    return next("".join(c["source"]) for c in cells if c.get("id") == "injected-parameters")


RUNS = """\
runs:
  - id: a
    template: double.ipynb
    output: chapters/a.ipynb
    inputs: []
    parameters: {{}}
{extra}
"""


@pytest.fixture()
def project(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (tmp_path / "chapters").mkdir()
    (templates / "double.ipynb").write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "id": "parameters",
                        "metadata": {"tags": ["parameters"]},
                        "source": 'data_dir = "."\nlang = "en"',
                        "outputs": [],
                        "execution_count": None,
                    }
                ],
                "metadata": {
                    "kernelspec": {
                        "name": "python3",
                        "display_name": "Python 3",
                        "language": "python",
                    }
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    return tmp_path


def load(project: Path, extra: str) -> list[runner.Run]:
    path = project / "runs.yml"
    path.write_text(RUNS.format(extra=textwrap.indent(extra, "    ")))
    return runner.load_runs(path, project / "templates", project / "chapters")


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("languages: [id]", "key 'languages': expected a list of en, id starting with 'en'"),
        ("languages: [en, fr]", "key 'languages'"),
        ("languages: [en, en]", "key 'languages'"),
        ("translated: {fr: {title: x}}", "key 'translated.fr': not one of the run's other"),
        ("translated: {id: {subtitle: x}}", "key 'translated.id': expected a mapping with"),
        ('translated: {id: {title: "a\\tb"}}', "key 'translated.id.title': expected one line"),
        ("translated: {id: {parameters: [1]}}", "key 'translated.id.parameters': expected a"),
    ],
)
def test_bad_languages_in_the_runs_file_are_named(project, extra, expected):
    with pytest.raises(RunsFileError, match=expected.replace("(", r"\(").replace(".", r"\.")):
        load(project, extra)


def test_lang_is_the_runners_and_only_templates_declaring_it_have_other_editions(project):
    (run,) = load(project, "translated: {id: {title: Bab A}}")
    assert [r.title for r in runner.edition_runs([run], "id")] == ["Bab A"]
    with pytest.raises(RunsFileError, match="key 'parameters.lang': set by the runner"):
        runner.check_parameters(runner.Run(**{**run.__dict__, "parameters": {"lang": "id"}}))
    template = project / "templates" / "double.ipynb"
    template.write_text(template.read_text().replace('\\nlang = \\"en\\"', ""))
    assert "lang" not in runner.template_parameters(template)
    assert runner.edition_runs([run], "id") == []  # a template without `lang` writes English only


def test_cache_keys_differ_by_language_and_follow_the_catalogs(tmp_path, monkeypatch):
    # every shipped template is executed once; a template declaring `lang` is executed per edition
    monkeypatch.setattr(cache, "executes_once", lambda run: False)
    run = SHIPPED_RUNS[0]
    data = PROJECT_ROOT / "data"
    english, indonesian = run, run.in_language("id")
    key_en = runner.cache_key(english, data, dependencies="x", lock="y")
    key_id = runner.cache_key(indonesian, data, dependencies="x", lock="y")
    assert key_en != key_id
    monkeypatch.setattr(cache, "catalogs_digest", lambda lang: "changed" if lang == "id" else "")
    assert runner.cache_key(indonesian, data, dependencies="x", lock="y") != key_id
    assert runner.cache_key(english, data, dependencies="x", lock="y") == key_en


def test_a_run_executed_once_has_one_key_following_every_editions_catalogs_and_texts(
    monkeypatch,
):
    run = next(r for r in SHIPPED_RUNS if r.id == "context-jombang")
    assert runner.executes_once(run)
    data = PROJECT_ROOT / "data"
    key = runner.cache_key(run, data, dependencies="x", lock="y")
    monkeypatch.setattr(cache, "catalogs_digest", lambda lang: "changed" if lang == "id" else "")
    assert runner.cache_key(run, data, dependencies="x", lock="y") != key
    monkeypatch.undo()
    from dataclasses import replace

    retold = replace(
        run,
        translated={"id": {**run.translated["id"], "parameters": {"period_label": "lain"}}},
    )
    assert runner.cache_key(retold, data, dependencies="x", lock="y") != key


def test_the_catalogs_digest_covers_the_indonesian_catalogs_only():
    assert runner.catalogs_digest("en") == ""
    assert len(runner.catalogs_digest("id")) == 64


# --------------------------------------------------------------------------- numbers agree
def test_editions_must_record_the_same_numbers():
    english = {"r": {"n": 9, "share": 0.35, "text": "nine", "pairs": ["a", 1.5], "by": {"x": 2}}}
    same = {"r": {"n": 9, "share": 0.35, "text": "sembilan", "pairs": ["b", 1.5], "by": {"x": 2}}}
    editions.check_editions_agree(english, same, "id")
    for key, value in (("n", 8), ("share", 0.36), ("pairs", ["a", 1.4]), ("by", {"x": 3})):
        other = {"r": {**same["r"], key: value}}
        with pytest.raises(editions.EditionsDisagree, match=f"recorded {key} ="):
            editions.check_editions_agree(english, other, "id")
    with pytest.raises(editions.EditionsDisagree, match="did not record n"):
        editions.check_editions_agree(
            english, {"r": {k: v for k, v in same["r"].items() if k != "n"}}, "id"
        )


def test_the_shipped_editions_record_the_same_numbers():
    english = runner.collect_results(SHIPPED_RUNS, PROJECT_ROOT / "book")
    indonesian = runner.collect_results(
        runner.edition_runs(SHIPPED_RUNS, "id"), PROJECT_ROOT / "book"
    )
    assert set(english) == set(indonesian)
    editions.check_editions_agree(english, indonesian, "id")
    texts = [
        key
        for run_id, values in english.items()
        for key, value in values.items()
        if isinstance(value, str) and value != indonesian[run_id][key]
    ]
    assert texts, "some recorded sentences should read differently in Indonesian"


def test_languages_to_build():
    assert book.check_languages(None) == ["en", "id"]
    assert book.check_languages(None, areas="35") == ["en"]
    assert book.check_languages(["id"]) == ["en", "id"]
    with pytest.raises(RunsFileError, match="--lang 'fr'"):
        book.check_languages(["fr"])


def test_the_indonesian_configuration_merges_over_the_english_one():
    config = edition_config("id")
    assert config["sphinx"]["config"]["language"] == "id"
    assert config["title"].startswith("Program penanggulangan kemiskinan")
    assert config["html"]["baseurl"].endswith("/id/")
    assert config["bibtex_bibfiles"] == ["book/references.bib"]  # the rest is English's
    assert "Pendahuluan" in config["sphinx"]["config"]["latex_elements"]["tableofcontents"]


def test_contents_captions_are_translated_from_the_root_pages_catalog():
    captions = layout.caption_translations("id", "book/pages/intro")
    toc = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        if part["caption"] in ("Where the studies stand", "Appendices", "Together"):
            assert captions[part["caption"]] != part["caption"]


# --------------------------------------------------------------------------- catalogs
def test_the_codes_catalogs_translate_every_current_string(indonesian_catalog_problems):
    assert list(indonesian_catalog_problems) == []


def test_the_catalog_check_sees_a_missing_translation_and_a_lost_glued_value(tmp_path):
    pots = tmp_path / "pots" / "chapters"
    pots.mkdir(parents=True)
    (pots / "x.pot").write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Rate {glue:text}`p0:.2f` %."\nmsgstr ""\n\n'
        'msgid "New sentence."\nmsgstr ""\n\nmsgid "Changed."\nmsgstr ""\n',
        encoding="utf-8",
    )
    po = tmp_path / "locales" / "id" / "LC_MESSAGES" / "chapters"
    po.mkdir(parents=True)
    (po / "x.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n\nmsgid "Rate {glue:text}`p0:.2f` %."\n'
        'msgstr "Angka %."\n\n#, fuzzy\nmsgid "Changed."\nmsgstr "Berubah."\n',
        encoding="utf-8",
    )
    found = translations.book_problems("id", tmp_path / "pots", tmp_path / "locales")
    assert any("lost {glue:text}`p0:.2f`" in line for line in found), found
    assert any("not translated: 'New sentence.'" in line for line in found), found
    assert any("fuzzy" in line and "Changed." in line for line in found), found


def test_the_code_catalog_check_sees_placeholders_that_differ():
    assert translations.placeholders("{n:,} of {area}") == {"n", "area"}
    assert translations.placeholders("{{literal}}") == set()


def test_messages_are_extracted_from_modules_templates_and_the_reader_extension():
    names = translations.sources()
    assert {"methods.income", "data.contract", "pipeline.plan", "ext.reader"} <= set(names)
    assert "templates.income" in names and "i18n" not in names


# --------------------------------------------------------------------------- formats and switch
def test_numbers_dates_and_rupiah_in_indonesian():
    import datetime

    i18n.use_language("id")
    assert formatting.rupiah(1_250_000) == "Rp\u00a01.250.000"
    assert formatting.percent(9.56, 2) == "9,56%"
    assert formatting.date(datetime.date(2026, 12, 1)) == "1 Desember 2026"
    assert formatting.p_value(0.0039) == "0,00390"
    i18n.use_language("en")
    assert formatting.rupiah(1_250_000) == "Rp\u00a01,250,000"
    with pytest.raises(i18n.LanguageError, match="'fr' is not a language of the book"):
        i18n.use_language("fr")


def test_glued_numbers_keep_their_digits_and_take_the_editions_signs():
    import translation

    assert translation.format_glued("1250000.5", ",.1f", "en") == "1,250,000.5"
    assert translation.format_glued("1250000.5", ",.1f", "id") == "1.250.000,5"
    assert translation.format_glued("-2.675", "+.2f", "id") == "-2,67"  # Python's rounding
    assert translation.format_glued("'Jombang'", "s", "id") == "Jombang"  # texts untouched
    assert translation.format_glued("2017", "d", "id") == "2017"


def test_chapters_of_one_template_share_one_catalog():
    import translation

    translation._TEMPLATE_OF.update(translation.chapter_templates(PROJECT_ROOT))
    assert translation.catalog_domain("book/chapters/context_jombang") == "chapters/context"
    assert translation.catalog_domain("book/chapters/context_banyuwangi") == "chapters/context"
    assert translation.catalog_domain("book/pages/intro") == "pages/intro"


def test_sphinx_uses_the_template_catalogs_everywhere_it_names_one():
    """Sphinx imported ``docname_to_domain`` by name in several modules: each must see ours."""
    import importlib

    import translation

    translation.install_catalog_domains()
    for name in translation.DOMAIN_USERS:
        assert importlib.import_module(name).docname_to_domain is translation.catalog_domain
    import sphinx

    assert sphinx.__version__.startswith("7.4")  # the list above is for Sphinx 7.4


def test_the_language_switch_links_the_same_page_both_ways():
    import reader

    assert reader.edition_url("book/chapters/x", "en", "id") == "../../id/book/chapters/x.html"
    assert reader.edition_url("book/chapters/x", "id", "en") == "../../../book/chapters/x.html"
    assert reader.edition_url("search", "en", "id") == "id/search.html"
    assert reader.edition_url("search", "id", "en") == "../search.html"


def test_the_search_page_gets_the_messages_sphinxs_indonesian_catalog_lacks(tmp_path):
    from types import SimpleNamespace

    import translation

    app = SimpleNamespace(
        config=SimpleNamespace(language="id", locale_dirs=["locales"]),
        builder=SimpleNamespace(format="html"),
        outdir=str(tmp_path / "html"),
    )
    translation.fill_sphinx_js(app)
    folder = Path(app.config.locale_dirs[0])
    assert app.config.locale_dirs[1:] == ["locales"]
    text = (folder / "id" / "LC_MESSAGES" / "sphinx.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    assert data["messages"][translation.SPHINX_JS_MESSAGES[0]].startswith("Pencarian selesai")
    assert data["messages"]["Search Results"] == "Hasil Pencarian"  # Sphinx's own, kept
    english = SimpleNamespace(
        **{**app.__dict__, "config": SimpleNamespace(language="en", locale_dirs=[])}
    )
    translation.fill_sphinx_js(english)
    assert english.config.locale_dirs == []


def test_every_shipped_chapter_is_executed_once_for_all_its_editions():
    """Numbers once, words twice (issue 22): no shipped template is executed per edition."""
    per_edition = [r.id for r in SHIPPED_RUNS if not runner.executes_once(r)]
    assert per_edition == []
