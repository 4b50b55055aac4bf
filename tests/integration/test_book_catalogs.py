"""The Indonesian edition's Sphinx catalogs hold a translation of every current paragraph of the
English book: the check runs a gettext build of the book (Jupyter Book) to read its message
templates (the checks of the catalogs' contents without a build are in tests/unit/test_editions.py)."""

from __future__ import annotations

import pytest

from analysis.pipeline import translations


@pytest.mark.slow
def test_the_books_catalogs_translate_every_current_paragraph():
    """An English sentence added or changed in a page or a template's Markdown, without its
    Indonesian translation, fails here (run `python -m analysis translations update`, translate
    the new or fuzzy entries of locales/id/LC_MESSAGES)."""
    assert translations.book_problems("id") == []
