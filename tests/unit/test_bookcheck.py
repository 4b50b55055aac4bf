"""The helpers behind the built-book checks, on small pages and texts made here (fast)."""

from __future__ import annotations

import json

import nbformat
import pytest

import sphinx_fixes
from support import bookcheck

PAGE = """<html><body><nav class="bd-docs-nav"><a class="reference internal" href="b.html">B</a></nav>
<article class="bd-article"><h1 id="top">A page</h1>{body}</article></body></html>"""


def write_page(folder, name, body):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(body=body), encoding="utf-8")
    return path


def test_link_checker_reports_a_missing_page_and_a_missing_anchor(tmp_path):
    write_page(
        tmp_path,
        "a.html",
        '<a href="b.html#here">ok</a><a href="b.html#gone">x</a><a href="nope.html">y</a>'
        '<a href="#top">self</a><img src="_images/fig.png">',
    )
    write_page(tmp_path, "b.html", '<p id="here">here</p><a href="a.html">back</a>')
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "fig.png").write_bytes(b"png")
    report = bookcheck.check_links(tmp_path)
    assert sorted((b.page, b.url) for b in report.broken) == [
        ("a.html", "b.html#gone"),
        ("a.html", "nope.html"),
    ]
    assert report.checked == 8  # a sidebar link on each page, five links in a.html, one in b.html


def test_link_checker_lists_external_links_and_flags_external_scripts(tmp_path):
    write_page(
        tmp_path,
        "a.html",
        '<a href="https://example.org/x">x</a><script src="https://cdn.example.org/m.js"></script>'
        '<a href="mailto:someone@example.org">mail</a>',
    )
    report = bookcheck.check_links(tmp_path)
    assert set(report.external_links) == {"https://example.org/x", "mailto:someone@example.org"}
    assert set(report.external_resources) == {"https://cdn.example.org/m.js"}
    assert "https://example.org/x\n    a.html" in report.external_links_text()


def test_glue_uses_name_the_run_and_format_like_myst_nb(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["poverty_book"] = {"run_id": "income-pakis"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "Incomes rose by {glue:text}`mean_change:,.0f` a month, "
            "{glue:text}`share:.1%` of them; site {glue}`site`."
        )
    ]
    (tmp_path / "book" / "chapters").mkdir(parents=True)
    nbformat.write(nb, tmp_path / "book" / "chapters" / "income.ipynb")
    uses = bookcheck.glue_uses(tmp_path, ["book/chapters/income"])
    assert [(u.run_id, u.key, u.format_spec) for u in uses] == [
        ("income-pakis", "mean_change", ",.0f"),
        ("income-pakis", "share", ".1%"),
        ("income-pakis", "site", ""),
    ]
    assert [u.displayed(v) for u, v in zip(uses, [401111.2, 0.4567, "pakis"])] == [
        "401,111",
        "45.7%",
        "'pakis'",
    ]


def test_pasted_values_keep_the_words_around_them(tmp_path):
    write_page(
        tmp_path,
        "c.html",
        '<p>The rate went from <span class="pasted-text">13.84</span> % to '
        '<span class="pasted-text">9.56</span>.</p>',
    )
    shown = bookcheck.pasted_values(tmp_path, "c")
    assert [(p.before, p.text, p.after) for p in shown] == [
        ("from ", "13.84", " %"),
        ("to ", "9.56", "."),
    ]


@pytest.mark.parametrize(
    "pdf_text",
    [
        "The rate went from 13.84 % to 9.56.",
        "The rate went from\n13.84 % to 9.56.",  # a line break
        "The rate went from 13.84\u00a0% to 9.56.",  # LaTeX's non-breaking space
    ],
)
def test_a_glued_value_is_found_in_the_pdf_next_to_its_words(pdf_text):
    value = bookcheck.Pasted("c", "13.84", "from ", " %")
    assert value.found_in(bookcheck.ComparableText(pdf_text))


def test_a_glued_value_is_not_found_alone_somewhere_else():
    value = bookcheck.Pasted("c", "3", "in ", " informants")
    assert not value.found_in(
        bookcheck.ComparableText("Table 3: households; 12 informants in 2017")
    )


def test_comparison_undoes_typography_and_line_end_hyphens():
    text = bookcheck.ComparableText(
        "Kelurahan Pakis\u2019s \u201cP2KP\u201d, 2010\u20132018, alpha 0.667-\n0.800, two-\nsided"
    )
    assert 'Kelurahan Pakis\'s "P2KP", 2010-2018' in text
    assert "alpha 0.667-0.800" in bookcheck.ComparableText(
        "alpha 0.6670.800"
    )  # pdftotext dropped the hyphen
    assert "from -0.07" not in bookcheck.ComparableText("from 0.07")  # a minus sign is not a hyphen


