"""The data-dictionary appendix in the edition's language: the descriptor's tables for readers.

:mod:`analysis.data.dictionary` reshapes ``data/datapackage.json`` into tables under English
column names, with no words for readers. Here those tables are shown in the edition's language
(``lang``): headers, editions, yes/no, units, titles, check results and the contract's meanings
and descriptions translated; identifiers (paths, column names, types, allowed values, hashes)
stay as they are, and a researcher's own titles and descriptions stay as written.
"""

from __future__ import annotations

import pandas as pd

from analysis.data import dictionary as data
from analysis.data.contract import (
    ALL_FILES,
    COMPANION_LANGUAGES,
    EDITION_LABELS,
    companion,
    file_spec,
)
from analysis.i18n import N_, SOURCE_LANGUAGE
from analysis.literal import markdown_code, markdown_with_code
from analysis.report import brief
from analysis.report.parts import Part, Table, Text
from analysis.report.words import Words

#: Column headers of the appendix's tables, translated where shown (:func:`header`).
HEADERS = {
    "file": N_("file"),
    "title": N_("title"),
    "edition": N_("edition"),
    "licence": N_("licence"),
    "columns": N_("columns"),
    "column": N_("column"),
    "type": N_("type"),
    "unit": N_("unit"),
    "required": N_("required"),
    "allowed values": N_("allowed values"),
    "meaning": N_("meaning"),
    "sha256 check": N_("sha256 check"),
}
#: Values of the appendix's tables that are words for readers (not data).
VALUES = {
    "required": {"yes": N_("yes"), "no": N_("no")},
    "unit": {
        "year": N_("year"),
        "percent": N_("percent"),
        "Rupiah": N_("Rupiah"),
        "Rupiah per month": N_("Rupiah per month"),
        "see column unit": N_("see column unit"),
    },
    "sha256 check": {
        "matches": N_("matches"),
        "CHANGED since described": N_("CHANGED since described"),
        "missing": N_("missing"),
        "not described": N_("not described"),
    },
}
#: Names of the languages of companion columns, translated where shown.
LANGUAGE_NAMES = {"id": N_("Indonesian"), "en": N_("English")}
#: How the descriptor marks an illustrative file's title ("Illustrative: Codebook").
ILLUSTRATIVE_PREFIX = "Illustrative: "
ILLUSTRATIVE_TITLE = N_("Illustrative: {title}")
_TITLES = {spec.title for spec in ALL_FILES}


# --------------------------------------------------------------------------- words
def header(name: str, lang: str) -> str:
    """A column header of the appendix's tables in ``lang`` (``header("file", "id")``)."""
    return Words(lang)._(HEADERS[name]) if name in HEADERS else name


def descriptor_text(text, lang: str) -> str:
    """A title or description the project wrote into the descriptor (a source, a licence, a file
    outside the contract: :data:`analysis.data.datapackage.DESCRIPTOR_TEXTS`) in ``lang``; any
    other text (a researcher's own) stays as it is."""
    from analysis.data.datapackage import DESCRIPTOR_TEXTS

    text = str(text)
    return Words(lang)._(text) if text in DESCRIPTOR_TEXTS else text


def file_title(title, lang: str) -> str:
    """A file's title from the descriptor in ``lang``; a title the contract does not declare (a
    researcher's own) stays as it is."""
    w, title = Words(lang), str(title)
    if title in _TITLES:
        return w._(title)
    rest = title.removeprefix(ILLUSTRATIVE_PREFIX)
    if rest != title and rest in _TITLES:
        return w._(ILLUSTRATIVE_TITLE).format(title=w._(rest))
    return descriptor_text(title, lang)


