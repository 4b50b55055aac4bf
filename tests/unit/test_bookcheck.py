"""The helpers behind the built-book checks, on small pages and texts made here (fast)."""

from __future__ import annotations

import json
import zlib

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
    assert json.loads(report.external_links_json()) == {
        "https://example.org/x": ["a.html"],
        "mailto:someone@example.org": ["a.html"],
    }


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


# --------------------------------------------------------------------------- links in a PDF
def make_pdf(objects: dict[int, bytes], packed: tuple[int, ...] = ()) -> bytes:
    """A small PDF written by hand: ``objects`` by number; those in ``packed`` go into one
    compressed object stream, as xdvipdfmx writes them (the file then has an xref stream)."""
    loose = {n: body for n, body in objects.items() if n not in packed}
    stream_number = max(objects) + 1
    if packed:
        header, body = [], b""
        for n in packed:
            header.append(f"{n} {len(body)}")
            body += objects[n] + b"\n"
        head = " ".join(header).encode() + b"\n"
        data = zlib.compress(head + body)
        loose[stream_number] = (
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(packed), len(head), len(data))
            + data
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    for n in sorted(loose):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + loose[n] + b"\nendobj\n"
    if not packed:
        size, xref = max(loose) + 1, len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for n in range(1, size):
            out += b"%010d 00000 n \n" % offsets[n]
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % size
    else:  # an xref stream: type 1 (offset) or 2 (object stream, index) for each object
        xref_number = stream_number + 1
        offsets[xref_number] = xref = len(out)
        size = xref_number + 1
        rows = b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"
        for n in range(1, size):
            if n in packed:
                rows += (
                    b"\x02" + stream_number.to_bytes(4, "big") + packed.index(n).to_bytes(2, "big")
                )
            else:
                rows += b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00"
        out += (
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % (xref_number, size, len(rows))
            + rows
            + b"\nendstream\nendobj\n"
        )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# Two pages; named destinations "good" (page 2) and "stray" (an object that is no page); links:
# to "good", to "missing", to the web, to "stray", to page 2 itself, to object 5 (no page).
LINKED_PDF = {
    1: b"<< /Type /Catalog /Pages 2 0 R /Names << /Dests 6 0 R >> /Outlines 14 0 R >>",
    2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [7 0 R 8 0 R 9 0 R] >>",
    4: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [10 0 R 11 0 R 12 0 R] >>",
    5: b"<< /Producer (not a page) >>",
    6: b"<< /Names [(good) [4 0 R /Fit] (stray) [5 0 R /Fit]] >>",
    7: b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Dest (good) >>",
    8: b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /GoTo /D (missing) >> >>",
    9: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://example.org/a) >> >>",
    10: b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A 13 0 R >>",
    11: b"<< /Type/Annot/Subtype/Link/Rect[0 0 10 10]/Dest[4 0 R/XYZ 0 200 null] >>",
    12: b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Dest [5 0 R /Fit] >>",
    13: b"<< /S /GoTo /D <7374726179> >>",  # "stray", as a hex string, in an object of its own
    14: b"<< /Type /Outlines /First 15 0 R /Last 16 0 R /Count 2 >>",  # bookmarks: one good
    15: b"<< /Title (One) /Parent 14 0 R /Next 16 0 R /Dest (good) >>",
    16: b"<< /Title <FEFF00540077006F> /Parent 14 0 R /Prev 15 0 R /A << /S /GoTo /D (gone) >> >>",
}


@pytest.mark.parametrize("packed", [(), tuple(range(6, 17))], ids=["plain", "packed"])
def test_pdf_link_checker_reports_missing_and_pageless_destinations(tmp_path, packed):
    pdf = tmp_path / "linked.pdf"
    pdf.write_bytes(make_pdf(LINKED_PDF, packed))
    assert bookcheck.pdf_page_count(pdf) == 2  # poppler reads the hand-made file
    report = bookcheck.check_pdf_links(pdf)
    assert report.checked == 7  # every link but the one to the web, and both bookmarks
    assert sorted((str(link).split(":")[0], reason) for link, reason in report.broken) == [
        ("bookmark 'Two'", "no destination named 'gone' that leads to a page"),
        ("page 1", "no destination named 'missing' that leads to a page"),
        ("page 2", "explicit destination to object 5, which is no page"),
        ("page 2", "no destination named 'stray' that leads to a page"),
    ]
    assert report.external_links == {"https://example.org/a": {1}}
    listing = bookcheck.pdf_external_links_text(report, "linked.pdf")
    assert "\nhttps://example.org/a\n    page 1\n" in listing


def test_pdf_link_checker_passes_a_pdf_whose_links_all_resolve(tmp_path):
    good = {n: body for n, body in LINKED_PDF.items() if n not in (8, 10, 12, 13, 16)}
    good[14] = b"<< /Type /Outlines /First 15 0 R /Last 15 0 R /Count 1 >>"
    good[15] = good[15].replace(b" /Next 16 0 R", b"")
    good[3] = good[3].replace(b" 8 0 R", b"")
    good[4] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [11 0 R] >>"
    pdf = tmp_path / "good.pdf"
    pdf.write_bytes(make_pdf(good | {n: b"null" for n in (8, 10, 12, 13, 16)}))
    report = bookcheck.check_pdf_links(pdf)
    assert (report.checked, report.broken) == (3, [])  # two links and a bookmark


def test_pdf_links_into_the_site_are_resolved_against_the_built_site(tmp_path):
    (tmp_path / "_downloads" / "abc").mkdir(parents=True)
    (tmp_path / "_downloads" / "abc" / "codes.csv").write_text("a\n", encoding="utf-8")
    report = bookcheck.PdfLinkReport(
        external_links={
            "https://example.org/book/_downloads/abc/codes.csv": {3},
            "https://example.org/book/_downloads/abc/gone%20away.csv": {4, 5},
            "https://example.org/book/": {1},  # the landing page: index.html
            "https://elsewhere.org/x.csv": {2},  # not the site's: the links workflow's
        }
    )
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    missing = bookcheck.pdf_links_missing_from_site(report, "https://example.org/book/", tmp_path)
    assert missing == {"https://example.org/book/_downloads/abc/gone%20away.csv": {4, 5}}
