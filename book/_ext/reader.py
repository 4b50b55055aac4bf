"""A Sphinx extension for the reader: quiet typography, the book's PDF, and how to cite it.

Loaded by ``_config.yml`` (``sphinx.local_extensions``).

- Glued numbers in body weight: myst-nb shows pasted text (``{glue:text}``) in bold by default,
  so every computed number in a sentence shouted. ``static/reader.css`` sets it back.
- Tables fit a laptop's text column (smaller type, long links and paths breakable); on a phone
  wide tables and figures scroll inside their own frame, a table's first column kept in view.
- Search results quote the page's own text around the word searched (``static/search.js``), not
  its toolbar and contents box.
- The book's PDF: when the build passes ``POVERTY_BOOK_PDF`` (the path of the PDF built from the
  same chapters), the PDF is copied into the site (``book.pdf`` at its root) and every page's
  download menu links to it ("Book (PDF)") in place of the browser's print dialog. Without it
  no link is made, so an HTML-only build has no dead link.
- Glossary tooltips: hovering a glossary term anywhere in the book (``{term}`BKM```) shows its
  definition (the link's ``title``), offline, with no script; following it opens the glossary.
- ``{book-pdf}``: on the landing page, a visible link to that PDF (nothing without it, and
  nothing in the PDF itself). Every page's header also carries a "PDF" button.
- In the PDF, a CSV download (``{download}``) is a link to the file on the published site
  (``html_baseurl`` + ``_downloads/...``, where the HTML build puts it), not dead text.
- Tables in the PDF: the more columns, the smaller the type (``TABLE_SIZES``), so that a wide
  table fits the page instead of clipping its cells.
- Citations read "(Miranti, 2020)", in round brackets (``author_year_round``).
- Editions: when the build passes ``POVERTY_BOOK_EDITIONS`` (``en,id``), every page's header
  links to the same page in the other edition (the English site at the root, the Indonesian one
  in ``id/``), in the other language's own name, and the page's head names its translations
  (``<link rel="alternate" hreflang>``). The extension's own words (button texts) are in the
  code's catalogs (``analysis/locale``, catalog ``ext.reader``).
- Titles are text: sphinx-book-theme puts the page's title as plain text (``pagetitle``, the
  print header ``<div id="jb-print-docs-body"><h1>``) and the book's title (``root_title``, the
  sidebar) into its templates unescaped; they are HTML-escaped here, so a title holding
  ``<script>`` (a study's title from the data) shows it.
- ``{how-to-cite}``: a directive that renders the citation of the book from ``CITATION.cff``
  (title, authors, version, year, repository), so the landing page and the metadata cannot
  disagree.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes

STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"
PDF_ENV = "POVERTY_BOOK_PDF"
EDITIONS_ENV = "POVERTY_BOOK_EDITIONS"
SOURCE_LANGUAGE = "en"
#: Each edition's language in its own words: the language switch shows the other one's, with
#: an invitation in that language (a reader looking for their language reads it there).
ENDONYMS = {"en": "English", "id": "Bahasa Indonesia"}
INVITATIONS = {"en": "Read this page in English", "id": "Baca halaman ini dalam Bahasa Indonesia"}


def N_(message: str) -> str:
    """Mark a message for the catalogs (translated when shown, with :func:`translate`)."""
    return message


def translate(app_or_env, message: str) -> str:
    """``message`` in the language of the edition being built (the code's catalogs)."""
    from analysis.i18n import LANGUAGES, translations

    lang = app_or_env.config.language or SOURCE_LANGUAGE
    return translations(lang).gettext(message) if lang in LANGUAGES else message


def pdf_name() -> str:
    """The file name the site gives its PDF: the built PDF's own (book.pdf, book-id.pdf)."""
    pdf = built_pdf()
    return pdf.name if pdf is not None else "book.pdf"


def citation_text(cff: dict, version: str = "Version") -> str:
    """One line citing the book from a parsed CITATION.cff (author-year, APA-like); ``version``
    is the word for "Version" in the edition's language (the title stays as published)."""
    authors = []
    for author in cff.get("authors", []):
        if "name" in author:
            authors.append(author["name"])
        else:
            authors.append(
                f"{author.get('family-names', '')}, {author.get('given-names', '')}".strip(", ")
            )
    year = str(cff.get("date-released", ""))[:4] or "n.d."
    parts = [f"{'; '.join(authors)} ({year}). {cff['title']}"]
    if cff.get("version"):
        parts.append(f"{version} {cff['version']}")
    if cff.get("doi"):
        parts.append(f"https://doi.org/{cff['doi']}")
    elif cff.get("repository-code"):
        parts.append(str(cff["repository-code"]))
    return ". ".join(parts) + "."


def read_citation(srcdir: str | Path) -> dict:
    """The CITATION.cff beside the book's ``_config.yml``."""
    return yaml.safe_load((Path(srcdir) / "CITATION.cff").read_text(encoding="utf-8"))


class HowToCite(Directive):
    """``{how-to-cite}``: an admonition with the book's citation, from CITATION.cff."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        cff = read_citation(env.srcdir)
        env.note_dependency(str(Path(env.srcdir) / "CITATION.cff"))
        box = nodes.admonition(classes=["how-to-cite"])
        box += nodes.title(text=translate(env, N_("How to cite")))
        box += nodes.paragraph(
            text=citation_text(cff, translate(env, N_("Version"))), classes=["book-citation"]
        )
        box += nodes.paragraph(
            text=translate(
                env,
                N_(
                    "The metadata are in CITATION.cff and .zenodo.json; cite the BPS figures and "
                    "the field studies through their own references."
                ),
            )
        )
        return [box]


def built_pdf() -> Path | None:
    """The PDF this HTML build publishes (``POVERTY_BOOK_PDF``), when it names a file."""
    pdf = os.environ.get(PDF_ENV)
    return Path(pdf) if pdf and Path(pdf).is_file() else None


def decimal_symbol(app_or_env) -> str:
    """The decimal sign of the edition's language."""
    from babel.numbers import get_decimal_symbol

    from analysis.i18n import BABEL_LOCALES

    lang = app_or_env.config.language or SOURCE_LANGUAGE
    return get_decimal_symbol(BABEL_LOCALES.get(lang, lang))


def relative_to_root(docname: str, target: str) -> str:
    """``target`` (a path from the site's root) as seen from the page ``docname``."""
    return "../" * docname.count("/") + target


class BookPdf(Directive):
    """``{book-pdf}``: "The whole book as a PDF" on the page, when this build publishes one."""

    has_content = False

    def run(self):
        pdf = built_pdf()
        if pdf is None:
            return []
        env = self.state.document.settings.env
        megabytes = pdf.stat().st_size / 1e6
        paragraph = nodes.paragraph(classes=["book-pdf"])
        paragraph += nodes.reference(
            "",
            translate(env, N_("Read or print the whole book as a PDF")),
            refuri=relative_to_root(env.docname, pdf_name()),
            internal=False,
        )
        size = f"{megabytes:.1f}".replace(".", decimal_symbol(env))
        paragraph += nodes.Text(f" ({pdf_name()}, {size} MB).")
        only = addnodes.only(expr="html")
        only += paragraph
        return [only]


def absolute_downloads(app, doctree, docname) -> None:
    """In the PDF, a ``{download}`` link points at the published file (``html_baseurl``).

    The HTML build copies a download to ``_downloads/<digest>/<name>``; ``node["filename"]`` is
    that path, the same in every builder (the digest is of the source path).
    """
    base = app.config.html_baseurl
    if app.builder.format != "latex" or not base:
        return
    for node in list(doctree.findall(addnodes.download_reference)):
        if "filename" not in node:
            continue
        url = f"{base.rstrip('/')}/_downloads/{node['filename']}"
        link = nodes.reference("", "", *node.children, refuri=url, internal=False)
        node.replace_self(link)


# Type size of a table in the PDF by its number of columns: (at least this many columns, size).
TABLE_SIZES = ((9, "\\scriptsize"), (6, "\\footnotesize"), (0, "\\small"))


def table_size(columns: int) -> str:
    """The LaTeX size command for a table of ``columns`` columns (see :data:`TABLE_SIZES`)."""
    return next(size for least, size in TABLE_SIZES if columns >= least)


def sized_tables(app, doctree, docname) -> None:
    """In the PDF, set each table in a type size that lets its columns fit the page."""
    if app.builder.format != "latex":
        return
    for table in list(doctree.findall(nodes.table)):
        group = next(table.findall(nodes.tgroup), None)
        if group is None or table.parent is None:
            continue
        # book/_ext/printlayout.py may have chosen a smaller size for the PDF
        size = table.get("latex_size") or table_size(int(group.get("cols", 0)))
        parent, index = table.parent, table.parent.index(table)
        parent.insert(index + 1, nodes.raw("", "\\endgroup\n", format="latex"))
        parent.insert(index, nodes.raw("", f"\\begingroup{size}\n", format="latex"))


def round_brackets():
    """sphinxcontrib-bibtex's author-year citations with round brackets: (Miranti, 2020); and the
    Indonesian edition's (``author_year_round_id``): (Landis dan Koch, 1977), (Miles dkk., 2014)."""
    from dataclasses import dataclass, field

    from sphinxcontrib.bibtex.plugin import register_plugin
    from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def brackets() -> BracketStyle:
        return BracketStyle(left="(", right=")")

    @dataclass
    class RoundAuthorYear(AuthorYearReferenceStyle):
        bracket_parenthetical: BracketStyle = field(default_factory=brackets)
        bracket_textual: BracketStyle = field(default_factory=brackets)
        bracket_author: BracketStyle = field(default_factory=brackets)
        bracket_label: BracketStyle = field(default_factory=brackets)
        bracket_year: BracketStyle = field(default_factory=brackets)

    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYear, force=True
    )

    def indonesian_names() -> PersonStyle:  # "Landis dan Koch", "Miles dkk."
        return PersonStyle(sep2=" dan ", last_sep=", dan ", other=" dkk.")

    @dataclass
    class RoundAuthorYearIndonesian(RoundAuthorYear):
        person: PersonStyle = field(default_factory=indonesian_names)

    register_plugin(
        "sphinxcontrib.bibtex.style.referencing",
        "author_year_round_id",
        RoundAuthorYearIndonesian,
        force=True,
    )