def readable(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table of :mod:`analysis.data.dictionary` as readers of ``lang`` read it.

    Headers and words are translated; identifiers (paths, column names, types, allowed values,
    hashes) stay as they are. In English the cells are unchanged.
    """
    w, out = Words(lang), frame.copy()
    if "edition" in out:
        out["edition"] = out["edition"].map(
            lambda v: w._(EDITION_LABELS[v]) if v in EDITION_LABELS else v
        )
    if "title" in out:
        out["title"] = out["title"].map(lambda v: file_title(v, lang))
    for column, words in VALUES.items():
        if column in out:
            out[column] = out[column].map(lambda v, m=words: w._(m[v]) if v in m else v)
    return out.rename(columns={c: header(c, lang) for c in out.columns})


def companion_meaning(base: str, column_lang: str, lang: str) -> str:
    """What a companion column (``base`` in ``column_lang``) holds, in ``lang``."""
    w = Words(lang)
    return w._(
        "{language} text of `{column}` for the {lang} edition; an empty cell shows the text of "
        "`{column}`."
    ).format(
        language=w._(LANGUAGE_NAMES.get(column_lang, column_lang)), column=base, lang=column_lang
    )


def meaning(field: dict, resource: str | None, lang: str) -> str:
    """A column's meaning in ``lang``: the contract's description translated when the descriptor
    has it as the contract declares it (a researcher's own stays as written)."""
    base, column_lang = field.get("x-translation-of"), field.get("x-language")
    if base and column_lang:
        return companion_meaning(base, column_lang, lang)
    text = field.get("description", "")
    try:
        declared = file_spec(str(resource)).field(field.get("name", "")).description
    except KeyError:
        return descriptor_text(text, lang)  # a file outside the contract (the boundaries)
    return Words(lang)._(text) if text == declared else text


def fields_table(descriptor: dict, name: str, lang: str) -> pd.DataFrame:
    """:func:`analysis.data.dictionary.fields_table` with each meaning in ``lang`` (its names
    marked as code), under English column names."""
    frame = data.fields_table(descriptor, name)
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    frame["meaning"] = [
        data.as_code(meaning(field, name, lang)) for field in resource["schema"]["fields"]
    ]
    return frame


def companion_note(descriptor: dict, lang: str) -> str:
    """Markdown in ``lang``: which columns may carry their text in another language, and how.

    Names the translatable columns (``x-translatable``) of every described file; empty when no
    file has one.
    """
    w, lines = Words(lang), []
    for resource in descriptor.get("resources", []):
        fields = resource.get("schema", {}).get("fields", [])
        names = [f["name"] for f in fields if f.get("x-translatable")]
        if names:
            columns = ", ".join(markdown_code(n) for n in names)  # names from the descriptor
            lines.append(f"- {markdown_code(resource['path'])}: {columns}")
    if not lines:
        return ""
    column_lang = COMPANION_LANGUAGES[0]
    intro = w._(
        "Text that readers see may come in two languages. Beside a translatable column a file may "
        "have a companion column named after the column and the language, such as `{example}` "
        "for the {language} text of `{column}`; an empty cell in it shows the English text. A "
        "companion column of any other column, or in another language, is an error. The "
        "{language} edition of the book shows the companion text, the English edition the "
        "column itself. The translatable columns:"
    ).format(
        example=companion("place", column_lang),
        language=w._(LANGUAGE_NAMES.get(column_lang, column_lang)),
        column="place",
    )
    return intro + "\n\n" + "\n".join(lines)


def file_description(resource: dict, lang: str, *, with_note: bool = True) -> str:
    """A resource's description in ``lang``: the edition's note and the contract's description of
    the file, each translated when it is the one the descriptor was written with (a researcher's
    own description stays as it is). ``with_note=False`` leaves the edition's note out (the
    appendix's table of files names every file's edition)."""
    from analysis.data.datapackage import EDITION_NOTES

    w, text = Words(lang), str(resource.get("description", ""))
    note = next((n for n in EDITION_NOTES.values() if text.startswith(n)), "")
    rest = text[len(note) :]
    shown = text if with_note else rest
    if lang == SOURCE_LANGUAGE:
        return shown
    try:
        spec = file_spec(str(resource.get("name", "")))
    except KeyError:
        return descriptor_text(shown, lang)  # a file outside the contract (the boundaries)
    if rest != spec.description:
        return shown
    return (w._(note).strip() + " " if note and with_note else "") + w._(spec.description)


def file_heading(resource: dict) -> str:
    """The bold heading of a file's section: its path as code (the path is the descriptor's)."""
    return f"**{markdown_code(resource.get('path', ''))}**"


# --------------------------------------------------------------------------- what the chapter shows
#: The editions of the data files as the brief counts them ("7 illustrative, generated by ...").
EDITION_COUNTS = {
    "real": N_("{n} real (published BPS figures, each row with its source)"),
    "illustrative": N_("{n} illustrative (generated by the project's seeded code)"),
    "field": N_("{n} field (the researcher's own data)"),
    "published": N_("{n} published (the studies' own facts: titles, designs, claims)"),
}
#: The section the brief points to: the template's heading, whose Indonesian is the chapter
#: catalog's (``locales/id/LC_MESSAGES/chapters/data_dictionary.po``).
SECTIONS = {"columns": N_("The columns of each file")}


def in_brief(descriptor: dict, status: pd.DataFrame, *, lang: str) -> list[Part]:
    """The appendix in brief: how many files of each edition the data package describes, whether
    every file still has its recorded sha256 (``status``:
    :func:`analysis.data.dictionary.hash_status`), what a description cannot say, and where to
    read more. Every number is one the chapter records."""
    w = Words(lang)
    files = data.files_table(descriptor)
    editions = files["edition"].value_counts()
    each = [
        w._(EDITION_COUNTS[kind]).format(n=w.integer(editions[kind]))
        if kind in EDITION_COUNTS
        else f"{w.integer(editions[kind])} {w._(EDITION_LABELS.get(kind, str(kind)))}"
        for kind in dict.fromkeys(files["edition"])
    ]
    described = w.ngettext(
        "The data package describes {n} file: {each}.",
        "The data package describes {n} files: {each}.",
        len(files),
    ).format(n=w.integer(len(files)), each=w.conjunction(each))
    changed = int((status["sha256 check"] != "matches").sum())
    check = (
        w._(
            "Every file still has the sha256 the descriptor records: the data have not changed "
            "since they were described."
        )
        if not changed
        else w.ngettext(
            "**{n} file** differs from its description (the check below names it).",
            "**{n} files** differ from their description (the check below names them).",
            changed,
        ).format(n=w.integer(changed))
    )
    cannot = w._(
        "The dictionary gives each column's type, unit and meaning, not whether its values are "
        "right: `python -m analysis validate DIR` checks a folder against it."
    )
    pointers = [(w._("every file's columns"), SECTIONS["columns"])]
    return [brief.block([described, check, cannot, brief.read_more(pointers, w)], w)]


def files(descriptor: dict, *, lang: str) -> list[Part]:
    """The table of the data files: path, title, edition, licence, columns, sha256. A title
    does not repeat the file's edition ("Illustrative: Codebook"): the edition column says it."""
    table = data.files_table(descriptor)
    table["title"] = [
        str(title).removeprefix(ILLUSTRATIVE_PREFIX) if edition == "illustrative" else title
        for title, edition in zip(table["title"], table["edition"])
    ]
    return [Table(readable(table, lang), {"code": (header("file", lang),)})]


def hash_check(status: pd.DataFrame, *, lang: str) -> list[Part]:
    """Whether each file still has the sha256 the descriptor records
    (:func:`analysis.data.dictionary.hash_status`)."""
    return [Table(readable(status, lang), {"code": (header("file", lang),)})]


def columns(descriptor: dict, *, lang: str) -> list[Part]:
    """The columns of each file: which columns may come in two languages, then for every file
    its heading, its description (literal text, its backtick-quoted names as code; the edition's
    note left out, the table of files names it) and the table of its columns."""
    parts: list[Part] = [Text(companion_note(descriptor, lang))]
    for resource in descriptor["resources"]:
        description = markdown_with_code(file_description(resource, lang, with_note=False))
        parts += [
            Text(file_heading(resource) + "\n\n" + description),
            Table(
                readable(fields_table(descriptor, resource["name"], lang), lang),
                {
                    "code": (header("column", lang),),
                    "markup": (header("allowed values", lang), header("meaning", lang)),
                },
            ),
        ]
    return parts
