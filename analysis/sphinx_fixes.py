"""A Sphinx extension that keeps the book's HTML pages free of console errors.

Loaded by ``_config.yml`` (``sphinx.extra_extensions``); tests/test_built_book.py checks
every page in a browser for console errors.

- Sphinx 7.4 writes twice every inline script that an extension adds once the builder exists
  (sphinx-togglebutton's selector, sphinx-thebe's settings): the builder keeps it with file
  name ``None`` and adds it again from the registry with file name ``''``. The second
  ``const THEBE_JS_URL`` then throws "Identifier 'THEBE_JS_URL' has already been declared" on
  every page. The repeats are dropped from each page.
- pydata-sphinx-theme logs "Got invalid theme mode" to the console of a first-time reader
  unless the theme has a default mode: the book's is ``light`` (its figures are PNGs on white).
"""
from __future__ import annotations

DEFAULT_MODE = "light"


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


def setup(app):
    app.connect("config-inited", set_default_mode)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
