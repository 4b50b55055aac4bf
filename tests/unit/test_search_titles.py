"""The search lists a page once: its title in the index carries no chapter number."""

from __future__ import annotations

import reader


def test_a_numbered_title_is_indexed_as_the_title_sphinx_matches_by_title():
    numbered = '<span class="section-number">15. </span>Glosarium'
    assert reader.index_title(numbered) == "Glosarium"
    assert reader.index_title("Glosarium") == "Glosarium"


def test_the_search_index_is_fed_titles_without_numbers():
    from docutils.utils import new_document
    from sphinx.search import IndexBuilder

    reader.search_titles_without_numbers()
    reader.search_titles_without_numbers()  # twice: wrapped once
    indexer = IndexBuilder.__new__(IndexBuilder)
    indexer._titles, indexer._filenames = {}, {}
    try:
        IndexBuilder.feed(
            indexer,
            "book/pages/glossary",
            "glossary.md",
            '<span class="section-number">15. </span>Glosarium',
            new_document(""),
        )
    except AttributeError:  # the rest of Sphinx's feed needs a whole indexer
        pass
    assert indexer._titles["book/pages/glossary"] == "Glosarium"
