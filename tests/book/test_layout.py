"""The built book's tables and figures fit the screens people read it on (issue 24): at a
laptop's 1280 px no table of either edition scrolls sideways; on a phone (390 px) a wide table
scrolls within its frame with its first column kept in view, and a figure is shown wide enough
for its labels to be read (it scrolls sideways too).

Reads what ``python -m analysis build --strict --pdf`` (``make test``) built in ``_build/``, in
the Debian Chromium (``tests/support/layout.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.project import PROJECT_ROOT
from support import accessibility, bookcheck, layout

pytestmark = pytest.mark.slow

BUILD = Path(os.environ.get("BOOK_BUILD_DIR", PROJECT_ROOT / "_build"))
HTML = BUILD / "html"
#: The narrowest a phone shows a figure, CSS px (book/_ext/static/reader.css): its text is then
#: about 11 px, as on a laptop.
PHONE_FIGURE_WIDTH = 600


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    if not (HTML / "index.html").is_file() or not (HTML / "id" / "index.html").is_file():
        pytest.fail("build the book first (python -m analysis build --strict --pdf)", pytrace=False)
    if not bookcheck.CHROMIUM.exists():
        pytest.fail(f"no browser at {bookcheck.CHROMIUM}", pytrace=False)
    english = accessibility.html_pages(HTML, exclude=(HTML / "id",))
    indonesian = [Path("id") / p for p in accessibility.html_pages(HTML / "id")]
    return english + indonesian


def test_no_table_scrolls_sideways_on_a_laptop(pages):
    measured = layout.measure(HTML, pages, 1280)
    wide = [str(t) for page in measured for t in page.wide_tables]
    assert len(measured) == len(pages) and any(page.figure_widths for page in measured)
    assert wide == [], "\n".join(wide)


def test_on_a_phone_wide_tables_keep_their_first_column_and_figures_stay_readable(pages):
    chapters = [p for p in pages if "chapters" in p.parts]
    measured = layout.measure(HTML, chapters, 390, 844)
    wide = [t for page in measured for t in page.wide_tables]
    assert wide, "on a phone some table is wider than the screen: the check would check nothing"
    assert [str(t) for t in wide if not t.sticky] == []
    widths = [w for page in measured for w in page.figure_widths]
    assert widths and min(widths) >= PHONE_FIGURE_WIDTH - 1, min(widths)


@pytest.mark.parametrize(
    ("prefix", "query", "toolbar"), [("", "poverty", "Contents"), ("id/", "kemiskinan", "Isi")]
)
def test_search_results_quote_the_pages_own_text(pages, prefix, query, toolbar):
    """A search result's snippet is the page's text around the word, not its toolbar ("....pdf")
    or its contents box (issue 24)."""
    results = layout.search_results(HTML, prefix, query)
    snippets = [r["snippet"] for r in results if r["snippet"]]
    assert len(snippets) >= 3
    assert not [s for s in snippets if ".pdf" in s or f" {toolbar} " in f" {s} "], snippets
    assert any(query in s.lower() for s in snippets)
