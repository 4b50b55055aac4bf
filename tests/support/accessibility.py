"""axe-core over the built book's pages in the Debian Chromium (tests/book/test_accessibility.py).

axe-core is the npm package pinned in ``package-lock.json`` (``npm ci``, run by ``make setup``);
its ``axe.min.js`` is injected into each page that Playwright opens in ``/usr/bin/chromium`` (no
browser download), and ``axe.run`` checks the page with the WCAG 2.2 A and AA rules. Pages are
served from 127.0.0.1 (:func:`bookcheck.serve`) and every other host is blocked.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.project import PROJECT_ROOT
from support import bookcheck

AXE_PACKAGE = PROJECT_ROOT / "node_modules" / "axe-core"
AXE = AXE_PACKAGE / "axe.min.js"
#: The rule sets run: WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core's tags).
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
#: The widths checked, in CSS pixels: a laptop and a phone (the theme's narrow layout).
WIDTHS = {1280: 900, 390: 844}
#: Folders of the built site that hold no page of the book (Sphinx's assets and sources).
NOT_PAGES = {"_static", "_sources", "_images", "_downloads", ".doctrees"}
_REFRESH = re.compile(r"<meta[^>]+http-equiv=[\"']refresh", re.IGNORECASE)


def axe_version() -> str:
    return json.loads((AXE_PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]


def html_pages(html_dir: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Every HTML page of a built edition (relative paths), but redirect stubs (``index.html``
    leading to the landing page: a meta refresh and nothing to read) and folders in ``exclude``
    (the other editions inside the English site)."""
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        relative = path.relative_to(html_dir)
        if NOT_PAGES & set(relative.parts[:-1]):
            continue
        if any(path.is_relative_to(folder) for folder in exclude):
            continue
        if _REFRESH.search(path.read_text(encoding="utf-8", errors="replace")[:4000]):
            continue
        pages.append(relative)
    return pages


@dataclass
class Violation:
    page: str
    width: int
    rule: str
    impact: str
    help: str
    targets: list[str]
    summary: str

    def __str__(self) -> str:
        shown = "; ".join(self.targets[:4]) + (" ..." if len(self.targets) > 4 else "")
        return (
            f"{self.page} @{self.width}px: {self.rule} ({self.impact}) {self.help}: {shown}\n"
            f"    {self.summary}"
        )


_RUN_JS = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
    summary: (v.nodes[0] && v.nodes[0].failureSummary || '').replace(/\\s+/g, ' '),
  }));
}"""


#: Pages checked at once (tabs of one browser): axe's work is in each tab's renderer process.
CONCURRENT = 3


def check_pages(
    html_dir: Path, pages: list[Path], widths=WIDTHS, concurrent: int = CONCURRENT
) -> list[Violation]:
    """axe-core's WCAG 2.2 A/AA violations on ``pages`` (relative to ``html_dir``) at each width,
    in the order of widths and pages."""
    return asyncio.run(_check_pages(html_dir, pages, widths, concurrent))


async def _check_pages(html_dir, pages, widths, concurrent) -> list[Violation]:
    from playwright.async_api import async_playwright

    axe_source = AXE.read_text(encoding="utf-8")
    found: dict[tuple[int, int], list[Violation]] = {}
    with bookcheck.serve(html_dir) as base_url:
        async with async_playwright() as playwright:
            chromium = await playwright.chromium.launch(
                executable_path=str(bookcheck.CHROMIUM), args=bookcheck.CHROMIUM_ARGS
            )
            try:
                for width, height in widths.items():
                    context = await chromium.new_context(
                        viewport={"width": width, "height": height}, service_workers="block"
                    )
                    await context.route("**/*", _local_only)
                    await context.add_init_script(script=axe_source)
                    queue = [(width, k, base_url, page) for k, page in enumerate(pages)]
                    workers = (_worker(context, queue, found) for _ in range(max(1, concurrent)))
                    await asyncio.gather(*workers)
                    await context.close()
            finally:
                await chromium.close()
    return [v for key in sorted(found) for v in found[key]]


async def _worker(context, queue: list, found: dict) -> None:
    """Check the pages of ``queue`` one after the other in a tab of ``context``."""
    page = await context.new_page()
    page.set_default_timeout(60_000)
    while queue:
        width, k, base_url, relative = queue.pop(0)
        await page.goto(base_url + relative.as_posix(), wait_until="load")
        results = await page.evaluate(_RUN_JS, list(TAGS))
        found[width, k] = [
            Violation(
                relative.as_posix(),
                width,
                r["id"],
                r["impact"] or "",
                r["help"],
                r["targets"],
                r["summary"],
            )
            for r in results
        ]
    await page.close()


async def _local_only(route, request) -> None:
    """Let requests to 127.0.0.1 through, abort the rest (:func:`bookcheck.block_external_requests`)."""
    if bookcheck.is_local(request.url):
        await route.continue_()
    else:
        await route.abort("blockedbyclient")
