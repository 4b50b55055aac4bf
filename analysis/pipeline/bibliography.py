"""Each edition's bibliography from the one ``book/references.bib``.

An entry states its words once per language, as the registry does with its ``COLUMN@id``
columns: ``howpublished`` in English and ``howpublished_id`` in Indonesian (any field:
``note_id``, ``title_id``, ``type_id``, ``year_id`` for "t.t." where English writes "n.d.").
The Indonesian edition's staged copy of the file (:func:`edition_bibliography`) takes the
``_id`` forms in place of the English ones; a field without one stays as written (titles of
works are cited as published).
"""

from __future__ import annotations

from pathlib import Path

from pybtex.database import parse_string

from analysis.i18n import LANGUAGES

BIBLIOGRAPHY = Path("book") / "references.bib"


def _suffixes() -> tuple[str, ...]:
    return tuple(f"_{lang}" for lang in LANGUAGES)


def edition_bibliography(text: str, lang: str) -> str:
    """``text`` (a BibTeX file) as the edition ``lang`` cites it: every ``FIELD_<lang>`` replaces
    ``FIELD``, and the other editions' fields are dropped."""
    database = parse_string(text, "bibtex")
    own = f"_{lang}"
    for entry in database.entries.values():
        fields = entry.fields
        for name in list(fields.keys()):
            if name.lower().endswith(own):
                fields[name[: -len(own)]] = fields[name]
        for name in list(fields.keys()):
            if name.lower().endswith(_suffixes()):
                del fields[name]
    return database.to_string("bibtex")


def stage_bibliography(source: Path, lang: str) -> None:
    """Rewrite the staged ``source/book/references.bib`` for the edition ``lang``."""
    path = Path(source) / BIBLIOGRAPHY
    if path.is_file():
        path.write_text(edition_bibliography(path.read_text(encoding="utf-8"), lang), "utf-8")


__all__ = ["edition_bibliography", "stage_bibliography"]
