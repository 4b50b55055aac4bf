"""The built book works for a reader: in a real browser, in the PDF, and through its links.

These tests read the book that the strict build (``python -m analysis build --strict --pdf``,
the first step of ``make test``) just produced in ``_build/``: ``html/``, ``results.json`` and
``latex/book.pdf``. They build nothing themselves, and a missing book, browser or poppler tool
fails them (they run after the build, so CI cannot pass by skipping).

Artefacts for people: ``_build/screenshots/`` (landing page, one chapter, a few PDF pages) and
``_build/external-links.txt`` and ``.json`` (the external links of both sites, URL -> pages) and
``_build/external-links-book.pdf.txt`` (those of each PDF): listed here, not checked, the tests
run offline; ``.github/workflows/links.yml`` checks the published site's on a schedule.

``BOOK_BUILD_DIR`` and ``BOOK_SOURCE_DIR`` point the tests at another build folder and its book
sources (``_config.yml``, ``_toc.yml``, ``book/``), e.g. one made with ``--data DIR --out OUT``
(sources in ``OUT/source``). ``BOOK_EDITION=id`` runs every check over the Indonesian edition
(``html/id/``, ``latex/book-id.pdf``, its sources in ``source-id/``); ``make test`` runs both.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from analysis.project import PROJECT_ROOT
from support import bookcheck

pytestmark = pytest.mark.slow

BUILD = Path(os.environ.get("BOOK_BUILD_DIR", PROJECT_ROOT / "_build"))
EDITION = os.environ.get("BOOK_EDITION", "en")
ENGLISH = EDITION == "en"
SOURCE = Path(
    os.environ.get("BOOK_SOURCE_DIR", PROJECT_ROOT if ENGLISH else BUILD / f"source-{EDITION}")
)
HTML = BUILD / "html" if ENGLISH else BUILD / "html" / EDITION
PDF = BUILD / "latex" / ("book.pdf" if ENGLISH else f"book-{EDITION}.pdf")
LATEX = BUILD / "latex" if ENGLISH else BUILD / f"latex-{EDITION}"  # book.tex, book.log
#: Words of the edition that the PDF checks look for: LaTeX's heading of the contents and the
#: title of the references page.
WORDS = {
    "en": {"contents": "Contents", "references": "References", "index": "Index"},
    "id": {"contents": "Daftar Isi", "references": "Daftar pustaka", "index": "Indeks"},
}[EDITION]
SCREENSHOTS = BUILD / "screenshots" if ENGLISH else BUILD / "screenshots" / EDITION
POPPLER = ("pdftotext", "pdfimages", "pdftoppm", "pdfinfo")

DOCNAMES = bookcheck.toc_docnames(SOURCE)
ROOT_DOC, CHAPTERS = DOCNAMES[0], DOCNAMES[1:]

# Console errors a page may log, each with the reason it is not the book's fault. Kept empty:
# the book requests nothing from the internet (see test_pages_request_nothing_but_the_local_server),
# so the offline machine produces no console error of its own.
ALLOWED_CONSOLE_ERRORS: dict[str, str] = {}


def unavailable(what: str) -> None:
    """Fail: these checks read a built book (python -m analysis build --strict --pdf; make test)."""
    pytest.fail(
        f"{what}: build the book first (python -m analysis build --strict --pdf), or run make test",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def html_dir() -> Path:
    html = HTML
    if not (html / "index.html").is_file():
        unavailable(f"no built HTML book in {html}")
    return html


@pytest.fixture(scope="module")
def results() -> dict:
    """What the chapters recorded: results.json, or for another edition its own chapters'
    values (the same numbers, checked by the build; their sentences are in that language)."""
    path = BUILD / "results.json"
    if not path.is_file():
        unavailable(f"no {path}")
    if ENGLISH:
        return json.loads(path.read_text(encoding="utf-8"))
    from analysis.pipeline.runner import glued_values

    chapters = sorted((SOURCE / "book" / "chapters").glob("*.ipynb"))
    return {bookcheck.run_id_of(c): glued_values(c) for c in chapters if bookcheck.run_id_of(c)}


@pytest.fixture(scope="module")
def pdf(html_dir) -> Path:
    path = PDF
    if not path.is_file():
        unavailable(f"no PDF at {path}")
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        unavailable(f"{', '.join(missing)} not installed (Debian package poppler-utils)")
    return path


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return bookcheck.pdf_text(pdf)


#: The number the HTML puts before a numbered heading ("7. ", "7.2 "), as the PDF does: its
#: contents and headings read "7 Kelurahan Pakis: ..." (_toc.yml ``numbered``).
SECTION_NUMBER = re.compile(r"^\d+(\.\d+)*\.?\s+")


def unnumbered(heading: str) -> str:
    """A heading's text without its section number."""
    return SECTION_NUMBER.sub("", heading)