def add_pdf(app, config) -> None:
    """Copy the book's PDF into the site (``book.pdf`` at its root) when the build names one.

    Only the PDF: it is staged alone in a folder beside the output, which is what
    ``html_extra_path`` copies (the LaTeX folder around the PDF stays out of the site).
    """
    pdf = built_pdf()
    if pdf is None:
        return
    staged = Path(app.outdir).parent / "book-pdf-for-site"
    staged.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, staged / pdf.name)
    config.html_extra_path = [*config.html_extra_path, str(staged)]


def pdf_button(app, pagename, templatename, context, doctree) -> None:
    """Every page's header links to the book's PDF: a "PDF" button, and in the download menu
    "Book (PDF)" instead of the print dialog."""
    if built_pdf() is None or app.builder.format != "html":
        return
    url = context["pathto"](pdf_name(), 1)
    for button in context.get("header_buttons", []):
        if button.get("label") != "download-buttons":
            continue
        button["buttons"] = [
            b for b in button["buttons"] if b.get("label") != "download-pdf-button"
        ]
        button["buttons"].append(
            {
                "type": "link",
                "url": url,
                "text": translate(app, N_("Book (PDF)")),
                "tooltip": translate(app, N_("The whole book as a PDF")),
                "icon": "fas fa-file-pdf",
                "label": "book-pdf-button",
            }
        )
    context["book_pdf_url"] = url
    context.setdefault("header_buttons", []).insert(
        0,
        {
            "type": "link",
            "url": url,
            "text": "PDF",
            "tooltip": translate(app, N_("The whole book as a PDF")),
            "icon": "fas fa-file-pdf",
            "label": "book-pdf-header",
        },
    )


