"""Message catalogs of the code: extract the marked strings, merge them into the ``.po`` files,
and check that every current string has a translation.

Strings are marked in ``analysis/**/*.py``, ``book/_ext/*.py`` and in the code cells of
``book/templates/*.ipynb``
with ``_()``, ``N_()``, ``gettext()``, ``ngettext()`` and ``pgettext()`` (:mod:`analysis.i18n`).
Each module has its own catalog, named by its dotted path below ``analysis`` (``methods.income``,
``data.contract``) or by its template (``templates.income``), so that two translators never edit
one file:

    python -m analysis translations update   # extract and merge into analysis/locale/*/LC_MESSAGES
    python -m analysis translations check    # exit 1, naming each missing or fuzzy entry

An English string that changed keeps its old translation marked *fuzzy* (Babel's merge); fuzzy
entries are not used, and ``check`` lists them until a translator confirms them.

Prose of the pages and of the templates' Markdown cells is translated by Sphinx, with catalogs
in ``locales/<lang>/LC_MESSAGES/{pages,chapters}/*.po`` (one per page and one per template,
``book/_ext/translation.py``). The same two commands keep them: ``update`` runs Sphinx's gettext
builder over the English book (the executed chapters in ``book/chapters/``) and merges with
``sphinx-intl update``; ``check`` lists every paragraph without a current translation and every
translation that lost a glued value, a glossary term or a citation of its English.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from analysis import i18n
from analysis.project import PROJECT_ROOT

PACKAGE_DIR = PROJECT_ROOT / "analysis"
TEMPLATES_DIR = PROJECT_ROOT / "book" / "templates"
EXTENSIONS_DIR = PROJECT_ROOT / "book" / "_ext"
#: Sphinx extensions whose words go through these catalogs (the others use Sphinx's own).
TRANSLATED_EXTENSIONS = ("reader.py", "translation.py", "titlepage.py")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
#: Modules left out of extraction (the translation functions themselves). Only marked strings
#: are extracted, so modules without any (most of the build machinery) get no catalog.
UNTRANSLATED = ("i18n",)
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?(?:[:!][^{}]*)?\}(?!\})")
PO_WIDTH = 100


@dataclass(frozen=True)
class Message:
    """One marked string: its id (a tuple for plurals), context and where it was found."""

    id: str | tuple[str, str]
    context: str | None
    location: tuple[str, int]


# --------------------------------------------------------------------------- extraction
def _python_messages(source: str, filename: str) -> list[Message]:
    messages = []
    for lineno, message, _comments, context in extract(
        "python",
        io.BytesIO(source.encode("utf-8")),
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        messages.append(Message(message, context, (filename, lineno)))
    return messages


def template_code(path: Path) -> str:
    """The code cells of a template notebook, one after another (the parameters cell too)."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    # IPython magics are not Python; a template has none, but a line starting with % or ! is
    # blanked rather than breaking extraction.
    return "\n\n".join(re.sub(r"(?m)^\s*[%!].*$", "", cell) for cell in cells)


def sources(
    package_dir: Path = PACKAGE_DIR, templates_dir: Path = TEMPLATES_DIR
) -> dict[str, Path]:
    """Catalog name -> file, for every module and template whose strings readers see."""
    found = {}
    for path in sorted(Path(package_dir).rglob("*.py")):
        relative = path.relative_to(package_dir).with_suffix("")
        parts = [p for p in relative.parts if p != "__init__"]
        if not parts or parts[0] in UNTRANSLATED:
            continue
        found[".".join(parts)] = path
    for path in sorted(Path(templates_dir).glob("*.ipynb")):
        found[f"templates.{path.stem}"] = path
    for name in TRANSLATED_EXTENSIONS:  # the Sphinx extensions' own words
        found[f"ext.{Path(name).stem}"] = EXTENSIONS_DIR / name
    return found


