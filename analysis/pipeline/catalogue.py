"""The chapter catalogue, ``book/chapters.yml``: which template runs for which registry rows, with
its inputs, parameters, titles and skip rules, as data (the file's header describes its keys).

This module reads and checks the file, fills its patterns and evaluates its rules against the
files of a data folder (CSV rows read as text: no analysis runs here).
:mod:`analysis.pipeline.plan` makes the runs from it.
"""

from __future__ import annotations

import csv
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.i18n import LANGUAGES
from analysis.pipeline.runner import Run, RunsFileError
from analysis.project import BOOK_DIR

CATALOGUE_FILE = BOOK_DIR / "chapters.yml"
#: Whose rows give a chapter its runs (see the catalogue's header).
ROW_KINDS = ("book", "study", "regency", "province")
ENTRY_KEYS = {
    "name",
    "template",
    "for_each",
    "only_when",
    "id",
    "output",
    "inputs",
    "optional_inputs",
    "parameters",
    "defaults",
    "title",
    "skip_unless",
}
RULE_KINDS = ("rows_in", "years_in")


@dataclass(frozen=True)
class Chapter:
    """One entry of the catalogue: a kind of chapter and the rows it runs for."""

    name: str
    template: str
    for_each: str
    id: str
    output: str
    inputs: tuple[str, ...]
    optional_inputs: tuple[str, ...] = ()
    parameters: dict = field(default_factory=dict, hash=False)
    defaults: dict = field(default_factory=dict, hash=False)
    title: tuple[dict, ...] = ()
    only_when: tuple[dict, ...] = ()
    skip_unless: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    chapters: tuple[Chapter, ...]
    series: dict
    contents: dict

    def chapter(self, name: str) -> Chapter:
        """The entry called ``name``; KeyError naming the entries there are."""
        for chapter in self.chapters:
            if chapter.name == name:
                return chapter
        known = ", ".join(c.name for c in self.chapters)
        raise KeyError(f"no chapter {name!r} in the catalogue (there: {known})")

    def for_template(self, template: str) -> Chapter | None:
        """The entry running ``template``, or None (a runs file may name other templates)."""
        return next((c for c in self.chapters if c.template == template), None)


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read and check the catalogue. RunsFileError naming the file and the key."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunsFileError(f"{path}: chapter catalogue not found") from None
    except yaml.YAMLError as exc:
        raise RunsFileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("chapters"), list):
        raise RunsFileError(f"{path}: key 'chapters': expected a list of chapters")
    chapters, names, templates = [], set(), set()
    for position, entry in enumerate(document["chapters"], start=1):
        label = f"{path}: chapters[{position}]"
        if not isinstance(entry, dict):
            raise RunsFileError(f"{label}: expected a mapping with name, template, for_each")
        unknown = sorted(set(entry) - ENTRY_KEYS)
        if unknown:
            raise RunsFileError(f"{label}: unknown key '{unknown[0]}'")
        for key in ("name", "template", "for_each", "id", "output", "inputs", "title"):
            if key not in entry:
                raise RunsFileError(f"{label}: key '{key}' missing")
        if entry["for_each"] not in ROW_KINDS:
            raise RunsFileError(
                f"{label}: key 'for_each': {entry['for_each']!r} is not one of {', '.join(ROW_KINDS)}"
            )
        if entry["name"] in names or entry["template"] in templates:
            raise RunsFileError(f"{label}: name or template given twice in the catalogue")
        names.add(entry["name"])
        templates.add(entry["template"])
        titles = entry["title"]
        if not isinstance(titles, list) or not titles or not all("en" in t for t in titles):
            raise RunsFileError(f"{label}: key 'title': expected a list of patterns with 'en'")
        for key in ("only_when", "skip_unless"):
            for rule in entry.get(key, []):
                if not isinstance(rule, dict) or sum(k in rule for k in RULE_KINDS) != 1:
                    raise RunsFileError(
                        f"{label}: key '{key}': a rule has one of {', '.join(RULE_KINDS)}"
                    )
        chapters.append(
            Chapter(
                name=entry["name"],
                template=entry["template"],
                for_each=entry["for_each"],
                id=entry["id"],
                output=entry["output"],
                inputs=tuple(entry["inputs"]),
                optional_inputs=tuple(entry.get("optional_inputs", ())),
                parameters=dict(entry.get("parameters") or {}),
                defaults=dict(entry.get("defaults") or {}),
                title=tuple(titles),
                only_when=tuple(entry.get("only_when", ())),
                skip_unless=tuple(entry.get("skip_unless", ())),
            )
        )
    contents = document.get("contents")
    if not isinstance(contents, dict) or not isinstance(contents.get("parts"), list):
        raise RunsFileError(f"{path}: key 'contents': expected a root and a list of parts")
    _check_contents(path, contents, names)
    return Catalogue(tuple(chapters), dict(document.get("series") or {}), contents)


