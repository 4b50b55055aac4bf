"""The built book is accessible: axe-core finds no WCAG 2.2 A or AA violation on any page of either
edition at a laptop's and a phone's width, every image has alt text, and the language switch and
the glossary tooltips work from the keyboard.

axe-core is the npm package of ``package-lock.json`` (``npm ci``, run by ``make setup``), run in
the Debian Chromium (``tests/support/accessibility.py``); no browser is downloaded. Reads what
``python -m analysis build --strict --pdf`` (``make test``) built in ``_build/``; the English site
is ``html/``, the Indonesian one ``html/id/``. What is checked, and what is not, is said to
readers on ``book/pages/accessibility.md``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.project import PROJECT_ROOT
from support import accessibility, bookcheck

pytestmark = pytest.mark.slow

BUILD = Path(os.environ.get("BOOK_BUILD_DIR", PROJECT_ROOT / "_build"))
HTML = BUILD / "html"
EDITIONS = {"en": HTML, "id": HTML / "id"}
DOCNAMES = bookcheck.toc_docnames(Path(os.environ.get("BOOK_SOURCE_DIR", PROJECT_ROOT)))
#: An image's alt text that is only a file's name or path (what myst-nb writes when a figure's
#: output has no alt text in its metadata): no text alternative at all.
FILE_NAME = re.compile(r"(^|/)[^/\s]+\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)


def unavailable(what: str) -> None:
    pytest.fail(
        f"{what}: build the book first (python -m analysis build --strict --pdf), or run make test",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    """Every page of both editions, relative to the English site (the Indonesian in ``id/``)."""
    for lang, root in EDITIONS.items():
        if not (root / "index.html").is_file():
            unavailable(f"no built {lang} edition in {root}")
    if not accessibility.AXE.is_file():
        unavailable(f"no axe-core at {accessibility.AXE} (npm ci; make setup)")
    if not bookcheck.CHROMIUM.exists():
        unavailable(f"no browser at {bookcheck.CHROMIUM} (scripts/install-system-deps.sh)")
    english = accessibility.html_pages(HTML, exclude=(EDITIONS["id"],))
    indonesian = [Path("id") / p for p in accessibility.html_pages(EDITIONS["id"])]
    return english + indonesian


@pytest.fixture(scope="module")
def violations(pages) -> list[accessibility.Violation]:
    return accessibility.check_pages(HTML, pages)


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_page_of_the_contents_is_among_the_pages_checked(pages, lang):
    prefix = Path("id") if lang == "id" else Path()
    checked = {p.as_posix() for p in pages}
    missing = [d for d in DOCNAMES if (prefix / f"{d}.html").as_posix() not in checked]
    assert missing == [], f"pages of _toc.yml that the check would not visit ({lang}): {missing}"


def test_axe_finds_no_wcag_2_2_a_or_aa_violation_on_any_page_at_either_width(violations):
    report = "\n".join(str(v) for v in violations)
    assert violations == [], (
        f"axe-core {accessibility.axe_version()} ({', '.join(accessibility.TAGS)}): "
        f"{len(violations)} violations\n{report}"
    )


def test_every_image_has_alt_text_that_is_more_than_its_file_name(pages):
    """axe accepts an ``alt`` that is a file's path; a reader gets nothing from it. Figures take
    their alt text from their output's metadata (``analysis.chapter.figure(..., alt=...)``)."""
    lacking: dict[str, list[str]] = {}
    for relative in pages:
        soup = BeautifulSoup((HTML / relative).read_text(encoding="utf-8"), "html.parser")
        for image in soup.select(f"{bookcheck.ARTICLE} img"):
            alt = " ".join(str(image.get("alt", "")).split())
            src = str(image.get("src", ""))
            if not alt or FILE_NAME.search(alt) or alt == src:
                lacking.setdefault(relative.as_posix(), []).append(_where(image))
    report = "\n".join(f"  {page}: {'; '.join(where)}" for page, where in lacking.items())
    assert lacking == {}, f"images without alt text, by page (under which heading):\n{report}"


