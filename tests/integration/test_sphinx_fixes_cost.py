"""What book/_ext/sphinx_fixes.py changes to spare a translated edition's build changes no output:
the debug log's DOM XML reads the same when it is written, and MyST's documents get the same
default settings as before, each its own copy."""

from __future__ import annotations

import logging

from docutils import nodes
from docutils.frontend import get_default_settings
from myst_parser.mdit_to_docutils import base
from sphinx.util import nodes as sphinx_nodes

import sphinx_fixes


def test_the_debug_log_gets_the_same_dom_xml_made_only_when_written():
    made = sphinx_nodes.repr_domxml
    node = nodes.paragraph("", "", nodes.Text("Pendapatan naik 40,1%"), translatable=False)
    expected = made(node)
    sphinx_fixes.lazy_domxml()
    try:
        lazy = sphinx_nodes.repr_domxml(node)
        assert not isinstance(lazy, str)  # nothing made yet
        record = logging.LogRecord(
            "sphinx", logging.DEBUG, "x", 1, "[i18n] SKIP: %s", (lazy,), None
        )
        assert record.getMessage() == f"[i18n] SKIP: {expected}"  # as the log formats it
        sphinx_fixes.lazy_domxml()  # a second setup (the PDF, then the site) wraps it once
        assert sphinx_nodes.repr_domxml(node).text is made
    finally:
        sphinx_nodes.repr_domxml = made


def test_myst_documents_get_the_default_settings_each_its_own_copy():
    made = base.make_document
    sphinx_fixes.settings_once()
    try:
        first, second = base.make_document("a.md"), base.make_document("b.md")
        fresh = vars(get_default_settings(base.RSTParser))
        own = "record_dependencies"  # a list each document fills: never shared
        for document in (first, second):
            assert {k: v for k, v in vars(document.settings).items() if k != own} == {
                k: v for k, v in fresh.items() if k != own
            }
            assert type(getattr(document.settings, own)) is type(fresh[own])
        assert first.settings.record_dependencies is not second.settings.record_dependencies
        first.settings.language_code = "id"
        assert second.settings.language_code == fresh["language_code"]
        assert first["source"] == "a.md" and second["source"] == "b.md"
    finally:
        base.make_document = made
