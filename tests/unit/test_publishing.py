"""Publishing: the PDF is built first and the HTML site carries it; the provenance names a commit.

The build's order is tried with a stand-in for Jupyter Book, the commit check on a scratch git
repository, the reader extension's pieces directly (its tiny Sphinx projects, HTML and LaTeX, are
builds: tests/integration/test_sphinx_extensions.py).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import reader
from analysis.pipeline import jupyterbook, pages, provenance, publish
from analysis.pipeline.layout import BookLayout
from analysis.project import PROJECT_ROOT


# --------------------------------------------------------------------------- the build's order
@pytest.fixture
def layout(tmp_path) -> BookLayout:
    (tmp_path / "src" / "book" / "pages").mkdir(parents=True)
    for name, text in {
        "_config.yml": "t: 1\n",
        "_toc.yml": "root: a\n",
        "CITATION.cff": "x\n",
    }.items():
        (tmp_path / "src" / name).write_text(text)
    (tmp_path / "src" / "book" / "pages" / "a.md").write_text("# A\n")
    (tmp_path / "out").mkdir()
    return BookLayout(tmp_path / "src", tmp_path / "src" / "book", tmp_path, tmp_path / "out")


@pytest.fixture
def fake_jupyter_book(monkeypatch):
    """Record each Jupyter Book run (builder, the PDF it was given) and write a fake output."""
    calls = []

    def run(layout, builder, strict, pdf=None, languages=("en",)):
        calls.append((builder, pdf))
        folder = "latex" if builder == "pdflatex" else "html"
        work = Path(layout.out_dir) / f".{builder}-fake" / "_build"
        (work / folder).mkdir(parents=True, exist_ok=True)
        if builder == "pdflatex":
            (work / folder / "book.pdf").write_bytes(b"%PDF-1.5 fake " + str(len(calls)).encode())
        return work

    monkeypatch.setattr(jupyterbook, "jupyter_book", run)
    return calls


def test_the_pdf_is_built_first_and_handed_to_the_html_build(layout, fake_jupyter_book):
    built = publish.publish(layout, html=True, pdf=True, strict=False)
    assert [builder for builder, _ in fake_jupyter_book] == ["pdflatex", "html"]
    (latex, target), _ = built
    assert target == layout.out_dir / "latex"
    assert fake_jupyter_book[1][1] == latex / "book.pdf"  # the PDF that is published with it
    publish.swap_all(built)
    assert (layout.out_dir / "latex" / "book.pdf").read_bytes().startswith(b"%PDF")


def test_an_html_only_build_is_given_no_pdf(layout, fake_jupyter_book):
    publish.swap_all(publish.publish(layout, html=True, pdf=False, strict=False))
    assert fake_jupyter_book == [("html", None)]


def test_a_changed_pdf_makes_the_site_stale(layout, fake_jupyter_book):
    publish.swap_all(publish.publish(layout, html=True, pdf=True, strict=False))
    assert publish.publish(layout, html=True, pdf=True, strict=False) == []  # nothing changed
    assert len(fake_jupyter_book) == 2
    pdf = layout.out_dir / "latex" / "book.pdf"
    with_pdf = jupyterbook.book_key(layout, "html", False, pdf)
    assert with_pdf != jupyterbook.book_key(layout, "html", False)
    pdf.write_bytes(b"%PDF-1.5 another book")
    assert jupyterbook.book_key(layout, "html", False, pdf) != with_pdf


def test_the_builder_environment_names_the_pdf_only_when_this_build_made_it(monkeypatch, tmp_path):
    monkeypatch.setenv(jupyterbook.PDF_ENV, "/somewhere/stale.pdf")
    assert jupyterbook.PDF_ENV not in jupyterbook.builder_environment(None)
    pdf = tmp_path / "book.pdf"
    assert jupyterbook.builder_environment(pdf)[jupyterbook.PDF_ENV] == str(pdf.resolve())
    assert jupyterbook.PDF_ENV == reader.PDF_ENV


# --------------------------------------------------------------------------- provenance
def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_a_fresh_checkout_with_generated_files_names_a_clean_commit(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("_build/\nbook/_generated/\n")
    (tmp_path / "chapter.ipynb").write_text("{}\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "book")
    for generated in ("_build/html/index.html", "book/_generated/provenance.md"):
        (tmp_path / generated).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / generated).write_text("built\n")
    commit = provenance.git_commit(tmp_path)
    assert len(commit) == 12 and "uncommitted" not in commit
    (tmp_path / "chapter.ipynb").write_text('{"edited": true}\n')
    assert provenance.git_commit(tmp_path).endswith("(with uncommitted changes)")


# --------------------------------------------------------------------------- the reader extension
@pytest.mark.parametrize(
    "columns, size", [(3, "\\small"), (7, "\\footnotesize"), (11, "\\scriptsize")]
)
def test_the_more_columns_the_smaller_the_type(columns, size):
    assert reader.table_size(columns) == size


def test_the_page_path_to_the_site_root():
    assert reader.relative_to_root("index", "book.pdf") == "book.pdf"
    assert reader.relative_to_root("book/pages/intro", "book.pdf") == "../../book.pdf"


# --------------------------------------------------------------------------- the landing page
def test_the_landing_page_has_one_short_box_on_its_data_and_a_link_to_the_pdf():
    from analysis.project import DATA_DIR

    intro = (PROJECT_ROOT / "book" / "pages" / "intro.md").read_text(encoding="utf-8")
    assert "{include} ../_generated/edition.md" in intro and "```{book-pdf}" in intro
    assert not re.search(r"^:::\{(admonition|warning|note|important)", intro, re.M), (
        "a second box on the landing page"
    )
    box = pages.edition_markdown(DATA_DIR)
    assert box.startswith(":::{warning}\n**Illustrative study data.**") and box.count(":::") == 2
    assert "not field results" in box and "BPS poverty figures are real" in box
    assert len(box.split()) < 70, "the box should stay short on a phone"
    assert intro.index("edition.md") < intro.index("{book-pdf}") < intro.index("## The studies")
    assert "{include} ../_generated/studies.md" in intro, "the list of studies follows the registry"


def test_the_run_details_say_uncommitted_changes_in_the_editions_language(tmp_path):
    from analysis.pipeline.pages import provenance_markdown
    from analysis.pipeline.provenance import NOT_A_CHECKOUT, UNCOMMITTED

    dirty = "0123456789ab" + UNCOMMITTED
    for lang, said in (
        ("en", "- Commit: `0123456789ab` (with uncommitted changes)"),
        ("id", "- *Commit*: `0123456789ab` (dengan perubahan yang belum di-commit)"),
    ):
        page = provenance_markdown([], [], tmp_path, {}, {}, commit=dirty, versions={}, lang=lang)
        assert said in page.splitlines()
    page = provenance_markdown(
        [], [], tmp_path, {}, {}, commit=NOT_A_CHECKOUT, versions={}, lang="id"
    )
    assert "- *Commit*: tidak diketahui (bukan salinan git)" in page.splitlines()
