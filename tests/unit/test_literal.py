"""Text from data stays text: whatever markup a field holds, MyST shows it as written.

Each property parses what the code writes with the book's own MyST parser (myst-parser's docutils
parser with the extensions of ``_config.yml``, plus linkify and raw HTML) and walks the docutils
tree Sphinx would write HTML and LaTeX from: one paragraph (or cell, or code span) whose text
is the string drawn, and no node that would run, include, link or typeset anything.
"""

from __future__ import annotations

import html.parser

import matplotlib
import pandas as pd
import pytest
import yaml
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import given, settings
from hypothesis import strategies as st
from myst_parser.parsers.docutils_ import Parser

from analysis import figures
from analysis.chapter import _Plain
from analysis.literal import (
    collapse_spaces,
    markdown_code,
    markdown_in_language,
    markdown_literal,
    markdown_with_code,
)
from analysis.project import PROJECT_ROOT as ROOT
from support.hostile import PAYLOADS, hostile_text

BOOK_EXTENSIONS = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["parse"][
    "myst_enable_extensions"
]
#: The book's extensions and more: what a later edit of _config.yml might switch on.
EXTENSIONS = sorted({*BOOK_EXTENSIONS, "linkify", "html_image", "html_admonition", "amsmath"})
HOSTILE = settings(deadline=None)


def parse(source: str) -> nodes.document:
    """The docutils tree of ``source`` as MyST makes it (problems kept as nodes, none raised)."""
    return publish_doctree(
        source,
        parser=Parser(),
        settings_overrides={
            "myst_enable_extensions": EXTENSIONS,
            "myst_substitutions": {"project": "SUBSTITUTED", "author": "SUBSTITUTED"},
            "report_level": 5,
            "halt_level": 5,
            "file_insertion_enabled": False,  # should an include get through, it reads nothing
            "raw_enabled": False,
        },
    )


def only_text(node: nodes.Node) -> bool:
    """Whether ``node`` holds nothing but text (no role, math, raw, link, literal or message)."""
    return all(isinstance(child, nodes.Text) for child in node.children)


def test_the_book_parses_with_the_extensions_of_its_config():
    assert {"colon_fence", "dollarmath", "substitution"} <= set(BOOK_EXTENSIONS)


def test_an_unescaped_payload_would_be_interpreted():
    """The test's parser is the one that matters: the raw payloads do start markup in it."""
    for payload in ("$\\input{/etc/passwd}$", "<script>alert(1)</script>", "{{ project }}"):
        paragraph = parse(payload).children[0]
        assert not (only_text(paragraph) and paragraph.astext() == payload), payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_known_payload_renders_as_the_text_written(payload):
    document = parse(markdown_literal(payload))
    assert len(document.children) == 1
    paragraph = document.children[0]
    assert isinstance(paragraph, nodes.paragraph) and only_text(paragraph)
    assert paragraph.astext() == collapse_spaces(payload)


@HOSTILE
@given(hostile_text())
def test_hostile_text_renders_as_one_paragraph_of_the_text_written(text):
    document = parse(markdown_literal(text))
    if not collapse_spaces(text):
        assert markdown_literal(text) == ""
        return
    assert [type(c) for c in document.children] == [nodes.paragraph]
    assert only_text(document.children[0])
    assert document.children[0].astext() == collapse_spaces(text)


@HOSTILE
@given(hostile_text(), hostile_text())
def test_hostile_text_inside_a_sentence_keeps_the_sentence_markup_and_its_own_text(title, place):
    """As ``site_sentence`` uses it: the code's emphasis stays emphasis around the value."""
    if not collapse_spaces(title):
        return
    sentence = f"The study ({markdown_literal(place)}) is *{markdown_literal(title)}*. Source."
    paragraph = parse(sentence).children[0]
    emphasis = [c for c in paragraph.children if not isinstance(c, nodes.Text)]
    assert len(emphasis) == 1 and isinstance(emphasis[0], nodes.emphasis)
    assert only_text(emphasis[0]) and emphasis[0].astext() == collapse_spaces(title)
    assert paragraph.astext() == (
        f"The study ({collapse_spaces(place)}) is {collapse_spaces(title)}. Source."
    )


@HOSTILE
@given(hostile_text())
def test_a_value_shown_as_code_is_one_code_span_of_the_text_written(text):
    if not collapse_spaces(text):
        return
    paragraph = parse(f"see {markdown_code(text)} here").children[0]
    literals = [c for c in paragraph.children if not isinstance(c, nodes.Text)]
    assert len(literals) == 1 and isinstance(literals[0], nodes.literal)
    assert literals[0].astext() == collapse_spaces(text)


@HOSTILE
@given(st.lists(st.one_of(hostile_text(3), st.just("`site`")), min_size=1, max_size=4))
def test_a_description_naming_fields_shows_them_as_code_and_the_rest_as_text(pieces):
    text = " ".join(pieces)
    if not collapse_spaces(text):
        return
    paragraph = parse(markdown_with_code(text)).children[0]
    assert all(isinstance(c, (nodes.Text, nodes.literal)) for c in paragraph.children)
    assert all(only_text(c) for c in paragraph.children if isinstance(c, nodes.literal))


def _language_spans(paragraph: nodes.Node) -> list[nodes.inline]:
    return [c for c in paragraph.children if not isinstance(c, nodes.Text)]


