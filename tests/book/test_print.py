"""The PDFs of both editions read as printed books (issue #24): every line within the margin,
every page within its foot, run details that give each chapter's duration, no instruction that
only makes sense on the web, and figures numbered as the HTML numbers them.

Reads what ``python -m analysis build --strict --pdf`` (``make test``) built in ``_build/``: each
edition's LaTeX log (``latex/book.log``, ``latex-id/book.log``), its PDF and its HTML. Builds
nothing. The layout itself is made by ``book/_ext/printlayout.py`` and the LaTeX preamble in
``_config.yml``.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from analysis.project import PROJECT_ROOT
from support import bookcheck

pytestmark = pytest.mark.slow

BUILD = Path(os.environ.get("BOOK_BUILD_DIR", PROJECT_ROOT / "_build"))


@dataclass(frozen=True)
class Edition:
    lang: str
    html: Path
    pdf: Path
    latex: Path  # the folder of book.tex and book.log
    source: Path  # the sources of the edition (_toc.yml, book/chapters)
    #: The run-details line of a chapter whose duration is known, as the PDF shows it.
    duration: str
    #: Phrases that only make sense on the web, in the edition's language.
    web_phrases: tuple[str, ...]
    #: A phrase of the intro that only the web edition shows (the mechanism is in place).
    web_only_sample: str


EDITIONS = {
    "en": Edition(
        "en",
        BUILD / "html",
        BUILD / "latex" / "book.pdf",
        BUILD / "latex",
        PROJECT_ROOT,
        r"Duration of the execution that made this chapter: \d[\d,.]* s",
        (
            r"\bclick",
            r"\bhover over",
            r"download menu",
            r"language switch",
            r"top of the page",
            r"\bscroll",
            r"\btap\b",
        ),
        "the download menu at the top of the page",
    ),
    "id": Edition(
        "id",
        BUILD / "html" / "id",
        BUILD / "latex" / "book-id.pdf",
        BUILD / "latex-id",
        BUILD / "source-id",
        r"Durasi eksekusi yang menghasilkan bab ini: \d[\d,.]* detik",
        (
            r"\bklik",
            r"arahkan kursor",
            r"menu unduhan",
            r"pengalih bahasa",
            r"bagian atas halaman",
            r"\bgulir",
        ),
        "menu unduhan di bagian atas halaman",
    ),
}
LANGS = list(EDITIONS)

#: The widest a line may run past the margin, in pt (the issue's bound; TeX's own \hfuzz is 0.1).
OVERFULL_LIMIT = 5.0
_OVERFULL = re.compile(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\) (.*?)\n(.*?)\n", re.S)


def unavailable(what: str) -> None:
    pytest.fail(
        f"{what}: build the book first (python -m analysis build --strict --pdf), or run make test",
        pytrace=False,
    )


@cache
def latex_log(lang: str) -> str:
    path = EDITIONS[lang].latex / "book.log"
    if not path.is_file():
        unavailable(f"no LaTeX log at {path}")
    return path.read_text(encoding="utf-8", errors="replace")


@cache
def pdf_text(lang: str) -> str:
    path = EDITIONS[lang].pdf
    if not path.is_file():
        unavailable(f"no PDF at {path}")
    if shutil.which("pdftotext") is None:
        unavailable("pdftotext not installed (Debian package poppler-utils)")
    return bookcheck.pdf_text(path)


def html_dir(lang: str) -> Path:
    html = EDITIONS[lang].html
    if not (html / "index.html").is_file():
        unavailable(f"no built HTML book in {html}")
    return html


def docnames(lang: str) -> list[str]:
    return bookcheck.toc_docnames(EDITIONS[lang].source)


def flowing(text: str) -> str:
    """The PDF's text as one line, words hyphenated at a line's end joined again."""
    return " ".join(re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text).split())


# --------------------------------------------------------------------------- lines and pages
def overfull_lines(log: str, limit: float = OVERFULL_LIMIT) -> list[str]:
    """Each line that LaTeX set wider than the text by more than ``limit`` pt, with where."""
    return [
        f"{float(m.group(1)):.1f} pt {m.group(2).strip()}: {m.group(3).strip()[:100]}"
        for m in _OVERFULL.finditer(log)
        if float(m.group(1)) > limit
    ]


def test_the_overfull_check_reads_tex_s_report():
    log = (
        "Overfull \\hbox (12.5pt too wide) in paragraph at lines 10--12\n"
        "[]\\TU/FreeMono(0)/m/n/10 a_long_name|\n\n"
        "Overfull \\hbox (0.6pt too wide) in alignment at lines 3--4\n[]|\n"
    )
    assert overfull_lines(log) == [
        "12.5 pt in paragraph at lines 10--12: []\\TU/FreeMono(0)/m/n/10 a_long_name|"
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_no_line_runs_past_the_margin(lang):
    """No table cell, checksum, path, code name or web address sticks out of the text block
    (tables are laid out from their cells and long tokens may break: book/_ext/printlayout.py)."""
    found = overfull_lines(latex_log(lang))
    assert found == [], (
        f"{len(found)} lines past the margin by more than {OVERFULL_LIMIT} pt:\n"
        + ("\n".join(found[:30]))
    )


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_runs_past_its_foot(lang):
    """A page whose text runs over its footer shows in the log as an overfull \\vbox while the
    output routine is active (a long table beside a figure did it: the longtable patch in
    _config.yml's preamble); the patch must still apply to the installed longtable."""
    log = latex_log(lang)
    overflows = re.findall(
        r"Overfull \\vbox \([\d.]+pt too high\) has occurred while \\output", log
    )
    assert overflows == [], overflows
    assert "longtable not patched for floats" not in log


# --------------------------------------------------------------------------- run details
def executed_runs(lang: str) -> list[str]:
    source = EDITIONS[lang].source
    ids = [bookcheck.run_id_of(bookcheck.source_file(source, d)) for d in docnames(lang)]
    return [run_id for run_id in ids if run_id]


@pytest.mark.parametrize("lang", LANGS)
def test_the_run_details_give_the_duration_of_every_executed_chapter(lang):
    """A fresh clone (the CI) has executed nothing: each chapter's duration is the one recorded
    with it (book/chapters/durations.json), never "not recorded"."""
    runs = executed_runs(lang)
    assert runs, "no executed chapter in the table of contents: the check checked nothing"
    # the words appear in the run-details appendix only
    durations = re.findall(EDITIONS[lang].duration, flowing(pdf_text(lang)))
    assert len(durations) == len(runs), (
        f"{len(durations)} durations in the run details for {len(runs)} executed chapters "
        f"({', '.join(runs)})"
    )
    page = bookcheck.read_html(html_dir(lang), "book/_generated/provenance")
    for run_id in runs:
        anchor = page.find(id=f"run-details-{run_id}")
        section = anchor.find_parent("section") if anchor is not None else None
        assert section is not None, f"the run-details page has no section for {run_id}"
        assert re.search(EDITIONS[lang].duration, " ".join(section.get_text(" ").split())), (
            f"no duration for {run_id} on the run-details web page"
        )


# --------------------------------------------------------------------------- web and print
@pytest.mark.parametrize("lang", LANGS)
def test_no_web_instruction_is_printed(lang):
    """Clicking, hovering, menus and switches at the top of a page are the web edition's; the
    PDF says what a reader of paper can do (the ``web-only``/``print-only`` classes)."""
    text = flowing(pdf_text(lang))
    found = {
        phrase: re.findall(rf".{{0,50}}{phrase}.{{0,50}}", text, re.I)
        for phrase in EDITIONS[lang].web_phrases
    }
    assert {p: f for p, f in found.items() if f} == {}


@pytest.mark.parametrize("lang", LANGS)
def test_the_web_edition_keeps_its_instructions_and_shows_no_print_text(lang):
    html = html_dir(lang)
    intro = bookcheck.read_html(html, docnames(lang)[0])
    assert EDITIONS[lang].web_only_sample in " ".join(intro.get_text(" ").split())
    printed = [
        " ".join(e.get_text(" ").split())
        for d in docnames(lang)
        for e in bookcheck.read_html(html, d).select(".print-only")
    ]
    assert printed == [], f"text for print shown on the web: {printed[:5]}"


# --------------------------------------------------------------------------- figure numbers
def html_numbered_figures(lang: str) -> list[tuple[str, str]]:
    """(number as shown, caption) of every numbered figure of the HTML, in reading order."""
    html = html_dir(lang)
    found = []
    for docname in docnames(lang):
        for caption in bookcheck.read_html(html, docname).select("figcaption"):
            number = caption.select_one(".caption-number")
            text = caption.select_one(".caption-text")
            if number and text:
                found.append((number.get_text(" ", strip=True), text.get_text(" ", strip=True)))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_figures_are_numbered_alike_in_html_and_pdf(lang):
    """Both number figures by chapter ("Fig. 7.1"): the PDF's captions read "Fig. 7.1: ..." with
    the HTML's number and caption, for every numbered figure."""
    figures = html_numbered_figures(lang)
    assert figures, "the HTML has no numbered figure: the check checked nothing"
    assert all(re.search(r"\d+\.\d+$", number) for number, _ in figures), figures[:3]
    text, words = bookcheck.ComparableText(pdf_text(lang)), flowing(pdf_text(lang))
    missing = [
        f"{number}: {caption[:50]}"
        for number, caption in figures
        if f"{number}: {caption[:50]}" not in text or f"{number}:" not in words
    ]
    assert missing == [], "figures numbered otherwise in the PDF:\n" + "\n".join(missing)