def executed_chapters() -> list[str]:
    return [d for d in CHAPTERS if bookcheck.run_id_of(bookcheck.source_file(SOURCE, d))]


# --------------------------------------------------------------------------- in a real browser
@dataclass
class Browser:
    base_url: str
    page: object  # playwright.sync_api.Page
    blocked: list[str]  # requests to any host but 127.0.0.1 (aborted)
    sidebar: list[str] = field(default_factory=list)  # sidebar links seen on the landing page
    visits: dict = field(default_factory=dict)  # docname -> bookcheck.PageVisit
    index_lands_on: str = ""  # where index.html, the file a reader opens, leads


@pytest.fixture(scope="module")
def browser(html_dir):
    """Headless Debian Chromium over a local server; visits every page of _toc.yml once.

    Pages are reached through the links of the landing page's sidebar when it has them.
    """
    if not bookcheck.CHROMIUM.exists():
        unavailable(
            f"no browser at {bookcheck.CHROMIUM} (Debian package chromium; scripts/install-system-deps.sh)"
        )
    from playwright.sync_api import sync_playwright

    with bookcheck.serve(html_dir) as base_url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(bookcheck.CHROMIUM), args=bookcheck.CHROMIUM_ARGS
        )
        context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block"
        )
        blocked = bookcheck.block_external_requests(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        session = Browser(base_url, page, blocked)
        landing = bookcheck.page_url(base_url, ROOT_DOC)
        session.index_lands_on = bookcheck.follow_redirect(page, base_url + "index.html", landing)
        session.visits[ROOT_DOC] = bookcheck.visit(page, landing, blocked)
        session.sidebar = bookcheck.sidebar_links(page)
        for docname in CHAPTERS:
            expected = bookcheck.page_url(base_url, docname)
            url = next(
                (link for link in session.sidebar if bookcheck.same_page(link, expected)), expected
            )
            session.visits[docname] = bookcheck.visit(page, url, blocked)
        yield session
        context.close()
        chromium.close()


def test_every_page_of_the_table_of_contents_loads_with_its_title(browser):
    failed = {d: v.status for d, v in browser.visits.items() if v.status != 200 or not v.title}
    assert failed == {}, f"pages that did not load (HTTP status) or show no title: {failed}"


def test_index_html_leads_to_the_landing_page(browser):
    landing = bookcheck.page_url(browser.base_url, ROOT_DOC)
    assert bookcheck.same_page(browser.index_lands_on, landing), (
        f"index.html leads to {browser.index_lands_on}, not to the landing page {landing}"
    )


def test_pages_log_no_console_errors(browser):
    errors = {
        d: [
            e
            for e in v.console_errors
            if not any(allowed in e for allowed in ALLOWED_CONSOLE_ERRORS)
        ]
        for d, v in browser.visits.items()
    }
    errors = {d: e for d, e in errors.items() if e}
    assert errors == {}, f"console errors: {errors}"


def test_pages_request_nothing_but_the_local_server(browser):
    """The book reads offline: no font, script or style from a CDN, and no local file missing."""
    external = {d: v.external_requests for d, v in browser.visits.items() if v.external_requests}
    failed = {d: v.failed_requests for d, v in browser.visits.items() if v.failed_requests}
    assert external == {}, f"requests to other hosts (blocked): {external}"
    assert failed == {}, f"local requests that failed: {failed}"


def test_every_image_on_every_page_has_loaded(browser):
    broken = {d: v.broken_images for d, v in browser.visits.items() if v.broken_images}
    assert broken == {}, f"images with no pixels (naturalWidth 0): {broken}"
    executed = executed_chapters()
    assert not executed or sum(browser.visits[d].image_count for d in executed) > 0, (
        "no chapter shows a figure: the image check checked nothing"
    )


def test_no_page_shows_a_traceback_a_parameters_cell_or_a_library_warning(browser):
    problems = {d: v.problems for d, v in browser.visits.items() if v.problems}
    assert problems == {}, f"pages showing what a reader must not see: {problems}"


def test_sidebar_links_reach_every_chapter(browser):
    unreachable = [
        d
        for d in DOCNAMES
        if not any(
            bookcheck.same_page(link, bookcheck.page_url(browser.base_url, d))
            for link in browser.sidebar
        )
    ]
    assert unreachable == [], f"chapters the landing page's sidebar does not link to: {unreachable}"
    reached = {d: browser.visits[d].title for d in CHAPTERS}
    assert all(reached.values()), f"sidebar links that led to a page without a title: {reached}"


def test_search_page_finds_a_term_from_a_chapter(browser):
    chapter = (executed_chapters() or CHAPTERS)[0]
    visit = browser.visits[chapter]
    term = bookcheck.search_term(visit.text)
    assert term, f"{chapter}: no word to search for in its text"
    found = bookcheck.search(browser.page, browser.base_url, term)
    target = bookcheck.page_url(browser.base_url, chapter)
    assert any(bookcheck.same_page(url, target) for url in found), (
        f"searching {term!r} (a word of {chapter}) found {found}, not {target}"
    )


def test_screenshots_of_the_landing_page_and_a_chapter_are_kept(browser):
    """Build artefacts for a person to look at: _build/screenshots/*.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with_figures = [d for d in executed_chapters() if browser.visits[d].image_count]
    chapter = (with_figures or CHAPTERS)[0]
    shots = {
        "landing.png": (bookcheck.page_url(browser.base_url, ROOT_DOC), False),
        f"chapter-{Path(chapter).name}.png": (browser.visits[chapter].url, False),
        f"chapter-{Path(chapter).name}-full.png": (browser.visits[chapter].url, True),
    }
    for name, (url, full_page) in shots.items():
        browser.page.goto(url, wait_until="networkidle")
        browser.page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)
        assert (SCREENSHOTS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


# --------------------------------------------------------------------------- links
@pytest.fixture(scope="module")
def links(html_dir) -> bookcheck.LinkReport:
    # The whole site: the English edition at its root holds every other edition (html/id/),
    # so the language switch's links are checked both ways.
    return bookcheck.check_links(BUILD / "html")


def test_internal_links_and_anchors_resolve(links):
    report = links
    (BUILD / "external-links.txt").write_text(report.external_links_text(), encoding="utf-8")
    (BUILD / "external-links.json").write_text(report.external_links_json(), encoding="utf-8")
    assert report.checked > 0, "no internal link found: the checker checked nothing"
    broken = [str(link) for link in report.broken]
    assert broken == [], f"{len(broken)} broken internal links or anchors:\n" + "\n".join(
        broken[:50]
    )


@pytest.mark.parametrize("copy", ["latex", "site"])
def test_every_internal_link_of_the_pdf_resolves(pdf, html_dir, copy):
    """Each link annotation of the PDF (the contents, cross-references, citations, the index)
    leads to a named destination that exists and is on one of its pages, or to a page itself;
    checked in the built PDF and in the copy the site carries. Its web links are listed in
    ``_build/external-links-<pdf name>.txt`` (checked against the published site by the links
    workflow, not here: the tests run offline)."""
    path = pdf if copy == "latex" else html_dir / pdf.name
    if not path.is_file():
        unavailable(f"no PDF at {path}")
    report = bookcheck.check_pdf_links(path)
    if copy == "latex":
        (BUILD / f"external-links-{pdf.name}.txt").write_text(
            bookcheck.pdf_external_links_text(report, pdf.name), encoding="utf-8"
        )
    assert report.checked > 0, f"no internal link found in {path}: the checker checked nothing"
    broken = [f"{link}: {reason}" for link, reason in report.broken]
    assert broken == [], f"{len(broken)} broken links in {path}:\n" + "\n".join(broken[:50])


def test_the_pdfs_links_into_the_published_site_lead_to_files_the_site_has(pdf, html_dir):
    """The PDF links to the site it is published with (its CSV downloads): each such link names
    a file of the built site, which is what the publishing workflow puts at html.baseurl."""
    config = yaml.safe_load((SOURCE / "_config.yml").read_text(encoding="utf-8"))
    base_url = config["html"]["baseurl"]
    report = bookcheck.check_pdf_links(pdf)
    into_site = [url for url in report.external_links if url.startswith(base_url)]
    assert into_site, f"the PDF has no link into {base_url}: the check checked nothing"
    missing = bookcheck.pdf_links_missing_from_site(report, base_url, html_dir)
    assert missing == {}, f"links of the PDF to files the site lacks: {sorted(missing)}"


def test_the_html_loads_no_script_style_or_image_from_another_host(links):
    resources = links.external_resources
    assert resources == {}, f"external resources (the book must read offline): {sorted(resources)}"


# --------------------------------------------------------------------------- HTML and PDF parity
def test_glued_values_shown_in_the_html_are_those_of_results_json(html_dir, results):
    uses = bookcheck.glue_uses(SOURCE, DOCNAMES)
    assert uses or not any(results.values()), (
        "results.json has values but no page shows one through glue"
    )
    shown = {
        d: {bookcheck.comparable(p.text) for p in bookcheck.pasted_values(html_dir, d)}
        for d in {use.docname for use in uses}
    }
    problems = []
    for use in uses:
        if use.key not in results.get(use.run_id, {}):
            problems.append(f"{use.docname}: {use.key} not in results.json[{use.run_id!r}]")
            continue
        text = use.displayed(results[use.run_id][use.key], EDITION)
        if text is not None and bookcheck.comparable(text) not in shown[use.docname]:
            problems.append(
                f"{use.docname}: {use.key} = {text!r} (from results.json) is not among the values the page shows"
            )
    assert problems == [], "\n".join(problems)


def test_every_glued_value_shown_in_the_html_is_in_the_pdf(html_dir, pdf_text):
    """Each value next to a word around it in the HTML, so that a "3" is not found just anywhere."""
    text = bookcheck.ComparableText(pdf_text)
    shown = [p for d in DOCNAMES for p in bookcheck.pasted_values(html_dir, d)]
    missing = [f"{p.docname}: {p.in_context!r}" for p in shown if not p.found_in(text)]
    assert missing == [], (
        f"{len(missing)} of {len(shown)} glued values are not in the PDF:\n"
        + "\n".join(missing[:40])
    )


def test_every_html_figure_is_in_the_pdf(html_dir, pdf, pdf_text):
    figures = bookcheck.html_figures(html_dir, DOCNAMES)
    images = bookcheck.pdf_images(pdf)
    assert len(images) >= len(figures), (
        f"the HTML shows {len(figures)} images, the PDF has {len(images)}"
    )
    text = bookcheck.ComparableText(pdf_text)
    captions = [
        f"{f.docname}: {f.caption[:80]!r}" for f in figures if f.caption and f.caption not in text
    ]
    assert captions == [], "figure captions of the HTML missing from the PDF:\n" + "\n".join(
        captions
    )


def test_every_html_table_is_in_the_pdf(html_dir, pdf, pdf_text):
    """As many tables in the LaTeX source as in the HTML, and every column name in the PDF.

    Column names are looked up word by word: pdftotext reads a wrapped table cell column by
    column, so a header on three lines does not come out as one phrase.
    """
    tables = bookcheck.html_tables(html_dir, DOCNAMES)
    tex = (LATEX / "book.tex").read_text(encoding="utf-8")
    assert bookcheck.latex_table_count(tex) >= len(tables), (
        f"the HTML shows {len(tables)} tables, the LaTeX source has {bookcheck.latex_table_count(tex)}"
    )
    words = bookcheck.comparable_words(pdf_text)
    missing = [
        f"{d}: column {cell!r}"
        for d, header in tables
        for cell in header
        if not {bookcheck.without_inner_hyphens(w) for w in bookcheck.comparable_words(cell)}
        <= words
    ]
    assert missing == [], (
        "column names of HTML tables that the PDF does not show in full (a long name "
        "without spaces, e.g. snake_case, overflows a narrow column and is clipped):\n"
        + "\n".join(missing[:40])
    )


def test_pdf_has_a_table_of_contents_listing_every_chapter(html_dir, pdf_text):
    contents = bookcheck.contents_pages(pdf_text, WORDS["contents"])
    assert contents, f"the PDF has no page headed {WORDS['contents']}"
    text = bookcheck.ComparableText(contents)
    titles = {
        d: unnumbered(bookcheck.page_title(bookcheck.read_html(html_dir, d))) for d in CHAPTERS
    }
    missing = {d: t for d, t in titles.items() if t not in text}
    assert missing == {}, f"chapters missing from the PDF's table of contents: {missing}"


def test_the_pdf_title_page_shows_the_editions_title(pdf_text):
    config = PROJECT_ROOT / ("_config.yml" if ENGLISH else f"locales/{EDITION}/config.yml")
    title = yaml.safe_load(config.read_text(encoding="utf-8"))["title"]
    first_page = " ".join(pdf_text.split("\f")[0].split())
    assert title in first_page, first_page[:300]
    assert "Project name not set" not in first_page


def test_pdf_has_no_unresolved_references(pdf, pdf_text):
    unresolved = bookcheck.unresolved_references(pdf_text)
    assert unresolved == [], f"'??' in the PDF (unresolved references): {unresolved[:20]}"
    log = LATEX / "book.log"
    undefined = (
        bookcheck.latex_undefined(log.read_text(encoding="utf-8", errors="replace"))
        if log.exists()
        else []
    )
    assert undefined == [], f"the last LaTeX pass left these undefined ({log}): {undefined[:20]}"


def test_pdf_pages_render_and_a_few_are_kept_for_review(pdf):
    """_build/screenshots/pdf-page-*.png: the title, the contents, the first figure, the last page."""
    pages = bookcheck.pdf_page_count(pdf)
    images = bookcheck.pdf_images(pdf)
    wanted = sorted({1, min(3, pages), images[0].page if images else 1, pages})
    for path in bookcheck.render_pdf_pages(pdf, wanted, SCREENSHOTS):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


# --------------------------------------------------------------------------- what chapters show
#: Data the built book was made from (its registry says which study has which design).
DATA = Path(os.environ.get("BOOK_DATA_DIR", PROJECT_ROOT / "data"))
TWO_STAGE_WORDS = re.compile(r"two-stage|\bstage [12]\b|\b(?:first|second) stage\b", re.I)


def test_no_table_cell_shows_a_snake_case_value_outside_code(html_dir):
    """Readers see labels ("revolving credit"); stored values (revolving_credit) only as code."""
    found = {d: bookcheck.snake_case_in_tables(html_dir, d) for d in DOCNAMES}
    found = {d: cells for d, cells in found.items() if cells}
    assert found == {}, "snake_case values in table cells:\n" + "\n".join(
        f"{d}: {', '.join(cells[:8])}" for d, cells in found.items()
    )


def test_no_table_cell_names_a_study_by_its_site_id(html_dir):
    """A study reads as its short name ("Kelurahan Pakis"), never as its id (pakis)."""
    from analysis.data import registry

    if not registry.has_registry(DATA):
        pytest.skip(f"no study registry in {DATA} (set BOOK_DATA_DIR)")
    ids = {site for site, name in registry.labels(DATA).items() if site != name}
    found = {
        d: sorted({t for t in bookcheck.table_cell_texts(html_dir, d) if t in ids})
        for d in DOCNAMES
    }
    assert {d: f for d, f in found.items() if f} == {}, found


def test_no_chapter_has_an_empty_section(html_dir):
    empty = {d: bookcheck.empty_sections(html_dir, d) for d in DOCNAMES}
    empty = {d: headings for d, headings in empty.items() if headings}
    assert empty == {}, f"sections with a heading and nothing under it: {empty}"


def test_a_study_without_a_two_stage_draw_does_not_speak_of_one(html_dir):
    from analysis.data import registry

    if not registry.has_registry(DATA):
        pytest.skip(f"no study registry in {DATA} (set BOOK_DATA_DIR)")
    others = [s.site for s in registry.all_studies(DATA) if not s.two_stage]
    pages = [d for d in DOCNAMES if Path(d).name in {f"qualitative_{s}" for s in others}]
    assert pages, f"no qualitative chapter of a study without a two-stage draw ({others})"
    spoken = {
        d: sorted({m.group(0) for m in TWO_STAGE_WORDS.finditer(bookcheck.page_text(html_dir, d))})
        for d in pages
    }
    assert {d: w for d, w in spoken.items() if w} == {}, spoken


def test_every_csv_download_has_a_data_edition_column(html_dir):
    downloads = {d: bookcheck.csv_downloads(html_dir, d) for d in DOCNAMES}
    files = [path for paths in downloads.values() for path in paths]
    assert files, "no page links to a CSV download: the check checked nothing"
    missing = [p for p in files if not p.is_file()]
    assert missing == [], f"linked CSV files missing from the HTML: {missing}"
    lacking = [p.name for p in files if "data_edition" not in bookcheck.csv_header(p)]
    assert lacking == [], f"CSV downloads without a data_edition column: {lacking}"


def test_glued_values_are_drawn_in_the_weight_of_the_text_around_them(browser):
    bold = {}
    for docname in executed_chapters():
        browser.page.goto(browser.visits[docname].url, wait_until="load")
        found = bookcheck.bold_glued_values(browser.page)
        if found:
            bold[docname] = found[:5]
    assert bold == {}, f"glued values in bold: {bold}"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_every_table_column_is_reachable_on_a_desktop_and_a_phone(browser, width):
    """A table wider than the page scrolls in its own frame; no cell is clipped."""
    problems = {}
    browser.page.set_viewport_size({"width": width, "height": 900})
    try:
        for docname in executed_chapters():
            browser.page.goto(browser.visits[docname].url, wait_until="load")
            found = bookcheck.unreachable_table_columns(browser.page)
            if found:
                problems[docname] = found
    finally:
        browser.page.set_viewport_size({"width": 1280, "height": 900})
    assert problems == {}, f"tables a reader cannot read in full at {width} px: {problems}"


# --------------------------------------------------------------------------- the book's frame
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def views(browser) -> dict:
    """Every page at 1280 and 390 px: a full-page screenshot kept for people to look at
    (``_build/screenshots/<width>/<page>.png``) and the number of search boxes it shows."""
    seen = {}
    for name, (width, height) in WIDTHS.items():
        browser.page.set_viewport_size({"width": width, "height": height})
        folder = SCREENSHOTS / str(width)
        folder.mkdir(parents=True, exist_ok=True)
        for docname in DOCNAMES:
            browser.page.goto(browser.visits[docname].url, wait_until="networkidle")
            shot = folder / f"{Path(docname).name}.png"
            browser.page.screenshot(path=str(shot), full_page=True)
            seen[name, docname] = (
                shot,
                bookcheck.visible_search_controls(browser.page),
                browser.page.evaluate("() => document.documentElement.scrollWidth"),
            )
    browser.page.set_viewport_size({"width": 1280, "height": 900})
    return seen


def test_every_page_is_kept_as_a_screenshot_at_desktop_and_phone_width(views):
    assert len(views) == len(WIDTHS) * len(DOCNAMES)
    for shot, *_ in views.values():
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot


def test_every_page_shows_one_search_box_at_any_width(views):
    counts = {f"{name} {docname}": n for (name, docname), (_, n, _) in views.items() if n != 1}
    assert counts == {}, f"pages showing other than one search box or button: {counts}"


def test_no_page_is_wider_than_the_screen(views):
    """Wide tables scroll inside their frame; nothing makes the whole page scroll sideways."""
    wider = {
        f"{name} {docname}": f"{width} px"
        for (name, docname), (_, _, width) in views.items()
        if width > WIDTHS[name][0]
    }
    assert wider == {}, f"pages wider than the screen: {wider}"


def test_the_landing_page_links_to_the_pdf_that_the_site_carries(html_dir, pdf):
    links = bookcheck.pdf_links(html_dir, ROOT_DOC, name=PDF.name)
    assert links, "the landing page's text has no link to the book's PDF"
    assert all(link == (html_dir / PDF.name).resolve() for link in links), links
    assert links[0].read_bytes() == pdf.read_bytes(), "the site's PDF is not the PDF just built"


def test_every_page_header_links_to_the_pdf(html_dir, pdf):
    missing = [
        d
        for d in DOCNAMES
        if (html_dir / PDF.name).resolve()
        not in bookcheck.pdf_links(html_dir, d, ".article-header-buttons", name=PDF.name)
    ]
    assert missing == [], f"pages whose header has no link to book.pdf: {missing}"


def test_no_page_shows_code_cell_toggles(html_dir):
    """Readers see results; the code is one click away in the notebook (the download menu)."""
    toggles = {d: len(t) for d in DOCNAMES if (t := bookcheck.code_toggles(html_dir, d))}
    assert toggles == {}, f"'Show code cell source' bars by page: {toggles}"


def test_no_chapter_ends_in_a_developer_section(html_dir):
    """The results keys are documented in the programmers' appendix, not in the chapters."""
    found = {
        d: [
            h
            for h in bookcheck.headings(html_dir, d)
            if bookcheck.DEVELOPER_HEADINGS.match(unnumbered(h))
        ]
        for d in executed_chapters()
    }
    found = {d: h for d, h in found.items() if h}
    assert found == {}, f"developer sections in chapters: {found}"


def test_the_bibliography_is_an_author_year_list(html_dir):
    docname = next(d for d in DOCNAMES if d.endswith("references"))
    entries = bookcheck.bibliography_entries(html_dir, docname)
    assert entries, "the References page lists no entry"
    # "Author (2017). Title" or, without an author, "Title (with parentheses) (2017). ..."
    not_author_year = [e for e in entries if not re.match(r"^.+? \((\d{4}|n\.d\.|t\.t\.)\)\. ", e)]
    assert not_author_year == [], not_author_year
    assert not [e for e in entries if re.search(r"\b\d+ edition", e)], "an edition as '4 edition'"


def test_the_pdf_links_every_csv_download_to_the_published_site(html_dir, pdf):
    config = yaml.safe_load((SOURCE / "_config.yml").read_text(encoding="utf-8"))
    base_url = config["html"]["baseurl"]
    offered = sum(len(bookcheck.download_links(html_dir, d)) for d in DOCNAMES)
    tex = (LATEX / "book.tex").read_text(encoding="utf-8")
    assert offered > 0, "no page offers a CSV download: the check checked nothing"
    assert bookcheck.latex_download_links(tex, base_url) == offered


def test_the_pdf_has_no_index_no_blank_page_and_one_references_chapter(pdf_text):
    pages = bookcheck.pdf_pages(pdf_text)
    assert not [i + 1 for i, p in enumerate(pages) if bookcheck.page_headed(p, WORDS["index"])]
    assert not [i + 1 for i, p in enumerate(pages) if bookcheck.page_headed(p, "Bibliography")]
    blank = [i + 1 for i, page in enumerate(pages) if not page.strip()]
    assert blank == [], f"blank pages (a verso before a part or chapter?): {blank}"
    contents = bookcheck.contents_pages(pdf_text, WORDS["contents"])
    references = re.escape(WORDS["references"])
    listed = re.findall(rf"^\s*(?:\d+\s+)?{references}\s*$", contents, re.M | re.I)
    assert len(listed) == 1, f"{WORDS['references']} listed {len(listed)} times in the contents"


def test_no_pdf_page_after_the_contents_is_headed_contents(pdf_text):
    pages = bookcheck.pdf_pages(pdf_text)
    toc_pages = len(bookcheck.contents_pages(pdf_text, WORDS["contents"]).split("\f"))
    start = next(i for i, p in enumerate(pages) if bookcheck.page_headed(p, WORDS["contents"]))
    headed = [
        i + 1
        for i, p in enumerate(pages[start + toc_pages :], start + toc_pages)
        if "CONTENTS" in p
    ]
    assert headed == [], f"pages after the contents whose header says CONTENTS: {headed}"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_language_switch_sits_in_the_row_of_the_header_buttons(browser, width):
    """The switch to the other edition is a header item of its own: it must stay in one row with
    the theme's buttons (not above them, over the chapter's title) at any width."""
    page = browser.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(bookcheck.page_url(browser.base_url, CHAPTERS[0]), wait_until="load")
    rows = page.evaluate(
        "() => ['a.edition-switch', '.theme-switch-button', '.search-button__button']"
        ".map(s => document.querySelector('.bd-header-article ' + s)).filter(e => e)"
        ".map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; })"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    assert len(rows) == 3, "no language switch, theme switch or search button in the header"
    assert max(rows) - min(rows) < 8, f"header buttons on more than one row: {rows}"
