"""Sphinx's translation machinery for a book of executed notebooks (the Indonesian edition).

Two things Sphinx and MyST-NB do not do for notebooks, done here:

1. **One catalog per template, not per document.** Sphinx names a document's message catalog
   after the document (``gettext_compact = False``) or its top folder. Chapters made from one
   template (``context_jombang``, ``context_banyuwangi``, every chapter of an atlas, the chapter of
   a study a researcher brings) share their Markdown, so they share one catalog:
   ``chapters/<template>`` (the template is recorded in each executed notebook's metadata,
   ``poverty_book.template``). Pages keep a catalog each: ``pages/intro``. Sphinx has no hook for
   this, so :func:`catalog_domain` replaces ``sphinx.util.i18n.docname_to_domain`` where Sphinx
   imported it (the gettext builder, the translation transform, the environment and the builder's
   catalog compiler); ``tests/unit/test_translation_ext.py`` keeps that list complete.

2. **Glued values inside translated sentences.** MyST-NB parses a translated paragraph of a
   notebook as plain Markdown, without the notebook's glue data (executablebooks/MyST-NB#587), so
   ``{glue:text}`key``` in a translation would fail. The ``glue:text`` role here reads the value
   from the notebook when it can and from MyST-NB's glue cache of the document otherwise, and
   writes numbers with the edition's separators: Python's format specification gives the digits
   (so that both editions round alike), Babel's locale data the symbols (``1,250,000`` and
   ``12.35`` in English, ``1.250.000`` and ``12,35`` in Indonesian).

3. **Figure labels of a template, one catalog.** The runner gives each run's figures labels of
   their own (``fig-x`` becomes ``<run id>-fig-x``, so that one template can run twice in a
   book), and rewrites the template's ``{numref}`fig-x``` to match. The catalog of a template
   must not hold one message per run: :class:`TemplateLabelsInMessages` gives Sphinx each
   paragraph's message with the template's labels (``{numref}`fig-x```), and
   :class:`RunLabelsInTranslations` points the references of a translated paragraph back to the
   run's own figures.

4. **Each edition's outputs.** A chapter executed once for every edition holds each edition's
   outputs, marked with their language (:mod:`analysis.chapter`); :func:`keep_edition_outputs`
   gives Sphinx the notebook with only the outputs of the edition being built (and the unmarked
   ones), by :func:`analysis.i18n.edition_outputs`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
from docutils import nodes
from docutils.transforms import Transform
from myst_nb.core.variables import RetrievalError, format_plain_text
from myst_nb.ext.glue.crossref import read_glue_cache
from myst_nb.ext.glue.domain import NbGlueDomain
from myst_nb.ext.glue.roles import PasteTextRole
from myst_nb.ext.glue.utils import glue_warning, retrieve_glue_data

#: Modules that imported ``docname_to_domain`` by name (Sphinx 7.4).
DOMAIN_USERS = (
    "sphinx.util.i18n",
    "sphinx.builders",
    "sphinx.builders.gettext",
    "sphinx.transforms.i18n",
    "sphinx.environment",
)
NUMBER_SPEC = re.compile(r"^[+\- ]?,?(\.\d+)?[fFd%]$")

GENERATED_PREFIX = "book/_generated/"
RUN_DETAILS_TARGET = "<run-details-"  # the runner's link to a chapter's run details  # pages the build writes in each edition's language
_TEMPLATE_OF: dict[str, str] = {}  # docname -> template stem, for the chapters of the build
_RUN_OF: dict[str, str] = {}  # docname -> run id, for the chapters of the build


# --------------------------------------------------------------------------- catalogs
def catalog_domain(docname: str, compaction=False) -> str:
    """The catalog of a document: ``chapters/<template>`` for an executed chapter, the document's
    path below ``book/`` otherwise (``pages/intro``, ``_generated/provenance``)."""
    if docname in _TEMPLATE_OF:
        return f"chapters/{_TEMPLATE_OF[docname]}"
    return docname.removeprefix("book/")


def chapter_templates(srcdir: Path) -> dict[str, str]:
    """docname -> template stem, read from the ``poverty_book`` metadata of every notebook."""
    return {
        docname: Path(book["template"]).stem
        for docname, book in _chapter_metadata(srcdir).items()
        if book.get("template")
    }


def chapter_runs(srcdir: Path) -> dict[str, str]:
    """docname -> run id, read from the ``poverty_book`` metadata of every notebook."""
    return {
        docname: str(book["run_id"])
        for docname, book in _chapter_metadata(srcdir).items()
        if book.get("run_id")
    }


def _chapter_metadata(srcdir: Path) -> dict[str, dict]:
    """docname -> the ``poverty_book`` metadata of every executed notebook below ``srcdir``."""
    found = {}
    for path in sorted(Path(srcdir).rglob("*.ipynb")):
        if any(part.startswith((".", "_build")) for part in path.relative_to(srcdir).parts):
            continue
        try:
            metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        except (OSError, ValueError):
            continue
        book = metadata.get("poverty_book", {})
        if isinstance(book, dict) and book:
            found[path.relative_to(srcdir).with_suffix("").as_posix()] = book
    return found


def install_catalog_domains() -> None:
    import importlib

    for name in DOMAIN_USERS:
        module = importlib.import_module(name)
        module.docname_to_domain = catalog_domain


def _config_inited(app, config) -> None:
    _TEMPLATE_OF.clear()
    _TEMPLATE_OF.update(chapter_templates(Path(app.srcdir)))
    _RUN_OF.clear()
    _RUN_OF.update(chapter_runs(Path(app.srcdir)))


# --------------------------------------------------------------------------- figure labels
def _run_reference(run_id: str) -> re.Pattern:
    """A ``{numref}`` or ``{ref}`` to a label the runner scoped to ``run_id``, up to the label."""
    return re.compile(r"(\{(?:numref|ref)\}`(?:[^`<]*<)?)" + re.escape(run_id) + "-")


def template_labels(text: str, run_id: str) -> str:
    """``text`` with the references to the run's figures as the template writes them
    (``{numref}`<run id>-fig-x``` -> ``{numref}`fig-x```)."""
    return _run_reference(run_id).sub(r"\1", text)


class TemplateLabelsInMessages(Transform):
    """A chapter's paragraphs are looked up in its template's catalog (and written to it) with
    the template's figure labels, not the run's: one message for every run of the template."""

    default_priority = 15  # after OutputsAreNotTranslated, before Sphinx's Locale transform (20)

    def apply(self, **kwargs) -> None:
        run_id = _RUN_OF.get(self.document.settings.env.docname)
        if not run_id:
            return
        for node in self.document.findall(nodes.TextElement):
            if f"{run_id}-" in (node.rawsource or ""):
                node.rawsource = template_labels(node.rawsource, run_id)


class RunLabelsInTranslations(Transform):
    """A translated paragraph refers to the template's label (``fig-x``): pointed back to the
    run's own figure (``<run id>-fig-x``) when the chapter has it."""

    default_priority = 25  # after Sphinx's Locale transform (20)

    def apply(self, **kwargs) -> None:
        from sphinx import addnodes

        run_id = _RUN_OF.get(self.document.settings.env.docname)
        if not run_id:
            return
        for ref in self.document.findall(addnodes.pending_xref):
            target = ref.get("reftarget", "")
            if ref.get("refdomain") != "std" or ref.get("reftype") not in ("numref", "ref"):
                continue
            scoped = f"{run_id}-{target}"
            if not target.startswith(f"{run_id}-") and scoped in self.document.nameids:
                ref["reftarget"] = scoped


