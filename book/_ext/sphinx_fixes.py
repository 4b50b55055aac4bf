"""A Sphinx extension that keeps the book's HTML self-contained and free of console errors.

Loaded by ``_config.yml`` (``sphinx.extra_extensions``); tests/test_built_book.py checks
every page in a browser for console errors and for requests to other hosts.

- Math as MathML (``html_math_renderer: mathml``): Sphinx's default, MathJax, is loaded from a
  CDN, so an offline reader sees raw TeX and the console logs a failed request. Formulas are
  converted at build time with docutils' own LaTeX-to-MathML converter and drawn by the
  browser (MathML Core: Chromium, Firefox, Safari). No script, nothing to download. A formula
  the converter cannot read is a build warning (an error in the strict build), shown as TeX.
  The PDF is not concerned: LaTeX typesets the math itself.
- Sphinx 7.4 writes twice every inline script that an extension adds once the builder exists
  (sphinx-togglebutton's selector, sphinx-thebe's settings): the builder keeps it with file
  name ``None`` and adds it again from the registry with file name ``''``. The second
  ``const THEBE_JS_URL`` then throws "Identifier 'THEBE_JS_URL' has already been declared" on
  every page. The repeats are dropped from each page.
- pydata-sphinx-theme logs "Got invalid theme mode" to the console of a first-time reader
  unless the theme has a default mode: the book's is ``light`` (its figures are PNGs on white).
- Sphinx 7.4's i18n transform writes every node it does not translate into its debug log as
  DOM XML, computed whether or not the debug log is shown: about a second of every translated
  edition's build. The XML is computed only when a debug message is written (:func:`lazy_domxml`).
- MyST makes a new docutils document with fresh default settings (a docutils option parser of
  some 80 options) for every piece of Markdown it renders, even one rendered into a document it
  is given, which is every translated message of an edition: the default settings are made once
  and copied (:func:`settings_once`), as docutils copies a parser's defaults.
"""

from __future__ import annotations

import re

from docutils import nodes

DEFAULT_MODE = "light"
# TeX commands the docutils converter does not know, and the ones it knows that mean the same.
TEX_ALIASES = {
    r"\dots": r"\ldots",
    r"\dotsc": r"\ldots",
    r"\dotsb": r"\cdots",
    r"\dotsm": r"\cdots",
    r"\tfrac": r"\frac",
    r"\dfrac": r"\frac",
}
_ALIAS = re.compile(
    "|".join(re.escape(k) + r"(?![A-Za-z])" for k in sorted(TEX_ALIASES, key=len, reverse=True))
)


# --------------------------------------------------------------------------- MathML
def tex_to_mathml(tex: str, block: bool = False) -> str:
    """MathML for a TeX formula (docutils' converter). Raises an error the converter gives."""
    from docutils.utils.math import latex2mathml

    return latex2mathml.tex2mathml(
        _ALIAS.sub(lambda m: TEX_ALIASES[m.group(0)], tex.strip()), as_block=block
    )


def _render(self, node, tex: str, block: bool) -> str:
    try:
        return tex_to_mathml(tex, block)
    except Exception as exc:  # the converter's errors have no common base class
        from sphinx.util import logging

        logging.getLogger(__name__).warning(
            f"formula not converted to MathML ({exc}): {tex!r}", location=node
        )
        return f'<code class="math-source">{self.encode(tex)}</code>'


def visit_math(self, node) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_render(self, node, node.astext(), block=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node) -> None:
    from sphinx.locale import _
    from sphinx.util.math import get_node_equation_number

    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node.get("number"):
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    for part in parts:  # equations separated by a blank line: one block each
        if r"\\" in part and r"\begin" not in part:
            part = r"\begin{aligned}" + part + r"\end{aligned}"
        self.body.append(_render(self, node, part, block=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


# --------------------------------------------------------------------------- console errors
def _script_key(script) -> tuple:
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    return (filename, tuple(sorted((k, str(v)) for k, v in attributes.items())))


def drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def set_default_mode(app, config) -> None:
    """pydata-sphinx-theme reads its default mode from ``html_context`` (not a theme option)."""
    context = dict(config.html_context or {})
    context.setdefault("default_mode", DEFAULT_MODE)
    config.html_context = context


# --------------------------------------------------------------------------- debug log
class _DomXml:
    """A node's DOM XML (``sphinx.util.nodes.repr_domxml``), made when it is formatted."""

    __slots__ = ("node", "length", "text")

    def __init__(self, text, node, length):
        self.node, self.length, self.text = node, length, text

    def __str__(self) -> str:
        return self.text(self.node, self.length)


def lazy_domxml():
    """Let ``sphinx.util.nodes`` hand its debug messages the DOM XML of a node unmade until the
    message is formatted (never, unless the build is verbose): the messages read the same."""
    from sphinx.util import nodes as sphinx_nodes

    made = sphinx_nodes.repr_domxml
    if getattr(made, "lazy", False):
        return
    lazy = lambda node, length=80: _DomXml(made, node, length)  # noqa: E731
    lazy.lazy = True
    sphinx_nodes.repr_domxml = lazy


def settings_once():
    """Let MyST's ``make_document`` copy default settings made once per parser class (the copy
    docutils' ``OptionParser.get_default_values`` makes) instead of making them anew each time."""
    from docutils.frontend import get_default_settings
    from docutils.utils import DependencyList, new_document
    from myst_parser.mdit_to_docutils import base

    made = base.make_document
    if getattr(made, "settings_once", False):
        return
    defaults = {}

    def make_document(source_path="notset", parser_cls=base.RSTParser):
        if parser_cls not in defaults:
            defaults[parser_cls] = get_default_settings(parser_cls)
        settings = defaults[parser_cls].copy()
        settings.record_dependencies = DependencyList()  # each document's own, as made anew
        return new_document(source_path, settings=settings)

    make_document.settings_once = True
    base.make_document = make_document


def setup(app):
    lazy_domxml()
    settings_once()
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", set_default_mode)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
