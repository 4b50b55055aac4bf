"""The data-dictionary appendix: tables generated from ``data/datapackage.json``.

The descriptor is the single description of the data (built from :mod:`analysis.data.contract` by
:mod:`analysis.data.datapackage`); the appendix only reshapes it for readers.

:func:`files_table`, :func:`fields_table` and :func:`hash_status` return the descriptor's
content under English column names (what the chapter records and the tests read);
:func:`readable` gives the same table as a reader of the current language reads it (headers,
editions, yes/no, units, titles, check results translated; identifiers stay as they are).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from analysis.data.contract import (
    ALL_FILES,
    COMPANION_LANGUAGES,
    companion,
    edition_label,
    file_spec,
)
from analysis.data.datapackage import DESCRIPTOR, check_hashes
from analysis.i18n import N_, SOURCE_LANGUAGE, language
from analysis.i18n import gettext as _
from analysis.literal import markdown_code, markdown_with_code

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


def header(name: str) -> str:
    """A column header of the appendix's tables in the current language (``header("file")``)."""
    return _(HEADERS[name]) if name in HEADERS else name


def file_title(title) -> str:
    """A file's title from the descriptor in the current language; a title the contract does not
    declare (a researcher's own) stays as it is."""
    title = str(title)
    if title in _TITLES:
        return _(title)
    rest = title.removeprefix(ILLUSTRATIVE_PREFIX)
    if rest != title and rest in _TITLES:
        return _(ILLUSTRATIVE_TITLE).format(title=_(rest))
    return title


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of this module as readers of the current language read it.

    Headers and words are translated (pass ``header("file")`` etc. to ``table(code=...)``);
    identifiers (paths, column names, types, allowed values, hashes) stay as they are. In English
    the cells are unchanged.
    """
    out = frame.copy()
    if "edition" in out:
        out["edition"] = out["edition"].map(lambda v: edition_label(v) if v else v)
    if "title" in out:
        out["title"] = out["title"].map(file_title)
    for column, words in VALUES.items():
        if column in out:
            out[column] = out[column].map(lambda v, w=words: _(w[v]) if v in w else v)
    return out.rename(columns={c: header(c) for c in out.columns})


def companion_meaning(base: str, lang: str) -> str:
    """What a companion column holds (the sentence datapackage.json writes, in the current
    language)."""
    return _(
        "{language} text of `{column}` for the {lang} edition; an empty cell shows the text of "
        "`{column}`."
    ).format(language=_(LANGUAGE_NAMES.get(lang, lang)), column=base, lang=lang)


def _meaning(field: dict, resource: str | None = None) -> str:
    """A column's meaning in the current language: the contract's description translated when
    the descriptor has it as the contract declares it (a researcher's own stays as written)."""
    base, lang = field.get("x-translation-of"), field.get("x-language")
    if base and lang:
        return companion_meaning(base, lang)
    text = field.get("description", "")
    try:
        declared = file_spec(str(resource)).field(field.get("name", "")).description
    except KeyError:
        return text
    return _(text) if text == declared else text


def companion_note(descriptor: dict) -> str:
    """Markdown: which columns may carry their text in another language, and how.

    Names the translatable columns (``x-translatable``) of every described file; empty when no
    file has one.
    """
    lines = []
    for resource in descriptor.get("resources", []):
        fields = resource.get("schema", {}).get("fields", [])
        names = [f["name"] for f in fields if f.get("x-translatable")]
        if names:
            columns = ", ".join(markdown_code(n) for n in names)  # names from the descriptor
            lines.append(f"- {markdown_code(resource['path'])}: {columns}")
    if not lines:
        return ""
    lang = COMPANION_LANGUAGES[0]
    intro = _(
        "Text that readers see may come in two languages. Beside a translatable column a file may "
        "have a companion column named after the column and the language, such as `{example}` "
        "for the {language} text of `{column}`; an empty cell in it shows the English text. A "
        "companion column of any other column, or in another language, is an error. The "
        "{language} edition of the book shows the companion text, the English edition the "
        "column itself. The translatable columns:"
    ).format(
        example=companion("place", lang),
        language=_(LANGUAGE_NAMES.get(lang, lang)),
        column="place",
    )
    return intro + "\n\n" + "\n".join(lines)


def read(data_dir: str | Path) -> dict:
    """The Frictionless descriptor of a data directory."""
    path = Path(data_dir) / DESCRIPTOR
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no data package descriptor (python -m analysis datapackage DIR writes one)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def files_table(descriptor: dict) -> pd.DataFrame:
    """One row a data file: path, title, edition, licence, sha256 (first 12 hex digits)."""
    rows = []
    for resource in descriptor.get("resources", []):
        licences = ", ".join(lic.get("name", "") for lic in resource.get("licenses", []))
        rows.append(
            {
                "file": resource["path"],
                "title": resource.get("title", ""),
                "edition": resource.get("edition", ""),
                "licence": licences,
                "rows described": len(resource.get("schema", {}).get("fields", [])),
                "sha256": resource.get("hash", "").removeprefix("sha256:")[:12],
            }
        )
    frame = pd.DataFrame(rows)
    return frame.rename(columns={"rows described": "columns"})


#: A name as a program writes it (a column, a stored value): ``income_before``, ``p0``.
_CODE_NAME = re.compile(r"(?<![\w`/.])([a-z][a-z0-9]*(?:_[a-z0-9]+)+|p[012])(?![\w`])")


_PATH = re.compile(r"(?<![\w`])((?:[\w.-]+/)+[\w.-]+\.[a-z]+)(?![\w`])")


def as_code(text: str) -> str:
    """``text`` with file paths and snake_case names (and p0, p1, p2) between backticks."""
    return _CODE_NAME.sub(r"`\1`", _PATH.sub(r"`\1`", str(text)))


def fields_table(descriptor: dict, name: str) -> pd.DataFrame:
    """The columns of one resource: name, type, unit, required, allowed values, meaning.

    Column names, allowed values and the names a meaning mentions are marked as code
    (between backticks): the chapter shows them as code (``table(..., code=("column",),
    markup=("allowed values", "meaning"))``), since they are what a data file holds.
    """
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    rows = []
    for field in resource["schema"]["fields"]:
        constraints = field.get("constraints", {})
        allowed = ", ".join(f"`{v}`" for v in constraints.get("enum", []))
        bounds = [
            f"≥ {constraints['minimum']}" if "minimum" in constraints else "",
            f"≤ {constraints['maximum']}" if "maximum" in constraints else "",
        ]
        rows.append(
            {
                "column": field["name"],
                "type": field["type"],
                "unit": field.get("unit") or "",
                "required": "yes" if constraints.get("required") else "no",
                "allowed values": allowed or " ".join(b for b in bounds if b),
                "meaning": as_code(_meaning(field, name)),
            }
        )
    return pd.DataFrame(rows)


def hash_status(data_dir: str | Path, descriptor: dict) -> pd.DataFrame:
    """Whether each file still has the sha256 the descriptor records."""
    check = check_hashes(data_dir, descriptor)
    status = {
        "matches": check.matching,
        "CHANGED since described": check.changed,
        "missing": check.missing,
        "not described": check.undescribed,
    }
    rows = [
        {"file": path, "sha256 check": label} for label, paths in status.items() for path in paths
    ]
    return pd.DataFrame(rows, columns=["file", "sha256 check"]).sort_values(
        "file", ignore_index=True
    )


def file_description_markdown(resource: dict) -> str:
    """:func:`file_description` as the chapter shows it: literal text (a researcher's own
    description is data), its backtick-quoted names as code."""
    return markdown_with_code(file_description(resource))


def file_heading(resource: dict) -> str:
    """The bold heading of a file's section: its path as code (the path is the descriptor's)."""
    return f"**{markdown_code(resource.get('path', ''))}**"


def file_description(resource: dict) -> str:
    """A resource's description in the current language: the edition's note and the contract's
    description of the file, each translated when it is the one the descriptor was written with
    (a researcher's own description stays as it is)."""
    from analysis.data.datapackage import FIELD_NOTE, ILLUSTRATIVE_NOTE

    text = str(resource.get("description", ""))
    if language() == SOURCE_LANGUAGE:
        return text
    note = next((n for n in (ILLUSTRATIVE_NOTE, FIELD_NOTE) if text.startswith(n)), "")
    rest = text[len(note) :]
    try:
        spec = file_spec(str(resource.get("name", "")))
    except KeyError:
        return text
    if rest != spec.description:
        return text
    return (_(note).strip() + " " if note else "") + _(spec.description)
