"""A Sphinx extension for readers who do not see the page, or do not use a mouse.

Loaded by ``_config.yml`` (``sphinx.local_extensions``); checked by axe-core with the WCAG 2.2 A
and AA rules over every page of both editions at two widths (``tests/book/test_accessibility.py``,
what it checks is said on ``book/pages/accessibility.md``).

- Figures say what they show: a chapter displays a figure with its text alternative in the
  output's metadata (``analysis.chapter.figure(..., alt=...)``, ``{"image/png": {"alt": ...}}``).
  myst-nb 1.x takes only ``width`` and ``height`` from there, and its image node would get the
  file's path as ``alt``; :func:`figure_alt_text` reads the notebook and gives each image the
  ``alt`` of the output it was made from (matched by the sha256 of the image, which is the file
  name myst-nb writes). The HTML writer escapes it as any attribute.
- Bibliography entries are list items: docutils gives each one the role ``doc-biblioentry``
  (deprecated in DPUB-ARIA 1.1), which is not an item of the ``role="list"`` around them, so
  assistive technology did not read them as a list.
- The theme's colour-mode button: its three icons carry ``title``s ("Light", "Dark", ...) that
  axe reads as visible text not in the button's name; ``templates/a11y/theme-switcher.html``
  hides the icons from assistive technology (the button's name stays "Color mode").
- ``static/accessibility.js``: glossary definitions (``reader.py`` puts them in the term link's
  ``title``, which only a mouse can show) appear when the term is hovered or reached with the
  keyboard, stay while hovered, go with Escape, and are the link's description
  (``aria-describedby``) for a screen reader.
- The language switch keeps its name on a phone: ``static/reader.css`` hides its text from view
  there, not from a screen reader (the theme's tooltip takes the link's ``title`` away).
- ``static/accessibility.css``: the glossary tooltips' look.
"""

from __future__ import annotations

import hashlib
import json
import os
import types
from binascii import a2b_base64
from pathlib import Path

from docutils import nodes

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates" / "a11y"
#: Output types whose images myst-nb writes to a file named by the sha256 of the bytes below.
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")


def _image_bytes(mime_type: str, content) -> bytes:
    """The bytes myst-nb hashes for an image output (``NbElementRenderer.render_image``)."""
    if isinstance(content, list):
        content = "".join(content)
    if mime_type == "image/svg+xml":
        return os.linesep.join(content.splitlines()).encode("utf-8")
    return a2b_base64(content)


def notebook_alt_texts(notebook: dict) -> dict[str, str]:
    """sha256 of each image output of ``notebook`` (nbformat 4 as JSON) -> its ``alt`` metadata."""
    texts: dict[str, str] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data, metadata = output.get("data") or {}, output.get("metadata") or {}
            for mime_type in IMAGE_TYPES:
                alt = (metadata.get(mime_type) or {}).get("alt")
                if mime_type in data and isinstance(alt, str) and alt.strip():
                    digest = hashlib.sha256(_image_bytes(mime_type, data[mime_type])).hexdigest()
                    texts[digest] = " ".join(alt.split())
    return texts


def set_alt_texts(doctree: nodes.Node, texts: dict[str, str]) -> int:
    """Give every image of ``doctree`` made from a notebook output its ``alt``; return how many."""
    count = 0
    for image in doctree.findall(nodes.image):
        digest = Path(str(image.get("uri", ""))).stem
        if digest in texts and not image.get("alt"):
            image["alt"] = texts[digest]
            count += 1
    return count


def figure_alt_text(app, doctree) -> None:
    """doctree-read: the alt text of a notebook's figures, from their outputs' metadata."""
    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix != ".ipynb" or not source.is_file():
        return
    try:
        notebook = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    set_alt_texts(doctree, notebook_alt_texts(notebook))


class CitationListItems:
    """HTML translator mixin: bibliography entries as ``listitem``s of their ``role="list"``."""

    def visit_citation(self, node):
        super().visit_citation(node)
        self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def citation_list_items(app) -> None:
    """builder-inited: mix :class:`CitationListItems` into the HTML translator (the one another
    extension registered, pydata-sphinx-theme's, or the builder's default)."""
    if app.builder.format != "html":
        return
    name = app.builder.name
    base = app.registry.translators.get(name) or getattr(
        app.builder, "default_translator_class", None
    )
    if base is None or issubclass(base, CitationListItems):
        return
    translator = types.new_class("AccessibleHTMLTranslator", (CitationListItems, base), {})
    app.set_translator(name, translator, override=True)


def add_templates(app, config) -> None:
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def add_static(app) -> None:
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("doctree-read", figure_alt_text)
    app.connect("config-inited", add_templates)
    app.connect("builder-inited", citation_list_items, priority=400)
    app.connect("builder-inited", add_static)
    app.add_css_file("accessibility.css")
    app.add_js_file("accessibility.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