class OutputsAreNotTranslated(Transform):
    """What a chapter's code wrote (its outputs) is already in the edition's language: the run
    had ``lang`` as a parameter. Only the Markdown of the template goes to the catalogs; so do
    pages, but not the pages the build generates (:data:`GENERATED_PREFIX`, also where a page
    includes one), nor a chapter's title and its link to its run details, which the runner
    writes per run in the edition's language."""

    default_priority = 10  # before Sphinx's Locale transform (20) and the gettext builder

    def apply(self, **kwargs) -> None:
        env = self.document.settings.env
        generated = env.docname.startswith(GENERATED_PREFIX)
        for node in self.document.findall(nodes.TextElement):
            if "/_generated/" in (node.source or ""):  # a generated page included in a page
                node["translatable"] = False
        for container in self.document.findall(nodes.container):
            if generated or "cell_output" in container.get("classes", ()):
                for node in container.findall(nodes.TextElement):
                    # A figure's caption is the template's (cell metadata mystnb.figure.caption)
                    if generated or not _in_caption(node):
                        node["translatable"] = False
        if generated:
            for node in self.document.findall(nodes.TextElement):
                node["translatable"] = False
        if env.docname in _TEMPLATE_OF:  # written per run, in the edition's language
            title = next(self.document.findall(nodes.title), None)
            if title is not None:
                title["translatable"] = False
            for node in self.document.findall(nodes.paragraph):
                if RUN_DETAILS_TARGET in node.rawsource:
                    node["translatable"] = False


def _in_caption(node: nodes.Node) -> bool:
    while node is not None:
        if isinstance(node, nodes.caption):
            return True
        node = node.parent
    return False


# --------------------------------------------------------------------------- glued numbers
def localise_number(text: str, lang: str) -> str:
    """Python-formatted digits (``-1,250,000.50``) with ``lang``'s group, decimal and minus signs."""
    from analysis.i18n import BABEL_LOCALES

    locale = BABEL_LOCALES.get(lang or "en", lang or "en")
    group, point = get_group_symbol(locale), get_decimal_symbol(locale)
    minus = get_minus_sign_symbol(locale)
    swapped = "".join(
        group if c == "," else point if c == "." else minus if c == "-" else c for c in text
    )
    return swapped