def _check_contents(path: Path, contents: dict, names: set[str]) -> None:
    """Every part names chapters of the catalogue, and every chapter has its part."""
    placed = set()
    for position, part in enumerate(contents["parts"], start=1):
        label = f"{path}: contents: parts[{position}]"
        named = list(part.get("chapters", []))
        named += [p["when_chapter"] for p in part.get("pages", []) if isinstance(p, dict)]
        unknown = [name for name in named if name not in names]
        if unknown:
            raise RunsFileError(f"{label}: no chapter {unknown[0]!r} in the catalogue")
        if "caption" not in part and part.get("for_each") != "study":
            raise RunsFileError(f"{label}: key 'caption' missing")
        placed.update(part.get("chapters", []))
    if names - placed:
        raise RunsFileError(
            f"{path}: contents: chapter {sorted(names - placed)[0]!r} is in no part"
        )


# --------------------------------------------------------------------------- patterns
def fill(pattern: str, fields: dict) -> str:
    """``pattern`` with ``{name}`` replaced by the fields' values."""
    return pattern.format(**fields)


def value_of(declared, fields: dict):
    """A parameter as declared: ``"{name}"`` alone is the field with its type, a string with
    placeholders is filled, anything else is as given."""
    if isinstance(declared, str):
        parsed = list(string.Formatter().parse(declared))
        if len(parsed) == 1 and parsed[0][0] == "" and parsed[0][1] and not parsed[0][2]:
            return fields[parsed[0][1]]
        return fill(declared, fields)
    return declared


def in_language(text, lang: str) -> str:
    """A catalogue text in ``lang``: a plain string, or ``{en: ..., id: ...}`` (English where the
    language has no form)."""
    if isinstance(text, dict):
        return text.get(lang, text[LANGUAGES[0]])
    return text


def matches(when: dict, fields: dict) -> bool:
    return all(fields.get(name) == value for name, value in (when or {}).items())


def title(chapter: Chapter, fields: dict, lang: str) -> str:
    """The first title pattern whose ``when`` the fields match, filled, in ``lang``."""
    for choice in chapter.title:
        if matches(choice.get("when"), fields):
            return fill(in_language(choice, lang), fields)
    raise RunsFileError(f"chapter {chapter.name!r}: no title pattern fits {fields!r}")


# --------------------------------------------------------------------------- rules
def data_file(data_dir: Path, name: str) -> Path | None:
    """Where ``name`` is in the data folder (``study/x.csv`` or a flat ``x.csv``), or None."""
    for candidate in (Path(data_dir) / name, Path(data_dir) / Path(name).name):
        if candidate.is_file():
            return candidate
    return None


def rows_of(data_dir: Path, name: str):
    """The rows of a CSV file of the data folder as text (none when it is absent)."""
    path = data_file(data_dir, name)
    if path is None:
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def holds(rule: dict, data_dir: Path, fields: dict) -> bool:
    """Whether the data folder passes ``rule`` (``where`` values filled from ``fields``)."""
    where = {column: str(value_of(v, fields)) for column, v in (rule.get("where") or {}).items()}

    def fits(row: dict) -> bool:
        return all((row.get(column) or "").strip() == value for column, value in where.items())

    if "rows_in" in rule:
        return any(fits(row) for row in rows_of(data_dir, rule["rows_in"]))
    files = rule["years_in"]
    years = {
        row.get("year")
        for name in ([files] if isinstance(files, str) else files)
        for row in rows_of(data_dir, name)
        if fits(row) and (row.get("value") or "").strip()
    }
    return len(years) >= int(rule.get("at_least", 1))


def failed_rule(rules, data_dir: Path, fields: dict) -> dict | None:
    """The first of ``rules`` the data folder does not pass, or None."""
    return next((rule for rule in rules if not holds(rule, data_dir, fields)), None)


def skip_reason(run: Run, data_dir: Path, catalogue: Catalogue) -> str | None:
    """Why ``run`` cannot run on the data folder although its inputs are there (its chapter's
    first ``skip_unless`` rule that fails), or None."""
    chapter = catalogue.for_template(run.template)
    if chapter is None:
        return None
    rule = failed_rule(chapter.skip_unless, data_dir, run.parameters)
    if rule is None:
        return None
    return fill(
        rule.get("reason", "a rule of {template} fails"),
        {**run.parameters, "template": run.template},
    )
