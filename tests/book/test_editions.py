"""The two editions of the built book side by side: every English page has its Indonesian page,
each says its language, the language switch leads to the same page both ways, the Indonesian
pages hold no English paragraph left untranslated, and the Indonesian PDF carries every figure.

Reads what ``python -m analysis build --strict --pdf`` (``make test``) built in ``_build/``; the
per-edition reader checks are ``test_built_book.py`` run with ``BOOK_EDITION=id``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.project import PROJECT_ROOT
from support import bookcheck

pytestmark = pytest.mark.slow

BUILD = Path(os.environ.get("BOOK_BUILD_DIR", PROJECT_ROOT / "_build"))
ENGLISH_HTML, INDONESIAN_HTML = BUILD / "html", BUILD / "html" / "id"
DOCNAMES = bookcheck.toc_docnames(PROJECT_ROOT)
#: Elements whose text is not prose to translate: code, quotes kept in their original language,
#: the bibliography and the book's own citation (publications keep their titles).
NOT_PROSE = (
    "pre, code, kbd, blockquote, .citation, .bibliography, .book-citation, .docutils.literal, "
    "script, style"
)
#: A paragraph shorter than this (in words) is not judged: names, numbers, captions of one word.
MIN_WORDS = 8
#: Confidence (0-1) above which a paragraph is taken for English.
ENGLISH_ABOVE = 0.9


def soup(path: Path) -> BeautifulSoup:
    if not path.is_file():
        pytest.fail(f"{path}: not built (python -m analysis build --strict --pdf)", pytrace=False)
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_of(root: Path, docname: str) -> Path:
    return root / f"{docname}.html"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_every_page_is_in_both_editions_and_says_its_language(docname):
    english = soup(html_of(ENGLISH_HTML, docname))
    indonesian = soup(html_of(INDONESIAN_HTML, docname))
    assert english.html["lang"] == "en"
    assert indonesian.html["lang"] == "id"
    assert bookcheck.page_title(english) != bookcheck.page_title(indonesian) or docname.endswith(
        "references"
    ), f"{docname}: the same title in both editions"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_the_language_switch_leads_to_the_same_page_both_ways(docname):
    for root, other, label in (
        (ENGLISH_HTML, INDONESIAN_HTML, "Bahasa Indonesia"),
        (INDONESIAN_HTML, ENGLISH_HTML, "English"),
    ):
        page = html_of(root, docname)
        links = [a for a in soup(page).select("a[href]") if a.get_text(" ", strip=True) == label]
        assert links, f"{page}: no language switch to {label}"
        target = (page.parent / links[0]["href"]).resolve()
        assert target == html_of(other, docname).resolve(), (page, links[0]["href"])
        alternates = {
            link["hreflang"]: (page.parent / link["href"]).resolve()
            for link in soup(page).select("link[rel=alternate][hreflang]")
        }
        assert alternates == {
            "en": html_of(ENGLISH_HTML, docname).resolve(),
            "id": html_of(INDONESIAN_HTML, docname).resolve(),
        }


@cache
def detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.INDONESIAN).build()


def english_paragraphs(html: Path) -> list[str]:
    """The paragraphs, list items, headings and table captions of a page's article that read as
    English (see :data:`NOT_PROSE`, :data:`MIN_WORDS`, :data:`ENGLISH_ABOVE`)."""
    from lingua import Language

    article = soup(html).select_one("article") or soup(html)
    for element in article.select(NOT_PROSE):
        element.decompose()
    found = []
    for element in article.select("p, li, h1, h2, h3, h4, caption, figcaption, th, dt, dd"):
        if element.find(["p", "li"]):  # judged by its own paragraphs
            continue
        text = " ".join(element.get_text(" ", strip=True).split())
        if len(re.findall(r"[A-Za-z]{2,}", text)) < MIN_WORDS:
            continue
        if detector().compute_language_confidence(text, Language.ENGLISH) > ENGLISH_ABOVE:
            found.append(text)
    return found


def test_the_language_check_tells_english_from_indonesian(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<article><p>Persentase penduduk miskin adalah persentase penduduk yang pengeluaran per "
        "kapita per bulannya berada di bawah garis kemiskinan.</p>"
        "<p>The headcount rate is the share of the population whose monthly spending per "
        "person is below the poverty line.</p><pre>this code block is not judged at all ok</pre>"
        "</article>",
        encoding="utf-8",
    )
    assert english_paragraphs(page) == [
        "The headcount rate is the share of the population whose monthly spending per person "
        "is below the poverty line."
    ]


def test_no_indonesian_page_keeps_an_english_paragraph():
    left = {docname: english_paragraphs(html_of(INDONESIAN_HTML, docname)) for docname in DOCNAMES}
    left = {docname: found for docname, found in left.items() if found}
    shown = "\n".join(
        f"{docname}: {text[:160]}" for docname, found in left.items() for text in found[:5]
    )
    assert not left, f"English paragraphs in the Indonesian edition:\n{shown}"


def test_the_indonesian_pdf_has_every_figure_and_table_of_the_english_one():
    english, indonesian = BUILD / "latex" / "book.pdf", BUILD / "latex" / "book-id.pdf"
    for pdf in (english, indonesian):
        if not pdf.is_file():
            pytest.fail(f"no PDF at {pdf} (python -m analysis build --pdf)", pytrace=False)
    if shutil.which("pdfimages") is None:
        pytest.fail("pdfimages not installed (poppler-utils)", pytrace=False)
    assert len(bookcheck.pdf_images(indonesian)) == len(bookcheck.pdf_images(english))
    tex = {
        lang: (BUILD / folder / "book.tex").read_text(encoding="utf-8")
        for lang, folder in (("en", "latex"), ("id", "latex-id"))
    }
    assert bookcheck.latex_table_count(tex["id"]) == bookcheck.latex_table_count(tex["en"])
    text = subprocess.run(
        ["pdftotext", "-l", "6", str(indonesian), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Pendahuluan" in text and "Program penanggulangan kemiskinan" in text
    assert (INDONESIAN_HTML / "book-id.pdf").is_file()  # inside the published site as well


@pytest.mark.parametrize("site", [ENGLISH_HTML, INDONESIAN_HTML], ids=["en", "id"])
def test_the_search_lists_a_page_found_by_its_title_once(site):
    """Sphinx's search drops a repeated result only when its title is the same: a page's title
    in the index (``titles``) must be the one it is matched by (``alltitles``), so that a search
    for "Glosarium" lists the glossary once, not as "15. Glosarium" and "15. Glosarium > Glosarium"."""
    import json

    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    glossary = index["docnames"].index("book/pages/glossary")
    title = index["titles"][glossary]
    assert title in index["alltitles"], title
    assert [glossary, None] in index["alltitles"][title]
    assert not any("section-number" in t for t in index["titles"])


@pytest.mark.parametrize("site", [ENGLISH_HTML, INDONESIAN_HTML], ids=["en", "id"])
@pytest.mark.parametrize(
    ("page", "study", "figures"),
    [
        ("qualitative_jombang", "Jombang", 5),
        ("qualitative_pakis", "Kelurahan Pakis", 5),
        ("income_pakis", "Kelurahan Pakis", 1),
    ],
)
def test_each_caption_names_its_study_and_the_text_refers_to_it_by_number(
    site, page, study, figures
):
    """Captions say which study a figure is of (issue 24): glued per edition, each figure
    numbered and referred to by its number, in both editions (the Indonesian text's references
    point to the run's own figures)."""
    soup = BeautifulSoup(
        (site / "book" / "chapters" / f"{page}.html").read_text("utf-8"), "html.parser"
    )
    captions = [c.get_text(" ", strip=True) for c in soup.select("figure figcaption")]
    assert len(captions) == figures
    assert all(re.match(r"^(Fig\.|Gambar) \d+\.\d+ " + re.escape(study) + ":", c) for c in captions)
    targets = {f"#{f['id']}" for f in soup.select("figure[id]")}
    references = {a["href"] for a in soup.select("a.reference.internal") if "-fig-" in a["href"]}
    assert references == targets  # every figure referred to, every reference resolved
