"""The runs file: what chapters the book executes, read and checked strictly.

``book/runs.yml`` declares every executed chapter (id, template, parameters, inputs, output).
:func:`load_runs` reads it and checks every key (papermill itself only warns on unknown
parameters); :func:`check_parameters` checks a run's parameters against its template.

A template is executed in one of two ways, told by its ``parameters`` cell:

- ``editions`` (new style): executed ONCE for every edition of the run; the kernel writes each
  edition's outputs, marked with their language (:mod:`analysis.chapter`), and each edition's
  chapter is derived from that one execution (:mod:`analysis.pipeline.editions`).
- ``lang`` (old style): executed once per edition, each execution writing one edition.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from analysis.i18n import LANGUAGES as I18N_LANGUAGES
from analysis.project import CHAPTERS_DIR, RUNS_FILE, TEMPLATES_DIR

KERNEL_NAME = "python3"
#: Injected by the runner, never in the runs file: ``lang`` (an old-style template, executed once
#: per edition) or ``editions`` (a new-style one, executed once for all its editions).
RUNNER_PARAMETERS = ("data_dir", "lang", "editions")
REQUIRED_RUNNER_PARAMETERS = ("data_dir",)  # a template without `lang` has an English edition only
#: Languages of the book's editions, the source language first (defined once, in analysis.i18n).
LANGUAGES = I18N_LANGUAGES
METADATA_KEY = "poverty_book"  # notebook metadata written by the runner
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: Declared bounds of template parameters, by name: (least, greatest) accepted value. Checked by
#: :func:`check_parameters` before anything runs (a billion bootstrap resamples would exhaust
#: the memory; a negative count means nothing).
PARAMETER_BOUNDS: dict[str, tuple[int, int]] = {
    "bootstrap_resamples": (999, 100_000),
    "bootstrap_seed": (0, 2**32 - 1),
    "sampling_seed": (0, 2**32 - 1),
    "area_code": (1101, 9499),
    "period_start": (1990, 2100),
    "period_end": (1990, 2100),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


class RunsFileError(ValueError):
    """The runs file or a run's parameters are wrong: nothing is executed (exit code 2)."""


class ChapterFailed(RuntimeError):
    """A chapter raised an exception while executing (exit code 1)."""

    def __init__(self, run_id: str, template: str, cell: int | None, error: str, traceback: str):
        self.run_id, self.template, self.cell, self.error, self.traceback = (
            run_id,
            template,
            cell,
            error,
            traceback,
        )
        where = f"cell {cell} (counting from 1)" if cell is not None else "an unknown cell"
        super().__init__(
            f"chapter '{run_id}' (template {template}) failed in {where}: {error}\n{traceback}"
        )

    def __reduce__(self):  # raised in a worker process: must survive pickling
        return (ChapterFailed, (self.run_id, self.template, self.cell, self.error, self.traceback))


@dataclass(frozen=True)
class Run:
    """One executed chapter, as declared in the runs file."""

    id: str
    title: str
    template: str  # file name in book/templates/
    output: str  # path relative to book/
    inputs: tuple[str, ...]  # paths relative to the data directory
    parameters: dict = field(default_factory=dict, hash=False)
    templates_dir: str = str(TEMPLATES_DIR)
    optional_inputs: tuple[str, ...] = ()  # read when present; absent ones do not skip the run
    lang: str = "en"  # the edition this run writes (a ``lang`` parameter of the template)
    languages: tuple[str, ...] = LANGUAGES  # the editions the run is part of
    #: Per language: the title and parameter values of that edition (``{"id": {"title": ...,
    #: "parameters": {...}}}``); what is not given is the English run's.
    translated: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def template_path(self) -> Path:
        return Path(self.templates_dir) / self.template

    def in_language(self, lang: str) -> Run:
        """This run in the edition ``lang``: its translated title and parameters, its output in
        ``chapters/<lang>/`` (the Indonesian chapters: book/chapters/id/NAME.ipynb)."""
        if lang == self.lang:
            return self
        given = self.translated.get(lang, {})
        return replace(
            self,
            lang=lang,
            title=given.get("title", self.title),
            parameters={**self.parameters, **given.get("parameters", {})},
            output=edition_output(self.output, lang),
        )

    @property
    def docname(self) -> str:
        """The chapter's Sphinx document name relative to the book root (``book/chapters/x``),
        the same in every edition (the Indonesian edition's sources hold chapters/id/x as x)."""
        output = self.output
        if self.lang != LANGUAGES[0]:
            output = output.replace(f"/{self.lang}/", "/", 1)
        return "book/" + output.removesuffix(".ipynb")