def editions() -> list[str]:
    """The languages of the editions this build publishes (``POVERTY_BOOK_EDITIONS``)."""
    return [lang for lang in os.environ.get(EDITIONS_ENV, "").split(",") if lang]


def edition_url(pagename: str, this: str, other: str) -> str:
    """The page ``pagename`` of the edition ``other``, relative to that page in ``this``.

    English is the site's root and another edition ``xx`` lives in ``xx/``.
    """
    up = "../" * pagename.count("/")
    if this != SOURCE_LANGUAGE:
        up += "../"
    prefix = "" if other == SOURCE_LANGUAGE else f"{other}/"
    return f"{up}{prefix}{pagename}.html"


#: Words of the theme's header buttons that its own catalogs leave in English (sphinx-book-theme
#: 1.1 has no Indonesian for them): translated through the code's catalogs like ours.
THEME_WORDS = (N_("Repository"), N_("Open issue"), N_("Launch on Binder"), N_("Binder"))


def add_switch_to_header(app, config) -> None:
    """Put the language switch (``templates/edition-switch.html``) first among the article
    header's buttons when this build publishes more than one edition (a link in the same tab;
    the theme's own link buttons open a new one)."""
    if len(editions()) < 2:
        return
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    options = dict(config.html_theme_options or {})
    options["article_header_end"] = ["edition-switch.html", "article-header-buttons.html"]
    config.html_theme_options = options


def theme_words(app, pagename, templatename, context, doctree) -> None:
    """The theme's header button texts and tooltips in the edition's language."""

    def walk(buttons):
        for button in buttons:
            for key in ("text", "tooltip"):
                if button.get(key) in THEME_WORDS:
                    button[key] = translate(app, button[key])
            walk(button.get("buttons", []))

    if app.builder.format == "html":
        walk(context.get("header_buttons", []))


