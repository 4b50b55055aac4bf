"""Every figure's caption names its study and what it shows, in each edition; the figures are
labelled and referred to by number, one catalog message for every run of a template."""

from __future__ import annotations

import json

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from analysis.data import registry
from analysis.data.loading import load
from analysis.methods import qualitative as q
from analysis.project import PROJECT_ROOT
from analysis.report import qualitative as report

DATA_DIR = PROJECT_ROOT / "data"
TEMPLATES = PROJECT_ROOT / "book" / "templates"


def _site(site):
    informants = load(DATA_DIR, "informants")
    segments = load(DATA_DIR, "segments")
    return (
        registry.study(DATA_DIR, site),
        segments[segments["site"] == site].reset_index(drop=True),
        informants[informants["site"] == site].reset_index(drop=True),
        q.codes_only(load(DATA_DIR, "codebook")),
    )


@pytest.mark.parametrize("site", ["jombang", "pakis"])
def test_each_caption_names_the_study_its_informants_codes_and_coder(site):
    study, segments, informants, codebook = _site(site)
    counted = q.primary_codings(segments)
    captions = report.figure_captions(study, counted, informants, codebook, segments, lang="en")
    n_codes = int(counted["code"].nunique())
    assert set(captions) == {"frequency", "matrix", "clustered", "segment", "informant"}
    for caption in captions.values():
        assert caption.startswith(f"{study.short_name}: ")
        assert caption.endswith("Counts: the primary coder's codings (C1).")
    assert f"the {len(informants)} informants" in captions["frequency"]
    assert f"of {n_codes} codes" in captions["segment"]
    indonesian = report.figure_captions(study, counted, informants, codebook, segments, lang="id")
    assert indonesian["frequency"].startswith(f"{study.short_name}: untuk setiap ")
    assert f"{len(informants)} informan" in indonesian["frequency"]
    assert "koder utama" in indonesian["matrix"]


def test_one_coder_is_named_as_the_only_coder():
    study, segments, informants, codebook = _site("pakis")
    alone = segments.assign(coder="R1").drop_duplicates(["segment_id", "code"])
    caption = report.figure_caption("matrix", study, alone, lang="en", informants=1, codes=1)
    assert "1 informant (rows" in caption and "1 code (columns" in caption
    assert caption.endswith("Counts: the codings of R1, the only coder.")


@pytest.mark.parametrize(
    ("template", "labels"),
    [
        (
            "qualitative",
            {
                "fig-code-informants",
                "fig-informant-code-matrix",
                "fig-clustered-matrix",
                "fig-cooccurrence-segments",
                "fig-cooccurrence-informants",
            },
        ),
        ("synthesis", {"fig-support"}),
    ],
)
def test_every_captioned_figure_is_labelled_glued_and_referred_to_by_number(template, labels):
    nb = json.loads((TEMPLATES / f"{template}.ipynb").read_text(encoding="utf-8"))
    figures = [
        c["metadata"]["mystnb"]["figure"]
        for c in nb["cells"]
        if "figure" in c["metadata"].get("mystnb", {})
    ]
    assert {f.get("name") for f in figures} == labels
    for figure in figures:  # the caption is the edition's words, glued by the chapter
        assert figure["caption"].startswith("{glue:text}`caption_"), figure
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for label in labels:
        assert "{numref}`" + label + "`" in markdown
    assert "the figure below" not in markdown.lower() and "the heatmap shows" not in markdown


def _doc(docname: str):
    settings = get_default_settings(Parser)
    settings.env = type("Env", (), {"docname": docname})()
    document = new_document("test", settings)
    return document


def test_a_chapters_messages_name_the_templates_figures_and_translations_the_runs():
    import translation
    from sphinx import addnodes

    translation._RUN_OF.clear()
    translation._RUN_OF["book/chapters/id/qualitative_jombang"] = "qualitative-jombang"
    try:
        document = _doc("book/chapters/id/qualitative_jombang")
        paragraph = nodes.paragraph(
            "{numref}`qualitative-jombang-fig-clustered-matrix` shows", "shows"
        )
        document += paragraph
        translation.TemplateLabelsInMessages(document).apply()
        assert paragraph.rawsource == "{numref}`fig-clustered-matrix` shows"  # one message
        figure = nodes.figure()
        figure["names"].append("qualitative-jombang-fig-clustered-matrix")
        document += figure
        document.note_explicit_target(figure, figure)
        translated = addnodes.pending_xref(
            "", refdomain="std", reftype="numref", reftarget="fig-clustered-matrix"
        )
        other = addnodes.pending_xref("", refdomain="std", reftype="numref", reftarget="fig-x")
        document += [translated, other]
        translation.RunLabelsInTranslations(document).apply()
        assert translated["reftarget"] == "qualitative-jombang-fig-clustered-matrix"
        assert other["reftarget"] == "fig-x"  # not a figure of this chapter: left alone
    finally:
        translation._RUN_OF.clear()


def test_the_runs_of_the_chapters_are_read_from_their_metadata(tmp_path):
    import translation

    chapter = tmp_path / "book" / "chapters" / "qualitative_pakis.ipynb"
    chapter.parent.mkdir(parents=True)
    book = {"run_id": "qualitative-pakis", "template": "qualitative.ipynb"}
    chapter.write_text(json.dumps({"metadata": {"poverty_book": book}, "cells": []}))
    assert translation.chapter_runs(tmp_path) == {
        "book/chapters/qualitative_pakis": "qualitative-pakis"
    }
    assert translation.chapter_templates(tmp_path) == {
        "book/chapters/qualitative_pakis": "qualitative"
    }


def test_the_income_slopes_caption_names_the_study_households_and_years():
    from analysis.report import income as report_income

    households = load(DATA_DIR, "households")
    households = households[households["site"] == "pakis"]
    study = registry.study(DATA_DIR, "pakis")
    caption = report_income.slopes_caption(study, households, lang="en")
    assert caption.startswith(
        f"Kelurahan Pakis: monthly income of {len(households)} households before (2015) and "
        "after (2017) the programme"
    )
    indonesian = report_income.slopes_caption(study, households, lang="id")
    assert indonesian.startswith(f"Kelurahan Pakis: pendapatan bulanan {len(households)} rumah")
    nb = json.loads((TEMPLATES / "income.ipynb").read_text(encoding="utf-8"))
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "{numref}`fig-income-slopes`" in markdown
