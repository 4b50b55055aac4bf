"""How the built book's tables and figures sit on a laptop's and a phone's screen, measured in the
Debian Chromium (tests/book/test_layout.py): which tables scroll sideways at 1280 px, whether a
wide table keeps its first column in view on a phone, and at what width a phone shows a figure.

Pages are served from 127.0.0.1 (:func:`bookcheck.serve`); nothing else is fetched.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from support import bookcheck

#: A table "scrolls sideways" when it is wider than the frame that holds it by more than this
#: (CSS pixels: rounding of borders).
TOLERANCE = 2

_TABLES_JS = """(tolerance) => {
  const found = [];
  for (const table of document.querySelectorAll('main table')) {
    const frame = table.closest('.cell_output, .pst-scrollable-table-container')
      || table.parentElement;
    if (table.scrollWidth > frame.clientWidth + tolerance) {
      const first = table.querySelector('td');
      found.push({
        width: table.scrollWidth,
        frame: frame.clientWidth,
        header: [...table.querySelectorAll('th')].slice(0, 4)
          .map(cell => cell.innerText.trim()).join(' | '),
        sticky: first ? getComputedStyle(first).position === 'sticky' : false,
      });
    }
  }
  return found;
}"""

_FIGURES_JS = """() => [...document.querySelectorAll('main div.cell_output img')]
  .map(img => img.getBoundingClientRect().width)"""


@dataclass
class WideTable:
    page: str
    width: int  # the table's width, CSS px
    frame: int  # the width of the frame it scrolls in
    header: str
    sticky: bool  # its first column stays in view while it scrolls

    def __str__(self) -> str:
        return f"{self.page}: a table {self.width} px wide in {self.frame} px ({self.header})"


@dataclass
class PageLayout:
    page: str
    wide_tables: list[WideTable]
    figure_widths: list[float]


def measure(html_dir: Path, pages: list[Path], width: int, height: int = 900) -> list[PageLayout]:
    """The wide tables and the figures' shown widths of every page at a viewport ``width``."""
    return asyncio.run(_measure(html_dir, pages, width, height))


async def _measure(html_dir, pages, width, height) -> list[PageLayout]:
    from playwright.async_api import async_playwright

    out = []
    with bookcheck.serve(html_dir) as base_url:
        async with async_playwright() as playwright:
            chromium = await playwright.chromium.launch(
                executable_path=str(bookcheck.CHROMIUM), args=bookcheck.CHROMIUM_ARGS
            )
            try:
                context = await chromium.new_context(
                    viewport={"width": width, "height": height}, service_workers="block"
                )
                await context.route("**/*", _local_only)
                page = await context.new_page()
                page.set_default_timeout(60_000)
                for relative in pages:
                    await page.goto(base_url + relative.as_posix(), wait_until="load")
                    tables = await page.evaluate(_TABLES_JS, TOLERANCE)
                    figures = await page.evaluate(_FIGURES_JS)
                    name = relative.as_posix()
                    out.append(
                        PageLayout(name, [WideTable(name, **t) for t in tables], list(figures))
                    )
                await context.close()
            finally:
                await chromium.close()
    return out


async def _local_only(route, request) -> None:
    if bookcheck.is_local(request.url):
        await route.continue_()
    else:
        await route.abort("blockedbyclient")


_SNIPPETS_JS = """() => [...document.querySelectorAll('#search-results li')].map(item => ({
  title: (item.querySelector('a') || item).innerText.trim(),
  snippet: (item.querySelector('p.context') || {innerText: ''}).innerText.trim(),
}))"""


def search_results(html_dir: Path, edition_prefix: str, query: str) -> list[dict]:
    """What the site's search page lists for ``query`` (``edition_prefix``: "" for the English
    site, "id/" for the Indonesian one): each result's title and snippet."""
    return asyncio.run(_search_results(html_dir, edition_prefix, query))


async def _search_results(html_dir, edition_prefix, query) -> list[dict]:
    from playwright.async_api import async_playwright

    with bookcheck.serve(html_dir) as base_url:
        async with async_playwright() as playwright:
            chromium = await playwright.chromium.launch(
                executable_path=str(bookcheck.CHROMIUM), args=bookcheck.CHROMIUM_ARGS
            )
            try:
                context = await chromium.new_context(viewport={"width": 1280, "height": 900})
                await context.route("**/*", _local_only)
                page = await context.new_page()
                await page.goto(f"{base_url}{edition_prefix}search.html?q={query}")
                await page.wait_for_function(
                    "() => document.querySelectorAll('#search-results p.context').length > 2",
                    timeout=60_000,
                )
                await page.wait_for_timeout(1000)  # the last pages' snippets
                return await page.evaluate(_SNIPPETS_JS)
            finally:
                await chromium.close()
