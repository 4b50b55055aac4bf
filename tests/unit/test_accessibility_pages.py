"""Which files of a built site the accessibility check visits (tests/support/accessibility.py):
every page, but not Sphinx's assets, the redirect stub, nor another edition's folder."""

from __future__ import annotations

from pathlib import Path

from support import accessibility


def _write(path: Path, text: str = "<html lang='en'><title>t</title><p>x</p></html>") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_every_page_is_checked_but_assets_redirects_and_other_editions(tmp_path):
    site = tmp_path / "html"
    _write(
        site / "index.html", '<meta http-equiv="Refresh" content="0; url=book/pages/intro.html" />'
    )
    for page in (
        "book/pages/intro.html",
        "book/chapters/income.html",
        "genindex.html",
        "search.html",
    ):
        _write(site / page)
    _write(site / "_static" / "webpack-macros.html")
    _write(site / "_sources" / "x.html")
    _write(site / "id" / "book" / "pages" / "intro.html")
    english = accessibility.html_pages(site, exclude=(site / "id",))
    assert [p.as_posix() for p in english] == [
        "book/chapters/income.html",
        "book/pages/intro.html",
        "genindex.html",
        "search.html",
    ]
    assert [p.as_posix() for p in accessibility.html_pages(site / "id")] == [
        "book/pages/intro.html"
    ]


def test_a_violation_names_page_width_rule_and_elements():
    violation = accessibility.Violation(
        "book/pages/intro.html",
        390,
        "link-name",
        "serious",
        "Links must have text",
        [f"a.x{k}" for k in range(6)],
        "Fix all of the following: no text",
    )
    text = str(violation)
    assert text.startswith("book/pages/intro.html @390px: link-name (serious)")
    assert "a.x3" in text and "a.x4" not in text and "..." in text