def edition_output(output: str, lang: str) -> str:
    """``chapters/x.ipynb`` in the edition ``lang``: ``chapters/id/x.ipynb`` (English: itself)."""
    if lang == LANGUAGES[0]:
        return output
    head, _, rest = output.partition("/")
    return f"{head}/{lang}/{rest}"


def edition_runs(runs: list[Run], lang: str) -> list[Run]:
    """The runs of the edition ``lang``: every run that lists it among its languages and whose
    template takes a ``lang`` or ``editions`` parameter (one without either writes English only)."""
    return [
        run.in_language(lang)
        for run in runs
        if lang in run.languages
        and {"lang", "editions"} & set(template_parameters(run.template_path))
    ]


def executes_once(run: Run) -> bool:
    """Whether the run's template writes every edition in one execution (its ``parameters`` cell
    declares ``editions``; one declaring ``lang`` is executed once per edition)."""
    return "editions" in template_parameters(run.template_path)


def editions_parameter(run: Run) -> str:
    """The ``editions`` parameter of a run executed once: its languages, ``"en,id"``."""
    return ",".join(run.languages)


# --------------------------------------------------------------------------- runs file
def load_runs(
    path: Path = RUNS_FILE, templates_dir: Path = TEMPLATES_DIR, chapters_dir: Path = CHAPTERS_DIR
) -> list[Run]:
    """Read and check the runs file. Raises RunsFileError naming the file and the key.

    Confinement: a run's ``output`` must resolve inside ``chapters_dir`` (relative to its parent,
    ``book/``), its ``template`` inside ``templates_dir``, its inputs inside the data directory.
    """
    path, templates_dir, chapters_dir = Path(path), Path(templates_dir), Path(chapters_dir)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunsFileError(f"{path}: runs file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RunsFileError(f"{path}:{where}: not valid YAML: {problem}") from None
    if not isinstance(document, dict) or not isinstance(document.get("runs"), list):
        raise RunsFileError(f"{path}: key 'runs': expected a list of runs at the top level")
    runs, seen_ids, seen_outputs = [], {}, {}
    for position, entry in enumerate(document["runs"], start=1):
        label = f"{path}: runs[{position}]"
        if not isinstance(entry, dict):
            raise RunsFileError(f"{label}: expected a mapping with id, template, output")
        allowed = (
            "id",
            "title",
            "template",
            "output",
            "inputs",
            "optional_inputs",
            "parameters",
            "languages",
            "translated",
        )
        unknown = sorted(set(entry) - set(allowed))
        if unknown:
            raise RunsFileError(
                f"{label}: unknown key '{unknown[0]}' (allowed: {', '.join(allowed)})"
            )
        for key in ("id", "template", "output"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise RunsFileError(f"{label}: key '{key}': missing or not a string")
        run_id = entry["id"]
        label = f"{path}: run '{run_id}'"
        if run_id in seen_ids:
            raise RunsFileError(f"{label}: key 'id': duplicated (also runs[{seen_ids[run_id]}])")
        seen_ids[run_id] = position
        if not entry["output"].endswith(".ipynb"):
            raise RunsFileError(
                f"{label}: key 'output': expected a .ipynb path relative to book/, got {entry['output']!r}"
            )
        if not _inside(chapters_dir.parent / entry["output"], chapters_dir):
            raise RunsFileError(
                f"{label}: key 'output': {entry['output']!r} is outside {chapters_dir}/ "
                "(executed chapters are written there only: chapters/NAME.ipynb)"
            )
        if entry["output"] in seen_outputs:
            raise RunsFileError(
                f"{label}: key 'output': {entry['output']!r} is also the output of run '{seen_outputs[entry['output']]}'"
            )
        seen_outputs[entry["output"]] = run_id
        template = templates_dir / entry["template"]
        if not entry["template"].endswith(".ipynb") or not _inside(template, templates_dir):
            raise RunsFileError(
                f"{label}: key 'template': {entry['template']!r} is not a notebook in "
                f"{templates_dir}/ (give its file name, e.g. income.ipynb)"
            )
        if not template.is_file():
            raise RunsFileError(
                f"{label}: key 'template': unknown template {entry['template']!r} (not in {templates_dir}/)"
            )
        inputs = entry.get("inputs", []) or []
        optional = entry.get("optional_inputs", []) or []
        for key, value in (("inputs", inputs), ("optional_inputs", optional)):
            if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
                raise RunsFileError(
                    f"{label}: key '{key}': expected a list of paths relative to the data directory"
                )
            for name in value:
                if Path(name).is_absolute() or ".." in Path(name).parts:
                    raise RunsFileError(
                        f"{label}: key '{key}': {name!r} is not a path inside the data directory"
                    )
        title = entry.get("title", run_id)
        if not isinstance(title, str) or not title.strip() or _CONTROL.search(title):
            raise RunsFileError(f"{label}: key 'title': expected one line of text, got {title!r}")
        parameters = entry.get("parameters", {}) or {}
        if not isinstance(parameters, dict):
            raise RunsFileError(f"{label}: key 'parameters': expected a mapping")
        languages, translated = _editions(entry, label)
        runs.append(
            Run(
                run_id,
                title.strip(),
                entry["template"],
                entry["output"],
                tuple(inputs),
                dict(parameters),
                str(templates_dir),
                tuple(optional),
                languages=languages,
                translated=translated,
            )
        )
    return runs


def _editions(entry: dict, label: str) -> tuple[tuple[str, ...], dict]:
    """A run's ``languages`` (default: every edition) and ``translated`` titles and parameters."""
    languages = entry.get("languages", list(LANGUAGES))
    if (
        not isinstance(languages, list)
        or not languages
        or languages[0] != LANGUAGES[0]
        or any(lang not in LANGUAGES for lang in languages)
        or len(set(languages)) != len(languages)
    ):
        raise RunsFileError(
            f"{label}: key 'languages': expected a list of {', '.join(LANGUAGES)} starting with "
            f"{LANGUAGES[0]!r} (the source language), got {languages!r}"
        )
    translated = entry.get("translated", {}) or {}
    if not isinstance(translated, dict):
        raise RunsFileError(f"{label}: key 'translated': expected a mapping of language to texts")
    for lang, given in translated.items():
        where = f"{label}: key 'translated.{lang}"
        if lang not in languages[1:]:
            raise RunsFileError(f"{where}': not one of the run's other languages {languages[1:]}")
        if not isinstance(given, dict) or set(given) - {"title", "parameters"}:
            raise RunsFileError(f"{where}': expected a mapping with 'title' and 'parameters'")
        title = given.get("title", "")
        if not isinstance(title, str) or _CONTROL.search(title):
            raise RunsFileError(f"{where}.title': expected one line of text, got {title!r}")
        if not isinstance(given.get("parameters", {}), dict):
            raise RunsFileError(f"{where}.parameters': expected a mapping")
    return tuple(languages), {k: dict(v) for k, v in translated.items()}


def template_parameters(template: Path) -> dict[str, object]:
    """Names and default values of a template's ``parameters`` cell (via papermill)."""
    path = Path(template)
    try:
        content = path.read_bytes()
    except OSError:
        content = None  # papermill says what is wrong
    return dict(_template_parameters(str(path), content))


@lru_cache(maxsize=64)
def _template_parameters(template: str, content: bytes | None) -> dict[str, object]:
    """Read once per template text (the build asks for every run, and again per edition)."""
    from papermill import inspect_notebook

    declared = inspect_notebook(template)
    defaults = {}
    for name, info in declared.items():
        try:
            defaults[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            defaults[name] = None  # an expression: any type accepted
    return defaults


def _type_name(value) -> str:
    return type(value).__name__


def is_edition_text(default) -> bool:
    """Whether a template's parameter is a text per edition: its default maps languages to texts
    (``{"en": "the years of the BPS regency series"}``). The runs file gives such a parameter as
    the source language's text, its translations under ``translated.<lang>.parameters``; a
    template executed once for every edition receives the mapping (:func:`edition_parameters`)."""
    return (
        isinstance(default, dict)
        and bool(default)
        and all(k in LANGUAGES and isinstance(v, str) for k, v in default.items())
    )


def edition_parameters(run: Run, declared: dict) -> dict[str, dict[str, str]]:
    """The texts per edition of a run executed once, as its template receives them:
    ``{name: {lang: text}}`` for every parameter of :func:`is_edition_text`."""
    return {
        name: {lang: run.in_language(lang).parameters[name] for lang in run.languages}
        for name, default in declared.items()
        if is_edition_text(default) and name in run.parameters
    }


def _same_type(default, value) -> bool:
    if default is None:
        return True
    if is_edition_text(default):
        return isinstance(value, str)
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def check_parameters(run: Run, runs_file: Path = RUNS_FILE) -> dict:
    """Check a run's parameters against its template; return them. Raises RunsFileError.

    Every template parameter except the runner's own (``data_dir``) must be given, with the
    type of the template's default; an unknown name is an error (papermill would only warn).
    """
    declared = template_parameters(run.template_path)
    label = f"{runs_file}: run '{run.id}'"
    if not declared:
        raise RunsFileError(f"{label}: template {run.template} has no cell tagged 'parameters'")
    for name in RUNNER_PARAMETERS:
        if name not in declared and name in REQUIRED_RUNNER_PARAMETERS:
            raise RunsFileError(f"{label}: template {run.template} must declare parameter '{name}'")
        if name in run.parameters:
            raise RunsFileError(
                f"{label}: key 'parameters.{name}': set by the runner, remove it from the runs file"
            )
    for name, value in run.parameters.items():
        if name not in declared:
            accepted = ", ".join(n for n in declared if n not in RUNNER_PARAMETERS) or "none"
            raise RunsFileError(
                f"{label}: key 'parameters.{name}': unknown parameter (template {run.template} accepts: {accepted})"
            )
        if not _same_type(declared[name], value):
            raise RunsFileError(
                f"{label}: key 'parameters.{name}': expected {_type_name(declared[name])} like the template's "
                f"default {declared[name]!r}, got {_type_name(value)} {value!r}"
            )
        if name in PARAMETER_BOUNDS and not isinstance(value, bool):
            least, greatest = PARAMETER_BOUNDS[name]
            if not least <= value <= greatest:
                raise RunsFileError(
                    f"{label}: key 'parameters.{name}': expected a value between {least:,} and "
                    f"{greatest:,}, got {value!r}"
                )
    if "editions" in declared:
        for lang, given in run.translated.items():
            for name in given.get("parameters") or {}:
                if not is_edition_text(declared.get(name)):
                    raise RunsFileError(
                        f"{label}: key 'translated.{lang}.parameters.{name}': template "
                        f"{run.template} writes every edition in one execution (parameter "
                        "'editions'), with one set of parameters; only a text per edition "
                        "(a parameter whose default maps languages to texts) is translated"
                    )
    missing = [n for n in declared if n not in run.parameters and n not in RUNNER_PARAMETERS]
    if missing:
        raise RunsFileError(
            f"{label}: key 'parameters.{missing[0]}': missing (template {run.template} declares it; every parameter is set explicitly)"
        )
    return dict(run.parameters)
