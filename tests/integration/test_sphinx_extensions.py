"""The book's Sphinx extensions tried on tiny Sphinx projects, built in process: the reader
extension (book/_ext/reader.py: the glossary's hover text, the how-to-cite box, the PDF carried by
the site and linked from every page, CSV downloads linked from the PDF, wide tables in smaller
type), the accessibility extension (a figure's alt text in the ``<img>`` that myst-nb makes) and
MyST's LaTeX writer (text from data stays text in the PDF's LaTeX).

Moved here from tests/unit/test_citation.py, test_publishing.py, test_figure_alt.py and
test_markup_paths.py, unchanged: they are builds, and tests/unit builds nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

import reader
from analysis.project import PROJECT_ROOT
from support.hostile import PAYLOADS
from support.notebook_figures import HOSTILE_ALT, notebook, output, png

CFF = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
#: The MyST extensions the book switches on (``_config.yml``).
BOOK_EXTENSIONS = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))[
    "parse"
]["myst_enable_extensions"]


# --------------------------------------------------------------------------- the reader extension
@pytest.fixture(scope="module")
def built_page(tmp_path_factory) -> str:
    """A tiny Sphinx project with the reader extension: a glossary, a term link, the citation."""
    from sphinx.application import Sphinx

    root = tmp_path_factory.mktemp("sphinx")
    src = root / "src"
    src.mkdir()
    (src / "conf.py").write_text("extensions = ['reader']\n")
    (src / "CITATION.cff").write_text((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    (src / "index.rst").write_text(
        "Title\n=====\n\nSee :term:`BKM`.\n\n.. how-to-cite::\n\n.. glossary::\n\n   BKM\n"
        "      Community self-reliance board of a kelurahan.\n"
    )
    app = Sphinx(
        str(src),
        str(src),
        str(root / "out"),
        str(root / "doctrees"),
        "html",
        status=None,
        warning=None,
    )
    app.build()
    return (root / "out" / "index.html").read_text(encoding="utf-8")


def test_hovering_a_glossary_term_shows_its_definition(built_page):
    assert 'title="Community self-reliance board of a kelurahan."' in built_page


def test_the_how_to_cite_directive_renders_the_citation(built_page):
    assert "How to cite" in built_page and CFF["title"] in built_page


def _sphinx_project(root: Path, builder: str, pdf: Path | None, monkeypatch) -> Path:
    """Build a two-page project with the reader extension; return its output folder."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    if pdf is None:
        monkeypatch.delenv(reader.PDF_ENV, raising=False)
    else:
        monkeypatch.setenv(reader.PDF_ENV, str(pdf))
    src = root / "src"
    (src / "pages").mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(
        "extensions = ['reader']\n"
        "html_theme = 'sphinx_book_theme'\n"
        "html_baseurl = 'https://example.org/book/'\n"
        "latex_documents = [('index', 'book.tex', 'T', 'A', 'manual')]\n"
    )
    (src / "table.csv").write_text("a,b\n1,2\n")
    (src / "index.rst").write_text(
        "Title\n=====\n\n.. book-pdf::\n\n.. toctree::\n\n   pages/chapter\n"
    )
    wide = "  ".join(["=" * 3] * 10)
    (src / "pages" / "chapter.rst").write_text(
        "Chapter\n=======\n\nThe table: :download:`Households (CSV, 1 row) <../table.csv>`.\n\n"
        f"{wide}\n{'  '.join(f'c{i:<2}' for i in range(10))}\n{wide}\n"
        f"{'  '.join(f'{i:<3}' for i in range(10))}\n{wide}\n"
    )
    out = root / builder
    with docutils_namespace():
        app = Sphinx(
            str(src), str(src), str(out), str(root / f"doctrees-{builder}"), builder, status=None
        )
        app.build()
    return out


@pytest.fixture
def fake_pdf(tmp_path) -> Path:
    folder = tmp_path / "latex"
    folder.mkdir()
    (folder / "book.tex").write_text("not for the site")
    pdf = folder / "book.pdf"
    pdf.write_bytes(b"%PDF-1.5 " + b"x" * 2000)
    return pdf


def test_the_site_carries_the_pdf_and_every_page_links_to_it(tmp_path, fake_pdf, monkeypatch):
    out = _sphinx_project(tmp_path, "html", fake_pdf, monkeypatch)
    assert (out / "book.pdf").read_bytes() == fake_pdf.read_bytes()
    assert not (out / "book.tex").exists(), "only the PDF, not the LaTeX folder, goes in the site"
    landing = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="book.pdf"' in landing and "whole book as a PDF" in landing
    chapter = (out / "pages" / "chapter.html").read_text(encoding="utf-8")
    assert 'href="../book.pdf"' in chapter


