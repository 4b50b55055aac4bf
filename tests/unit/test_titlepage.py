"""The PDF's title page (book/_ext/titlepage.py): title, edition, commit, data date, caveat."""

from __future__ import annotations

import json

import titlepage


def test_the_title_page_names_title_edition_commit_date_and_caveat():
    tex = titlepage.title_page(
        "Poverty programmes in East Java",
        "en",
        {"commit": "3c01168abcde", "data": "illustrative", "data_date": "2026-12-07"},
    )
    assert tex.startswith(r"\begin{titlepage}") and tex.rstrip().endswith(r"\end{titlepage}")
    assert "Poverty programmes in East Java" in tex
    assert "English edition" in tex
    assert "3c01168abcde" in tex and "7 December 2026" in tex
    assert "Illustrative data." in tex


def test_the_indonesian_title_page_is_in_indonesian():
    tex = titlepage.title_page(
        "Judul",
        "id",
        {"data": "illustrative", "commit": "abc", "uncommitted": True, "data_date": "2026-12-07"},
    )
    assert "Edisi Bahasa Indonesia" in tex and "7 Desember 2026" in tex
    assert "abc (dengan perubahan yang belum di\\sphinxhyphen{}commit)" in tex
    assert "Data ilustratif" in tex
    assert "English" not in tex and "Illustrative" not in tex


def test_a_title_from_data_is_text_not_latex():
    tex = titlepage.title_page(r"\input{/etc/passwd} 100% & $x$ #1", "en", {})
    assert r"\input{/etc/passwd}" not in tex
    assert r"\textbackslash{}input" in tex and r"100\%" in tex and r"\&" in tex


def test_field_data_has_no_illustrative_caveat_and_no_facts_no_details(monkeypatch):
    tex = titlepage.title_page("T", "en", {"data": "field"})
    assert "Illustrative" not in tex and "Field data." in tex
    monkeypatch.delenv(titlepage.TITLEPAGE_ENV, raising=False)
    assert titlepage.facts_from_environment() == {}
    monkeypatch.setenv(titlepage.TITLEPAGE_ENV, json.dumps({"commit": "x"}))
    assert titlepage.facts_from_environment() == {"commit": "x"}
    monkeypatch.setenv(titlepage.TITLEPAGE_ENV, "not json")
    assert titlepage.facts_from_environment() == {}


def test_the_build_tells_the_title_page_its_commit_data_kind_and_date(tmp_path, monkeypatch):
    from analysis.pipeline import jupyterbook, provenance
    from analysis.project import PROJECT_ROOT

    monkeypatch.setenv(jupyterbook.TITLEPAGE_ENV, "stale")
    assert jupyterbook.TITLEPAGE_ENV not in jupyterbook.builder_environment(None)
    facts = json.loads(
        jupyterbook.builder_environment(None, data_dir=PROJECT_ROOT / "data")[
            jupyterbook.TITLEPAGE_ENV
        ]
    )
    assert facts["data"] == "illustrative"  # the shipped registry declares its studies so
    commit = provenance.git_commit()
    assert facts["commit"] == commit.removesuffix(provenance.UNCOMMITTED)
    assert facts.get("uncommitted", False) == commit.endswith(provenance.UNCOMMITTED)
    assert len(facts.get("data_date", "2026-01-01")) == 10
    outside = provenance.title_page_facts(tmp_path)  # no registry, not in the repository
    assert "data" not in outside and "data_date" not in outside


def test_the_title_comes_from_jupyter_books_html_title_not_the_unset_project():
    from types import SimpleNamespace

    from titlepage import book_title

    config = SimpleNamespace(
        project="Project name not set", html_title="Poverty programmes", latex_documents=[]
    )
    assert book_title(config) == "Poverty programmes"
    config.latex_documents = [("intro", "book.tex", "Project name not set", "", "manual")]
    assert book_title(config) == "Poverty programmes"  # Sphinx's default, not yet Jupyter Book's
    config.html_title = ""
    config.latex_documents = [("intro", "book.tex", "Printed title", "Authors", "manual")]
    assert book_title(config) == "Printed title"