def test_the_book_enables_spans_with_attributes():
    """markdown_in_language writes a MyST span: without attrs_inline it would show its braces."""
    assert "attrs_inline" in BOOK_EXTENSIONS


@HOSTILE
@given(hostile_text())
def test_a_quote_in_another_language_is_one_span_of_the_text_written_in_that_language(text):
    if not collapse_spaces(text):
        assert markdown_in_language(text, "id") == ""
        return
    paragraph = parse(f"They said {markdown_in_language(text, 'id')} twice.").children[0]
    spans = _language_spans(paragraph)
    assert len(spans) == 1 and isinstance(spans[0], nodes.inline)
    assert spans[0]["classes"] == ["language-id"]
    assert only_text(spans[0]) and spans[0].astext() == collapse_spaces(text)
    assert paragraph.astext() == f"They said {collapse_spaces(text)} twice."


def test_a_quote_in_another_language_gets_its_lang_attribute_in_the_html():
    from docutils.core import publish_string

    quote = 'Kami <b>tidak</b> tahu "{project}" ]{.x}'
    output = publish_string(
        f"Residents said {markdown_in_language(quote, 'id')}.",
        parser=Parser(),
        writer_name="html5",
        settings_overrides={
            "myst_enable_extensions": BOOK_EXTENSIONS,
            "output_encoding": "unicode",
            "report_level": 5,
        },
    )
    body = output.split("<main>", 1)[1]
    assert '<span lang="id">Kami &lt;b&gt;tidak&lt;/b&gt; tahu' in body
    assert "<b>" not in body


@pytest.mark.parametrize("lang", ["", "indonesian", "id}", "id .x", "i", "id_ID", "id-"])
def test_a_quote_in_another_language_refuses_what_is_no_language_tag(lang):
    with pytest.raises(ValueError, match="not a language tag"):
        markdown_in_language("tidak", lang)


@pytest.mark.parametrize("lang", ["id", "jv", "ID", "pt-br"])
def test_a_quote_in_another_language_takes_language_tags_lower_case(lang):
    assert markdown_in_language("x", lang) == f"[x]{{.language-{lang.lower()}}}"


def _table_cells(markdown: str) -> list[list[str]]:
    """The text of every cell of the pipe table that follows the ``tabularcolumns`` spec."""
    table_source = markdown.split("\n\n", 1)[1]
    document = parse(table_source)
    tables = list(document.findall(nodes.table))
    assert len(tables) == 1
    rows = []
    for row in tables[0].findall(nodes.row):
        cells = []
        for entry in row.children:
            for node in entry.findall(nodes.Element):
                assert isinstance(node, (nodes.entry, nodes.paragraph, nodes.literal)), (
                    node.pformat()
                )
            cells.append(entry.astext())
        rows.append(cells)
    return rows


@HOSTILE
@given(st.lists(hostile_text(4), min_size=2, max_size=2), hostile_text(4), hostile_text(4))
def test_table_cells_in_the_pdf_path_are_the_text_written(header, text, code):
    frame = pd.DataFrame({"h1 " + header[0]: [text], "h2 " + header[1]: [code]})
    table = _Plain(frame, numeric=[False, False], is_code=["", "code"])
    rows = _table_cells(table._repr_markdown_())
    expected = [
        [collapse_spaces(c) for c in frame.columns],
        [collapse_spaces(text), collapse_spaces(code)],
    ]
    assert rows == expected


class _Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@HOSTILE
@given(hostile_text(4))
def test_table_cells_in_the_html_path_are_text(text):
    table = _Plain(pd.DataFrame({"a": [text]}), numeric=[False], is_code=[""])
    parsed = _Elements()
    parsed.feed(table._repr_html_())
    # wbr: a place where a long run may break (analysis.chapter.breakable), no element of the data
    assert set(parsed.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "wbr"}
    assert text in "".join(parsed.text) or not text.strip()


@HOSTILE
@given(hostile_text(4))
def test_figure_labels_from_data_are_never_mathtext(text):
    """Titles, axis labels and tick labels (code labels, place names) show the text written."""
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    try:
        figures.apply_style()
        fig, ax = plt.subplots()
        ax.set_title(text)
        ax.set_xlabel(text)
        ax.bar([text, "other"], [1, 2])
        labels = [ax.title, ax.xaxis.label, *ax.get_xticklabels()]
        for label in labels:
            assert label._preprocess_math(label.get_text()) == (label.get_text(), False)
        assert ax.title.get_text() == text
        plt.close(fig)
    finally:
        matplotlib.rcParams.update(before)


def test_long_runs_in_table_cells_may_break_but_read_and_copy_as_written():
    """A link, a path or a file name in a table cell gets line-break opportunities (``<wbr>``)
    after its separators, so that it never widens its column past the page; the text is the
    same, and an e-mail address or a number is never split (the personal-data gate reads them
    whole)."""
    from analysis.chapter import breakable

    path = "data/public/bps_province_poverty_2015_2025.csv"
    assert breakable(path).replace("<wbr>", "") == path and breakable(path).count("<wbr>") >= 3
    assert breakable("short/path.csv") == "short/path.csv"
    for whole in ("someone.longer.name@example-domain.co.id", "0812-3456-7890-1234-5678-99"):
        assert breakable(whole) == whole
    assert "123456789/87943" in breakable("repository.unej.ac.id/handle/123456789/87943")