def test_an_html_only_site_has_no_pdf_link(tmp_path, monkeypatch):
    out = _sphinx_project(tmp_path, "html", None, monkeypatch)
    assert not (out / "book.pdf").exists()
    for page in (out / "index.html", out / "pages" / "chapter.html"):
        assert "book.pdf" not in page.read_text(encoding="utf-8")


def test_a_csv_download_in_the_pdf_links_to_the_published_file(tmp_path, fake_pdf, monkeypatch):
    html = _sphinx_project(tmp_path / "h", "html", None, monkeypatch)
    published = next((html / "_downloads").rglob("table.csv")).relative_to(html).as_posix()
    tex = (_sphinx_project(tmp_path / "l", "latex", fake_pdf, monkeypatch) / "book.tex").read_text(
        encoding="utf-8"
    )
    escaped = published.replace("_", "\\_")  # LaTeX escapes the underscore; hyperref undoes it
    assert f"\\sphinxhref{{https://example.org/book/{escaped}}}{{" in tex
    assert "Households (CSV, 1 row)" in tex
    assert "whole book as a PDF" not in tex, "the PDF does not link to itself"


def test_a_wide_table_is_set_in_smaller_type_in_the_pdf(tmp_path, monkeypatch):
    tex = (_sphinx_project(tmp_path, "latex", None, monkeypatch) / "book.tex").read_text(
        encoding="utf-8"
    )
    start = tex.index("\\begingroup\\scriptsize")
    assert start < tex.index("\\begin{tabulary}") < tex.index("\\endgroup", start)


# --------------------------------------------------------------------------- alt text
def test_a_tiny_notebook_built_by_sphinx_has_its_alt_text_escaped_in_the_img(tmp_path):
    from sphinx.cmd.build import build_main

    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        "extensions = ['myst_nb', 'accessibility']\nnb_execution_mode = 'off'\n",
        encoding="utf-8",
    )
    (source / "index.ipynb").write_text(
        json.dumps(notebook(output(png("red"), HOSTILE_ALT), output(png("blue"), None))),
        encoding="utf-8",
    )
    out = tmp_path / "html"
    assert build_main(["-q", "-b", "html", str(source), str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    alts = re.findall(r'<img[^>]*\salt="([^"]*)"', page)
    assert len(alts) == 2
    assert alts[0] == (
        "Bars: Jombang 40,1% &lt;b&gt;&amp; &quot;Pakis&quot;&lt;/b&gt; {term}`BKM` $x$"
    )
    # Without alt in its metadata, an image keeps myst-nb's file path: what the book's check
    # (tests/book/test_accessibility.py) reports as a figure without alt text.
    assert alts[1].endswith(".png")


# --------------------------------------------------------------------------- the PDF's LaTeX
def test_the_latex_of_the_pdf_holds_the_payloads_as_text(tmp_path):
    """The PDF's LaTeX, written by Sphinx from MyST as the book's is: every payload escaped
    (no ``\\input``, ``$``-math or ``\\write18`` live), the title's too."""
    from sphinx.cmd.build import build_main

    from analysis.literal import markdown_literal

    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        "extensions = ['myst_parser']\n"
        # explicit: an earlier in-process Sphinx app with myst_nb may have left '.md' -> myst-nb
        # in Sphinx's shared default of source_suffix
        "source_suffix = {'.md': 'markdown'}\n"
        f"myst_enable_extensions = {sorted(set(BOOK_EXTENSIONS))!r}\n"
        "latex_documents = [('index', 'book.tex', 'Book', 'A', 'manual')]\n",
        encoding="utf-8",
    )
    payloads = [p for p in PAYLOADS if "passwd" in p or "write18" in p]
    body = "\n\n".join(markdown_literal(p) for p in payloads)
    (source / "index.md").write_text(
        f"# {markdown_literal(payloads[0])}\n\n{body}\n", encoding="utf-8"
    )
    assert build_main(["-q", "-b", "latex", str(source), str(tmp_path / "latex")]) == 0
    tex = (tmp_path / "latex" / "book.tex").read_text(encoding="utf-8")
    document = tex[tex.index("\\begin{document}") :]
    assert "\\input{/etc/passwd}" not in document and "\\write18" not in document
    assert "\\textbackslash{}input\\{/etc/passwd\\}" in document
    assert "\\$\\textbackslash{}input" in document  # the dollars are characters, not math
    assert "\\(" not in document and "\\[" not in document  # no math at all