def _where(image) -> str:
    """Where an image is, for people: the heading it is under (and its caption, if any)."""
    heading = image.find_previous(["h1", "h2", "h3", "h4"])
    title = " ".join(heading.get_text(" ").split()).rstrip("#").strip() if heading else "?"
    figure = image.find_parent("figure")
    caption = figure.find("figcaption") if figure else None
    if caption is not None:
        title += f" / {' '.join(caption.get_text(' ').split())[:60]}"
    return title


# --------------------------------------------------------------------------- from the keyboard
@pytest.fixture(scope="module")
def keyboard_page(pages):
    """A chapter with glossary terms, in Chromium at a phone's width, for the keyboard checks."""
    from playwright.sync_api import sync_playwright

    with bookcheck.serve(HTML) as base_url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(bookcheck.CHROMIUM), args=bookcheck.CHROMIUM_ARGS
        )
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        bookcheck.block_external_requests(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        with_terms = next(
            (
                p
                for p in pages
                if p.parts[0] != "id"
                and 'class="xref std std-term' in (HTML / p).read_text(encoding="utf-8")
                and "glossary" not in p.name
            ),
            None,
        )
        if with_terms is None:
            pytest.fail("no English page links to a glossary term", pytrace=False)
        yield page, base_url + with_terms.as_posix()
        context.close()
        chromium.close()


def test_the_language_switch_is_reached_with_tab_and_named_for_a_screen_reader(keyboard_page):
    page, url = keyboard_page
    page.goto(url, wait_until="load")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.edition-switch')"):
            break
    else:
        pytest.fail("60 presses of Tab never reached the language switch")
    name = page.evaluate(
        "(() => { const text = document.activeElement.querySelector('.edition-switch__text');"
        " const box = text.getBoundingClientRect();"
        " return [text.textContent.trim(), getComputedStyle(text).display, box.width]; })()"
    )
    assert name[0] and name[1] != "none", f"the switch has no name a screen reader reads: {name}"
    assert name[2] <= 1, "on a phone the switch shows its icon alone"
    hreflang = page.evaluate("document.activeElement.getAttribute('hreflang')")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == hreflang


def test_a_glossary_term_shows_its_definition_on_keyboard_focus_and_hides_it_on_escape(
    keyboard_page,
):
    page, url = keyboard_page
    page.goto(url, wait_until="load")
    term = page.locator("a.reference.internal:has(span.std-term)").first
    term.focus()
    tip_id = term.get_attribute("aria-describedby")
    assert tip_id, "a glossary term link has no description (aria-describedby)"
    tip = page.locator(f"#{tip_id}")
    assert tip.is_visible(), "focusing a glossary term does not show its definition"
    assert tip.get_attribute("role") == "tooltip" and len(tip.inner_text().strip()) > 10
    page.keyboard.press("Escape")
    assert not tip.is_visible(), "Escape does not hide the definition"
    page.keyboard.press("Tab")
    term.focus()
    assert tip.is_visible()
    page.keyboard.press("Tab")
    assert not tip.is_visible(), "the definition stays after the focus has moved on"


def test_the_colour_mode_button_is_named_in_the_language_of_the_edition(pages):
    """pydata-sphinx-theme has no Indonesian for it; locales/id/LC_MESSAGES/sphinx.po does."""
    from babel.messages.pofile import read_po

    with (PROJECT_ROOT / "locales" / "id" / "LC_MESSAGES" / "sphinx.po").open("rb") as handle:
        indonesian = read_po(handle).get("Color mode").string
    names = {
        lang: {
            button.get("aria-label")
            for p in pages
            if (p.parts[0] == "id") == (lang == "id")
            for button in BeautifulSoup(
                (HTML / p).read_text(encoding="utf-8"), "html.parser"
            ).select("button.theme-switch-button")
        }
        for lang in EDITIONS
    }
    assert names == {"en": {"Color mode"}, "id": {indonesian}}