def format_glued(plain: str, spec: str, lang: str) -> str:
    """A glued ``text/plain`` value formatted by ``spec`` in the edition's number format."""
    text = format_plain_text(plain, spec)
    if NUMBER_SPEC.match(spec):
        return localise_number(text, lang)
    return text


class EditionTextRole(PasteTextRole):
    """``{glue:text}`key:spec``` in either edition, in a notebook's own Markdown or in its
    translation (see the module docstring). Cross-document references (``doc::key``) are left to
    MyST-NB."""

    def run(self):
        key, _, spec = self.text.rpartition(":") if ":" in self.text else (self.text, "", "s")
        if not key:
            key, spec = self.text, "s"
        if "::" in key:
            return super().run()
        env = self.document.settings.env
        try:
            data = retrieve_glue_data(self.document, key).data
        except RetrievalError:
            data = (
                _glue_cache(env.mystnb_config.output_folder, env.docname).get(key, {}).get("data")
            )
            if data is None:
                return [], [
                    glue_warning(
                        f"No key {key!r} found in glue data for this document.",
                        self.document,
                        self.line,
                    )
                ]
        if "text/plain" not in data:
            return [], [
                glue_warning(f"No text/plain found in {key!r} data", self.document, self.line)
            ]
        try:
            text = format_glued(data["text/plain"], spec, env.config.language or "en")
        except Exception as exc:  # the same message as MyST-NB's role
            return [], [
                glue_warning(f"Failed to format text/plain data: {exc}", self.document, self.line)
            ]
        node = nodes.inline(text, text, classes=["pasted-text"])
        self.set_source_info(node)
        return [node], []


def _glue_cache(folder: str, docname: str) -> dict:
    read_glue_cache.cache_clear()  # MyST-NB caches three documents; a rebuild rewrites them
    return read_glue_cache(folder, docname)


class EditionGlueDomain(NbGlueDomain):
    roles = {**NbGlueDomain.roles, "text": EditionTextRole()}


# --------------------------------------------------------------------------- Sphinx's own words
def N_(message: str) -> str:
    """Mark a message for the code's catalogs (``analysis/locale``, catalog ``ext.translation``)."""
    return message


#: Messages of Sphinx's search page that its own Indonesian catalog (Sphinx 7.4) leaves empty, so
#: that the search page would show no summary line at all.
SPHINX_JS_MESSAGES = (
    N_("Search finished, found ${resultCount} page(s) matching the search query."),
)


def fill_sphinx_js(app) -> None:
    """Give the search page the messages Sphinx's catalog of the edition's language lacks.

    Sphinx copies ``locale/<lang>/LC_MESSAGES/sphinx.js`` from the first of ``locale_dirs`` that
    has one, then from its own package: a copy of its own with the empty messages filled from
    the code's catalogs is put first, outside the built site.
    """
    import sphinx

    from analysis.i18n import LANGUAGES, translations

    lang = app.config.language or "en"
    if lang == "en" or lang not in LANGUAGES or app.builder.format != "html":
        return
    source = Path(sphinx.__file__).parent / "locale" / lang / "LC_MESSAGES" / "sphinx.js"
    if not source.is_file():
        return
    text = source.read_text(encoding="utf-8")
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for message in SPHINX_JS_MESSAGES:
        if not data["messages"].get(message):
            data["messages"][message] = translations(lang).gettext(message)
    folder = Path(app.outdir).parent / "sphinx-js-translations"
    target = folder / lang / "LC_MESSAGES" / "sphinx.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(data, ensure_ascii=False, indent=4, sort_keys=True)
    target.write_text(f"Documentation.addTranslations({body});\n", encoding="utf-8")
    app.config.locale_dirs = [str(folder), *app.config.locale_dirs]


@lru_cache(maxsize=1)
def _installed() -> bool:
    install_catalog_domains()
    return True


def keep_edition_outputs(app, docname: str, source: list[str]) -> None:
    """``source-read``: a notebook with outputs marked by language keeps only those of the edition
    being built (``language``) and the unmarked ones. Other documents are left as they are."""
    from analysis.i18n import OUTPUT_KEY, SOURCE_LANGUAGE, edition_outputs, output_language

    if not str(app.env.doc2path(docname)).endswith(".ipynb") or OUTPUT_KEY not in source[0]:
        return
    try:
        notebook = json.loads(source[0])
    except ValueError:
        return  # MyST-NB reports what is wrong with it
    cells = notebook.get("cells", [])
    if not any(output_language(o) for c in cells for o in c.get("outputs", [])):
        return
    source[0] = json.dumps(edition_outputs(notebook, app.config.language or SOURCE_LANGUAGE))


def setup(app):
    _installed()
    app.connect("source-read", keep_edition_outputs)
    app.add_domain(EditionGlueDomain, override=True)
    app.add_transform(OutputsAreNotTranslated)
    app.add_transform(TemplateLabelsInMessages)
    app.add_transform(RunLabelsInTranslations)
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", fill_sphinx_js)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