def language_switch(app, pagename, templatename, context, doctree) -> None:
    """Every page's header links to the same page in the other editions, and its head lists
    them as translations."""
    languages = editions()
    this = app.config.language or SOURCE_LANGUAGE
    if app.builder.format != "html" or len(languages) < 2 or this not in languages:
        return
    tags, switch = [], []
    for other in languages:
        url = edition_url(pagename, this, other)
        tags.append(f'<link rel="alternate" hreflang="{other}" href="{url}" />')
        if other != this:
            switch.append(
                {
                    "url": url,
                    "lang": other,
                    "text": ENDONYMS.get(other, other),
                    "title": INVITATIONS.get(other, ENDONYMS.get(other, other)),
                }
            )
    context["edition_switch"] = switch
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


TOOLTIP_CHARS = 300  # longest definition shown whole in a tooltip (characters)


def collect_definitions(app, doctree) -> None:
    """Remember the text of every glossary definition, by the term's target id."""
    env = app.env
    definitions = getattr(env, "reader_glossary", {})
    definitions = {k: v for k, v in definitions.items() if v[0] != env.docname}
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            terms = list(item.findall(nodes.term))
            body = next(item.findall(nodes.definition), None)
            if body is None:
                continue
            text = " ".join(body.astext().split())
            if len(text) > TOOLTIP_CHARS:
                text = text[: TOOLTIP_CHARS - 1].rsplit(" ", 1)[0] + " …"
            for term in terms:
                for target in term["ids"]:
                    definitions[target] = (env.docname, text)
    env.reader_glossary = definitions


def merge_definitions(app, env, docnames, other) -> None:
    env.reader_glossary = {
        **getattr(env, "reader_glossary", {}),
        **getattr(other, "reader_glossary", {}),
    }


def purge_definitions(app, env, docname) -> None:
    definitions = getattr(env, "reader_glossary", {})
    env.reader_glossary = {k: v for k, v in definitions.items() if v[0] != docname}


def term_tooltips(app, doctree, docname) -> None:
    """Give every resolved link to a glossary term its definition as a tooltip."""
    definitions = getattr(app.env, "reader_glossary", {})
    for reference in doctree.findall(nodes.reference):
        inline = reference.children[0] if reference.children else None
        if not isinstance(inline, nodes.inline) or "std-term" not in inline.get("classes", []):
            continue
        target = reference.get("refuri", "").rpartition("#")[2] or reference.get("refid", "")
        if target in definitions:
            reference["reftitle"] = definitions[target][1]


def escaped_titles(app, pagename, templatename, context, doctree) -> None:
    """HTML-escape the titles sphinx-book-theme gives its templates as plain text."""
    for key in ("pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key], quote=True)


#: The chapter number Sphinx puts before a numbered page's title ("15. Glossary").
SECTION_NUMBER = re.compile(r'<span class="section-number">[^<]*</span>')


def index_title(title: str) -> str:
    """A page's title as the search index keeps it: without its chapter number.

    Sphinx's search finds a page twice when its title matches, once by the title (the index's
    ``alltitles``, without a number) and once by its words (``titles``, with the number); it
    drops a repeated result only when both carry the same title, so "Glosarium" was listed
    twice. Without the number both are one result."""
    return SECTION_NUMBER.sub("", title)


def search_titles_without_numbers() -> None:
    """Feed the search index page titles without chapter numbers (:func:`index_title`)."""
    from sphinx.search import IndexBuilder

    if getattr(IndexBuilder.feed, "_titles_without_numbers", False):
        return
    feed = IndexBuilder.feed

    def feed_without_numbers(self, docname, filename, title, doctree):
        return feed(self, docname, filename, index_title(title), doctree)

    feed_without_numbers._titles_without_numbers = True
    IndexBuilder.feed = feed_without_numbers


def setup(app):
    round_brackets()
    search_titles_without_numbers()
    app.add_directive("how-to-cite", HowToCite)
    app.add_directive("book-pdf", BookPdf)
    app.connect("doctree-resolved", sized_tables)
    app.connect("doctree-resolved", absolute_downloads)
    app.connect("doctree-read", collect_definitions)
    app.connect("env-merge-info", merge_definitions)
    app.connect("env-purge-doc", purge_definitions)
    app.connect("doctree-resolved", term_tooltips)
    app.connect("config-inited", add_pdf)
    app.connect("config-inited", add_switch_to_header)
    app.connect("builder-inited", lambda app: app.config.html_static_path.append(str(STATIC)))
    app.add_css_file("reader.css")
    app.add_js_file("search.js", loading_method="defer")  # search snippets from the article
    app.connect("html-page-context", pdf_button, priority=600)
    # before the theme drops header templates that render empty (pydata-sphinx-theme, 500)
    app.connect("html-page-context", language_switch, priority=400)
    app.connect("html-page-context", theme_words, priority=602)
    # after sphinx-book-theme sets them (add_metadata_to_page, 500)
    app.connect("html-page-context", escaped_titles, priority=501)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
