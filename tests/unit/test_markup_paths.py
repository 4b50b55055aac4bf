"""Every path by which text from data reaches Markdown keeps it literal.

The sentences that name a study (its title, place, programme, reference), the sources of the
BPS figures (with their addresses), the run titles and parameters of the provenance page, and the
print header of every HTML page: filled with hostile text, each renders as the text written and
with no node that runs, includes or links anything the data chose.
"""

from __future__ import annotations

import dataclasses

from docutils import nodes
from hypothesis import given, settings
from test_literal import parse

from analysis.data import registry
from analysis.literal import collapse_spaces, markdown_link
from analysis.methods import context
from analysis.pipeline import runner
from analysis.pipeline.pages import provenance_markdown
from analysis.project import DATA_DIR
from analysis.report import context as report
from analysis.report import income as report_income
from analysis.report.qualitative import site_sentence
from analysis.report.words import Words
from support.hostile import PAYLOADS, hostile_text

PAKIS = registry.study(DATA_DIR, "pakis")
#: Nodes a sentence of the code may hold (its own emphasis and strong text).
SENTENCE_NODES = (nodes.paragraph, nodes.emphasis, nodes.strong)
HOSTILE = settings(deadline=None)


def _planted(text: str):
    return dataclasses.replace(
        PAKIS, title=text, place=text, programme=text, reference=text, short_name=text
    )


def _elements(document: nodes.document) -> set[type]:
    return {type(n) for n in document.findall(nodes.Element)} - {nodes.document}


@HOSTILE
@given(hostile_text())
def test_the_sentence_naming_a_study_shows_its_registry_fields_as_written(text):
    document = parse(site_sentence(_planted(text), Words("en")))
    assert _elements(document) <= set(SENTENCE_NODES)
    assert [type(c) for c in document.children] == [nodes.paragraph]
    assert document.astext().count(collapse_spaces(text)) >= 5 if collapse_spaces(text) else True


@HOSTILE
@given(hostile_text())
def test_the_qualitative_chapters_sentence_naming_a_study_shows_it_as_written(text):
    from analysis.report.qualitative import site_sentence
    from analysis.report.words import Words

    for lang in ("en", "id"):
        document = parse(site_sentence(_planted(text), Words(lang)))
        assert _elements(document) <= set(SENTENCE_NODES)
        assert [type(c) for c in document.children] == [nodes.paragraph]


@HOSTILE
@given(hostile_text())
def test_the_income_chapter_opening_shows_the_programme_as_written(text):
    (opening,) = report_income.intro(_planted(text), lang="en")
    document = parse(opening.markdown)
    assert _elements(document) <= set(SENTENCE_NODES)
    assert collapse_spaces(text) in document.astext()


def test_a_link_from_data_goes_only_to_a_web_address():
    web = parse(markdown_link("bps.go.id", "https://bps.go.id/x?a=1&b=<2>")).children[0]
    (reference,) = web.findall(nodes.reference)
    assert reference["refuri"].startswith("https://bps.go.id/x?a=1")  # MyST URL-encodes the rest
    assert "<" not in reference["refuri"] and reference.astext() == "bps.go.id"
    for url in ("javascript:alert(1)", "file:///etc/passwd", "../../../etc/passwd", "data:x"):
        paragraph = parse(markdown_link("klik", url)).children[0]
        assert not list(paragraph.findall(nodes.reference)) and paragraph.astext() == "klik"


def test_the_sources_of_the_bps_figures_are_text_with_web_links_only():
    facts = context.load_bps(DATA_DIR)
    code = int(facts["area_code"].iloc[0])
    facts["release"] = "<script>alert(1)</script> {include}`/etc/passwd`"
    facts["source"] = "<b>page</b>"
    facts["source_url"] = "javascript:alert(2)"
    document = parse(report.sources(context.sources_table(facts, [code]), lang="en").markdown)
    assert not list(document.findall(nodes.reference))
    assert not list(document.findall(nodes.raw)) and not list(document.findall(nodes.literal))
    assert "<script>alert(1)</script> {include}`/etc/passwd`" in document.astext()


def test_the_provenance_page_shows_titles_and_parameters_from_data_as_written(tmp_path):
    for payload in PAYLOADS:
        run = runner.Run(
            "a", payload, "income.ipynb", "chapters/a.ipynb", (), parameters={"site": payload}
        )
        document = parse(provenance_markdown([run], [], tmp_path, {}, {}))
        titles = [s[0].astext() for s in document.findall(nodes.section)]  # the first: the page
        assert titles == [collapse_spaces(payload)]
        shown = [n.astext() for n in document.findall(nodes.literal)]
        assert collapse_spaces(f"site = {payload!r}") in shown
        assert not list(document.findall(nodes.raw)) and not list(document.findall(nodes.math))


def test_the_print_header_and_sidebar_title_are_escaped():
    from reader import escaped_titles

    page = {"pagetitle": "Pakis: <script>alert(1)</script>", "root_title": "<b>x</b>"}
    escaped_titles(None, "index", "page.html", page, None)
    assert page == {
        "pagetitle": "Pakis: &lt;script&gt;alert(1)&lt;/script&gt;",
        "root_title": "&lt;b&gt;x&lt;/b&gt;",
    }


def test_an_imported_projects_name_becomes_a_title_shown_as_written(tmp_path):
    """The importer keeps the project's name as the registry title; the book shows it as text."""
    import csv
    import zipfile
    from xml.sax.saxutils import quoteattr

    from test_qdpx import build_qdpx

    from analysis.pipeline import cli

    name = "<script>alert(1)</script> $\\input{/etc/passwd}$ {eval-rst}`x`"
    built = build_qdpx(tmp_path / "p.qdpx")
    with zipfile.ZipFile(built) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    qde = (
        files["project.qde"]
        .decode("utf-8")
        .replace('name="Pakis coding"', f"name={quoteattr(name)}")
    )
    hostile = tmp_path / "hostile.qdpx"
    with zipfile.ZipFile(hostile, "w") as archive:
        for n, data in files.items():
            archive.writestr(n, qde.encode("utf-8") if n == "project.qde" else data)
    out = tmp_path / "out"
    assert cli.main(["import-qdpx", str(hostile), "--out", str(out), "--site", "mysite"]) == 0
    with open(out / "study" / "studies.csv", encoding="utf-8") as registry_file:
        (row,) = csv.DictReader(registry_file)
    assert row["title"] == name
    document = parse(site_sentence(dataclasses.replace(PAKIS, title=row["title"]), Words("en")))
    assert _elements(document) <= set(SENTENCE_NODES)
    assert name in document.astext()
