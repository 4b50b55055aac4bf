"""The language of what the code writes: labels, generated sentences, table headers, figure text.

The book has two editions, English (the source language) and Indonesian. Prose of the pages and
of the chapters' Markdown cells is translated by Sphinx (``locales/``); everything that Python
writes is translated here, with gettext catalogs kept as ``.po`` files in
``analysis/locale/<lang>/LC_MESSAGES/<catalog>.po`` (one catalog per module, so that translators
of different modules never edit the same file). Every chapter run has a ``lang`` parameter and
calls :func:`use_language` first; numbers follow the language through
:func:`analysis.formatting.current_locale`.

Marking strings::

    from analysis.i18n import N_, _, ngettext

    _("Poor population (%)")                   # translated now
    ngettext("{n} informant", "{n} informants", n).format(n=n)
    LABELS = {"resident": N_("Resident")}      # marked for extraction, translated when shown: _(LABELS[k])

Placeholders are ``str.format`` fields with names (``{area}``), never positional, so that a
translation may reorder them. ``python -m analysis translations update`` extracts the marked
strings and merges them into the catalogs; ``python -m analysis translations check`` (and a unit
test) fails when a catalog lacks a translation of a current string.

The catalogs are read with Babel (no compiled ``.mo`` file is stored): fuzzy entries are ignored,
and a string without a translation is shown in English.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import io
from functools import lru_cache
from pathlib import Path

#: Languages of the editions, the source language first.
LANGUAGES = ("en", "id")
SOURCE_LANGUAGE = "en"
#: Babel / CLDR locale of each language: digits, separators, month names.
BABEL_LOCALES = {"en": "en", "id": "id_ID"}
#: Where the catalogs live: LOCALE_DIR / lang / "LC_MESSAGES" / "<catalog>.po".
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_STATE = {"lang": SOURCE_LANGUAGE}


class LanguageError(ValueError):
    """A language the book has no edition in."""


def check_language(lang: str) -> str:
    """``lang`` if the book has an edition in it; otherwise a LanguageError naming the choices."""
    if lang not in LANGUAGES:
        raise LanguageError(
            f"lang: {lang!r} is not a language of the book; expected one of {', '.join(LANGUAGES)}"
        )
    return lang


def catalog_files(lang: str, locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The ``.po`` catalogs of ``lang``, sorted (empty for the source language)."""
    if lang == SOURCE_LANGUAGE:
        return []
    return sorted((Path(locale_dir) / lang / "LC_MESSAGES").glob("*.po"))


@lru_cache(maxsize=8)
def translations(lang: str, locale_dir: Path = LOCALE_DIR) -> _gettext.NullTranslations:
    """All catalogs of ``lang`` as one gettext translation (English passes through unchanged).

    Each ``.po`` file is read with Babel and compiled in memory; fuzzy entries are left out. A
    message translated in two catalogs takes the first catalog's translation (a unit test keeps
    them consistent).
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    check_language(lang)
    merged: _gettext.NullTranslations = _gettext.NullTranslations()
    for path in reversed(catalog_files(lang, locale_dir)):  # the first file ends up in front
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=BABEL_LOCALES[lang], domain=path.stem)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        current = _gettext.GNUTranslations(buffer)
        current.add_fallback(merged)
        merged = current
    return merged


def use_language(lang: str) -> None:
    """Write everything that follows in ``lang`` (``"en"`` or ``"id"``): a chapter's first call."""
    _STATE["lang"] = check_language(lang)


@contextlib.contextmanager
def in_language(lang: str):
    """Write in ``lang`` inside the ``with`` block, then in the language before it."""
    before = language()
    use_language(lang)
    try:
        yield
    finally:
        use_language(before)


def language() -> str:
    """The language chapters are being written in now."""
    return _STATE["lang"]


def babel_locale(lang: str | None = None) -> str:
    """Babel's locale identifier for ``lang`` (default: the current language)."""
    return BABEL_LOCALES[check_language(lang or language())]


def gettext(message: str) -> str:
    """``message`` in the current language (itself when there is no translation)."""
    if not message:
        return message
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for the count ``n``, in the current language."""
    return translations(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart from the same English word elsewhere."""
    return translations(language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (labels in tables of
    constants); it is translated where it is shown, with :func:`gettext`."""
    return message


_ = gettext


# --------------------------------------------------------------------------- outputs by edition
#: Key of an output's metadata saying which edition's language it is in
#: (``{"poverty_book": {"lang": "id"}}``), written by :mod:`analysis.chapter` when a chapter is
#: executed once for every edition. An output without it (a glued value, a log line) belongs
#: to every edition.
OUTPUT_KEY = "poverty_book"


def output_language(output: dict) -> str | None:
    """The edition language an output of an executed notebook is in, or None (every edition)."""
    marker = (output.get("metadata") or {}).get(OUTPUT_KEY) or {}
    return marker.get("lang") if isinstance(marker, dict) else None


def edition_outputs(notebook: dict, lang: str) -> dict:
    """The notebook (a dict as ``json.load`` or nbformat reads it) with only the outputs of the
    edition ``lang`` and those of every edition: what a reader of that edition sees.

    A pure function: the notebook given is not changed; no code is executed.
    """
    import copy

    kept = copy.deepcopy(notebook)
    for cell in kept.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                o for o in cell.get("outputs", []) if output_language(o) in (None, lang)
            ]
    return kept


__all__ = [
    "BABEL_LOCALES",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "OUTPUT_KEY",
    "SOURCE_LANGUAGE",
    "LanguageError",
    "_",
    "babel_locale",
    "catalog_files",
    "check_language",
    "edition_outputs",
    "gettext",
    "in_language",
    "language",
    "ngettext",
    "output_language",
    "pgettext",
    "translations",
    "use_language",
]