def test_contents_pages_are_found_and_end_before_the_first_chapter():
    pages = [
        "Title\n",
        "CONTENTS\n\nI Where\n3\n1 Poverty in Jombang\n5\n5\n7\n9\n",
        "1\n2\n3\n4\n5\n6\n",
        "CHAPTER ONE\nPoverty in Jombang\nThe headcount rate is 13.84 %.\n",
    ]
    contents = bookcheck.contents_pages("\f".join(pages))
    assert "Poverty in Jombang" in contents and "headcount" not in contents
    assert bookcheck.contents_pages("no table here\fat all") == ""


def test_the_last_line_of_the_contents_alone_on_a_page_is_part_of_it():
    pages = [
        "Daftar Isi\n\nPendahuluan\n1\n2\n3\n4\n5\n",
        "14 Daftar pustaka\n\n102\n\niii\n",
        "Pendahuluan\nBuku ini adalah kompendium penelitian.\n1\n",
    ]
    contents = bookcheck.contents_pages("\f".join(pages), "Daftar Isi")
    assert "Daftar pustaka" in contents and "kompendium" not in contents


def test_unresolved_references_and_undefined_labels_are_reported():
    assert bookcheck.unresolved_references("See Fig. ?? and Table 2.\nAll fine here.") == [
        "See Fig. ?? and Table 2."
    ]
    log = (
        "LaTeX Warning: Reference `book/chapters/x:fig-a' on page 5 undefined on input line 265.\n"
        "LaTeX Warning: Citation `miranti2020' on page 7 undefined on input line 12.\n"
    )
    assert bookcheck.latex_undefined(log) == [
        "Citation `miranti2020' on page 7 undefined",
        "Reference `book/chapters/x:fig-a' on page 5 undefined",
    ]


def test_reader_problems_catch_tracebacks_parameters_and_library_warnings():
    visit = bookcheck.PageVisit("u", 200)
    found = visit.reader_problems(
        'Traceback (most recent call last):\n  File "x.py", line 1',
        [],
        1,
        ["x.py:3: FutureWarning: the default will change"],
    )
    assert any("traceback" in f for f in found) and any("parameters cell" in f for f in found)
    assert any("FutureWarning" in f for f in found)
    # the banner admonition is titled "Warning": that is the book's own voice, not a library's
    assert visit.reader_problems("Warning\nIllustrative data. The numbers ...", [], 0, []) == []


def test_search_term_is_a_long_repeated_word():
    assert bookcheck.search_term(
        "the kelurahan officials and the kelurahan staff met the officials"
    ) in {"kelurahan", "officials"}


def test_math_becomes_mathml_including_commands_docutils_lacks():
    assert "<mi>π</mi>" in sphinx_fixes.tex_to_mathml(r"\pi_1 = n M_i / M")
    assert "…" in sphinx_fixes.tex_to_mathml(r"u, u+1, \dots, u+n-1")  # \dots read as \ldots


def test_repeated_inline_scripts_are_dropped_whatever_their_empty_file_name():
    class Script:
        def __init__(self, filename, body):
            self.filename, self.attributes = filename, {"body": body}

    context = {
        "script_files": [Script(None, "const A = 1"), Script("x.js", ""), Script("", "const A = 1")]
    }
    sphinx_fixes.drop_repeated_scripts(None, "page", "page.html", context, None)
    assert [(s.filename, s.attributes["body"]) for s in context["script_files"]] == [
        (None, "const A = 1"),
        ("x.js", ""),
    ]


def test_toc_docnames_reads_parts_and_sections(tmp_path):
    (tmp_path / "_toc.yml").write_text(
        json.dumps(
            {
                "format": "jb-book",
                "root": "book/pages/intro",
                "parts": [
                    {
                        "caption": "A",
                        "chapters": [
                            {"file": "book/chapters/a", "sections": [{"file": "book/chapters/a1"}]}
                        ],
                    },
                    {"caption": "B", "chapters": [{"file": "book/pages/b.md"}]},
                ],
            }
        )
    )
    assert bookcheck.toc_docnames(tmp_path) == [
        "book/pages/intro",
        "book/chapters/a",
        "book/chapters/a1",
        "book/pages/b",
    ]
