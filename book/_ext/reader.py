"""A Sphinx extension for the reader: quiet typography, the book's PDF, and how to cite it.

Loaded by ``_config.yml`` (``sphinx.local_extensions``).

- Glued numbers in body weight: myst-nb shows pasted text (``{glue:text}``) in bold by default,
  so every computed number in a sentence shouted. ``static/reader.css`` sets it back.
- Wide tables scroll inside their own frame on a phone instead of being cut off.
- The book's PDF: when the build passes ``POVERTY_BOOK_PDF`` (the path of the PDF built from the
  same chapters), the PDF is copied into the site (``book.pdf`` at its root) and every page's
  download menu links to it ("Book (PDF)") in place of the browser's print dialog. Without it
  no link is made, so an HTML-only build has no dead link.
- Glossary tooltips: hovering a glossary term anywhere in the book (``{term}`BKM```) shows its
  definition (the link's ``title``), offline, with no script; following it opens the glossary.
- ``{how-to-cite}``: a directive that renders the citation of the book from ``CITATION.cff``
  (title, authors, version, year, repository), so the landing page and the metadata cannot
  disagree.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes

STATIC = Path(__file__).resolve().parent / "static"
PDF_ENV = "POVERTY_BOOK_PDF"
PDF_NAME = "book.pdf"


def citation_text(cff: dict) -> str:
    """One line citing the book from a parsed CITATION.cff (author-year, APA-like)."""
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
        parts.append(f"Version {cff['version']}")
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
        box += nodes.title(text="How to cite")
        box += nodes.paragraph(text=citation_text(cff))
        box += nodes.paragraph(
            text="The metadata are in CITATION.cff and .zenodo.json; cite the BPS figures and "
            "the two field studies through their own references."
        )
        return [box]


def add_pdf(app, config) -> None:
    """Copy the book's PDF into the site when the build names one."""
    pdf = os.environ.get(PDF_ENV)
    if pdf and Path(pdf).is_file():
        config.html_extra_path = [*config.html_extra_path, str(Path(pdf).parent)]


def pdf_button(app, pagename, templatename, context, doctree) -> None:
    """In the download menu of every page, the book's PDF instead of the print dialog."""
    pdf = os.environ.get(PDF_ENV)
    if not pdf or not Path(pdf).is_file() or app.builder.format != "html":
        return
    url = context["pathto"](PDF_NAME, 1)
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
                "text": "Book (PDF)",
                "tooltip": "The whole book as a PDF",
                "icon": "fas fa-file-pdf",
                "label": "book-pdf-button",
            }
        )
    context["book_pdf_url"] = url


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


def setup(app):
    app.add_directive("how-to-cite", HowToCite)
    app.connect("doctree-read", collect_definitions)
    app.connect("env-merge-info", merge_definitions)
    app.connect("env-purge-doc", purge_definitions)
    app.connect("doctree-resolved", term_tooltips)
    app.connect("config-inited", add_pdf)
    app.connect("builder-inited", lambda app: app.config.html_static_path.append(str(STATIC)))
    app.add_css_file("reader.css")
    app.connect("html-page-context", pdf_button, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