def messages_of(path: Path) -> list[Message]:
    relative = (
        str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)
    )
    text = template_code(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    return _python_messages(text, relative)


def template_catalog(name: str, path: Path) -> Catalog:
    """The catalog template (POT) of one module: its messages, in source order."""
    catalog = Catalog(project="poverty-programmes-book", domain=name, fuzzy=False)
    for message in messages_of(path):
        catalog.add(message.id, locations=[(message.location[0], None)], context=message.context)
    return catalog


def catalog_path(lang: str, name: str, locale_dir: Path = i18n.LOCALE_DIR) -> Path:
    return Path(locale_dir) / lang / "LC_MESSAGES" / f"{name}.po"


def read_catalog(path: Path, lang: str) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=i18n.BABEL_LOCALES[lang], domain=path.stem)


def write_catalog(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=PO_WIDTH,
        omit_header=False,
        include_lineno=False,
        ignore_obsolete=True,
        sort_output=False,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # The header's creation dates would change every run: a catalog is rewritten only when its
    # messages change, and its dates are fixed.
    text = re.sub(rb'"(POT-Creation-Date|PO-Revision-Date): [^"]*\\n"\n', b"", buffer.getvalue())
    if not path.exists() or path.read_bytes() != text:
        path.write_bytes(text)


def update(lang: str, locale_dir: Path = i18n.LOCALE_DIR) -> list[Path]:
    """Extract every module's strings and merge them into ``lang``'s catalogs; returns the files
    written. Catalogs of modules that no longer have strings are removed."""
    written = []
    names = set()
    for name, path in sources().items():
        template = template_catalog(name, path)
        if not len(template):
            continue
        names.add(name)
        target = catalog_path(lang, name, locale_dir)
        catalog = read_catalog(target, lang) or Catalog(
            locale=i18n.BABEL_LOCALES[lang],
            domain=name,
            project="poverty-programmes-book",
            fuzzy=False,
            last_translator="poverty-programmes-book contributors",
            language_team="Indonesian",
        )
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
        catalog.obsolete.clear()
        write_catalog(catalog, target)
        written.append(target)
    for stale in Path(locale_dir, lang, "LC_MESSAGES").glob("*.po"):
        if stale.stem not in names:
            stale.unlink()
    return written


# --------------------------------------------------------------------------- checking
def placeholders(text: str) -> set[str]:
    """The ``str.format`` field names of a message (``{area}``, ``{n:,}`` -> area, n)."""
    return {m.group(1) or "" for m in PLACEHOLDER.finditer(text)}


def problems(lang: str, locale_dir: Path = i18n.LOCALE_DIR) -> list[str]:
    """Every reason the catalogs of ``lang`` are not up to date with the code, one per line."""
    found = []
    for name, path in sources().items():
        template = template_catalog(name, path)
        if not len(template):
            continue
        target = catalog_path(lang, name, locale_dir)
        catalog = read_catalog(target, lang)
        if catalog is None:
            found.append(f"{target}: missing (run `python -m analysis translations update`)")
            continue
        for message in template:
            if not message.id:
                continue
            entry = catalog.get(message.id, context=message.context)
            shown = message.id if isinstance(message.id, str) else message.id[0]
            where = f"{target.relative_to(PROJECT_ROOT) if target.is_relative_to(PROJECT_ROOT) else target}"
            if entry is None:
                found.append(f"{where}: no entry for {shown!r} (run the update)")
            elif entry.fuzzy:
                found.append(f"{where}: fuzzy (English changed; confirm the translation) {shown!r}")
            elif not all(entry.string if isinstance(entry.string, tuple) else (entry.string,)):
                found.append(f"{where}: not translated {shown!r}")
            else:
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                expected = set().union(*(placeholders(i) for i in ids))
                for string in strings:
                    if placeholders(string) != expected:
                        found.append(
                            f"{where}: placeholders differ in the translation of {shown!r}: "
                            f"expected {sorted(expected)}, found {sorted(placeholders(string))}"
                        )
    return found


# --------------------------------------------------------------------------- the book's prose
BOOK_LOCALES = PROJECT_ROOT / "locales"
#: MyST roles a translation must keep as they are: glued values, glossary terms, citations.
KEPT_ROLES = re.compile(r"\{(?:glue:text|glue|term|cite:p|cite:t|numref|eq)\}`[^`]*`")


def book_message_templates(target: Path) -> Path:
    """Sphinx's message templates (``.pot``) of the English book, built into ``target``; returns
    the folder holding them (``chapters/*.pot``, ``pages/*.pot``)."""
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(PROJECT_ROOT),
        "--path-output",
        str(target),
        "--builder",
        "custom",
        "--custom-builder",
        "gettext",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT)
    if completed.returncode != 0:
        raise RuntimeError(
            "the gettext build failed:\n" + completed.stdout[-3000:] + completed.stderr[-3000:]
        )
    return Path(target) / "_build" / "gettext"


