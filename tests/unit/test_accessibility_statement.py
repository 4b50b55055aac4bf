"""The accessibility statement (book/pages/accessibility.md) says what the check runs: the
axe-core version that package-lock.json pins, its rule sets and the widths of
tests/support/accessibility.py; and the page is in the contents of every book and in Indonesian.
"""

from __future__ import annotations

import json

from babel.messages.pofile import read_po

from analysis.pipeline import plan
from analysis.project import PROJECT_ROOT as ROOT
from support import accessibility

PAGE = ROOT / "book" / "pages" / "accessibility.md"
CATALOG = ROOT / "locales" / "id" / "LC_MESSAGES" / "pages" / "accessibility.po"


def pinned_axe_version() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/axe-core"]["version"]


def test_axe_core_is_pinned_in_package_json_and_its_lock_alike():
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["axe-core"] == pinned_axe_version()


def test_the_statement_names_the_axe_version_rule_sets_and_widths_checked():
    text = PAGE.read_text(encoding="utf-8")
    assert f"axe-core, version {pinned_axe_version()}," in " ".join(text.split())
    for tag in accessibility.TAGS:
        assert f"`{tag}`" in text
    for width in accessibility.WIDTHS:
        assert f"{width} pixels" in text


def test_the_statement_is_in_the_contents_of_every_book():
    """The shipped book's and one from another data directory's (derive_toc writes both)."""
    docnames = [
        chapter["file"] for part in plan.derive_toc()["parts"] for chapter in part["chapters"]
    ]
    assert "book/pages/accessibility" in docnames  # declared in book/chapters.yml
    assert (ROOT / "book/pages/accessibility.md") == PAGE


def test_the_statement_is_translated_whole_into_indonesian():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    messages = [m for m in catalog if m.id]
    assert messages and all(m.string and not m.fuzzy for m in messages)
    assert any(pinned_axe_version() in m.string for m in messages)