def update_book(lang: str, locales: Path = BOOK_LOCALES) -> list[Path]:
    """Merge the book's current English prose into ``lang``'s Sphinx catalogs (sphinx-intl)."""
    with tempfile.TemporaryDirectory() as tmp:
        pots = book_message_templates(Path(tmp))
        subprocess.run(
            [
                str(Path(sys.executable).parent / "sphinx-intl"),
                "update",
                "--pot-dir",
                str(pots),
                "--locale-dir",
                str(locales),
                "--language",
                lang,
                "--line-width",
                str(PO_WIDTH),
            ],
            check=True,
            capture_output=True,
            cwd=PROJECT_ROOT,
        )
        names = {p.relative_to(pots).with_suffix(".po") for p in pots.rglob("*.pot")}
    folder = Path(locales) / lang / "LC_MESSAGES"
    for stale in folder.rglob("*.po"):
        if stale.relative_to(folder) not in names:
            stale.unlink()
    for name in names:  # without obsolete entries and build dates, so that a diff shows text
        path = folder / name
        catalog = read_catalog(path, lang)
        catalog.obsolete.clear()
        write_catalog(catalog, path)
    return sorted(folder / name for name in names)


def book_problems(lang: str, pots: Path | None = None, locales: Path = BOOK_LOCALES) -> list[str]:
    """Every reason ``lang``'s Sphinx catalogs are not up to date with the English book."""
    if pots is None:
        with tempfile.TemporaryDirectory() as tmp:
            return book_problems(lang, book_message_templates(Path(tmp)), locales)
    from babel.messages.pofile import read_po as read

    found = []
    folder = Path(locales) / lang / "LC_MESSAGES"
    for pot in sorted(Path(pots).rglob("*.pot")):
        po = folder / pot.relative_to(pots).with_suffix(".po")
        where = po.relative_to(PROJECT_ROOT) if po.is_relative_to(PROJECT_ROOT) else po
        if not po.is_file():
            found.append(f"{where}: missing (run `python -m analysis translations update`)")
            continue
        with po.open("rb") as handle:
            catalog = read(handle, locale=i18n.BABEL_LOCALES[lang])
        with pot.open("rb") as handle:
            template = read(handle)
        for message in template:
            if not message.id:
                continue
            entry = catalog.get(message.id, context=message.context)
            shown = message.id[:70] + ("…" if len(message.id) > 70 else "")
            if entry is None or not entry.string:
                found.append(f"{where}: not translated: {shown!r}")
            elif entry.fuzzy:
                found.append(
                    f"{where}: fuzzy (English changed; confirm the translation): {shown!r}"
                )
            else:
                lost = sorted(
                    set(KEPT_ROLES.findall(message.id)) - set(KEPT_ROLES.findall(entry.string))
                )
                if lost:
                    found.append(f"{where}: the translation of {shown!r} lost {lost[0]}")
    return found


def main(action: str) -> int:
    targets = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE_LANGUAGE]
    if action == "update":
        for lang in targets:
            for path in update(lang) + update_book(lang):
                print(path.relative_to(PROJECT_ROOT))
        return 0
    found = [line for lang in targets for line in problems(lang) + book_problems(lang)]
    for line in found:
        print(line, file=sys.stderr)
    print(f"translations: {len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0
