"""The runs file and the execution of chapters with papermill.

``book/runs.yml`` declares every executed chapter (id, template, parameters, inputs, output).
This module reads and checks it strictly (papermill itself only warns on unknown parameters),
computes each run's cache key, executes stale runs in parallel with papermill, and normalises
the executed notebooks so that they are byte-identical from build to build (they are stored in
git as the nbval references).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat
import yaml

from analysis.data.loading import sha256 as sha256_file
from analysis.i18n import LANGUAGES as I18N_LANGUAGES
from analysis.i18n import N_
from analysis.literal import markdown_literal
from analysis.pipeline.imports import dependencies_digest
from analysis.project import CHAPTERS_DIR, LOCK_FILE, RUNS_FILE, TEMPLATES_DIR

KERNEL_NAME = "python3"
RUNNER_PARAMETERS = ("data_dir", "lang")  # injected by the runner, never in the runs file
REQUIRED_RUNNER_PARAMETERS = ("data_dir",)  # a template without `lang` has an English edition only
#: Languages of the book's editions, the source language first (defined once, in analysis.i18n).
LANGUAGES = I18N_LANGUAGES
METADATA_KEY = "poverty_book"  # notebook metadata written by the runner
CACHE_FORMAT = 2  # bump when `normalise` changes what a chapter holds: every chapter is re-executed
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
    template takes a ``lang`` parameter (one without it can only write English)."""
    return [
        run.in_language(lang)
        for run in runs
        if lang in run.languages and "lang" in template_parameters(run.template_path)
    ]


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
    from papermill import inspect_notebook

    declared = inspect_notebook(str(template))
    defaults = {}
    for name, info in declared.items():
        try:
            defaults[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            defaults[name] = None  # an expression: any type accepted
    return defaults


def _type_name(value) -> str:
    return type(value).__name__


def _same_type(default, value) -> bool:
    if default is None:
        return True
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
    missing = [n for n in declared if n not in run.parameters and n not in RUNNER_PARAMETERS]
    if missing:
        raise RunsFileError(
            f"{label}: key 'parameters.{missing[0]}': missing (template {run.template} declares it; every parameter is set explicitly)"
        )
    return dict(run.parameters)


# --------------------------------------------------------------------------- cache keys
def input_digests(run: Run, data_dir: Path) -> dict[str, str]:
    """sha256 of every declared input; an absent optional input is recorded as "absent"."""
    digests = {name: sha256_file(Path(data_dir) / name) for name in run.inputs}
    for name in run.optional_inputs:
        path = Path(data_dir) / name
        digests[name] = sha256_file(path) if path.is_file() else "absent"
    return digests


def cache_key(
    run: Run, data_dir: Path, *, dependencies: str | None = None, lock: str | None = None
) -> str:
    """The key that decides whether a run must execute again.

    It covers the template, the parameters, the sha256 of every declared input, the source of
    the ``analysis`` modules the template imports (transitively, :mod:`analysis.pipeline.imports`)
    and the lock file (not the data directory's path: moving data is no change).
    """
    material = {
        "format": CACHE_FORMAT,
        "run": run.id,
        "lang": run.lang,
        "catalogs": catalogs_digest(run.lang),
        "title": run.title,
        "template": sha256_file(run.template_path),
        "parameters": run.parameters,
        "inputs": input_digests(run, data_dir),
        "analysis": dependencies or dependencies_digest(run.template_path),
        "lock": lock or (sha256_file(LOCK_FILE) if LOCK_FILE.exists() else ""),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


EXTENSION_CATALOGS = "ext."  # analysis/locale/<lang>/LC_MESSAGES/ext.*.po (book/_ext)


def catalogs_digest(lang: str) -> str:
    """sha256 of the code's message catalogs of ``lang`` (analysis/locale): a changed translation
    re-executes that edition's chapters. English has none."""
    from analysis.i18n import catalog_files

    digest = hashlib.sha256()
    for path in catalog_files(lang):
        if path.name.startswith(EXTENSION_CATALOGS):
            continue  # words of the Sphinx extensions: in the book's key, not the chapters'
        digest.update(path.name.encode() + b"\0" + sha256_file(path).encode())
    return digest.hexdigest() if lang != LANGUAGES[0] else ""


def stored_key(notebook_path: Path) -> str | None:
    """The cache key recorded in an executed chapter, or None."""
    try:
        nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return nb.get("metadata", {}).get(METADATA_KEY, {}).get("cache_key")


# --------------------------------------------------------------------------- execution
@dataclass
class RunOutcome:
    run: Run
    executed: bool
    duration: float | None = None  # seconds, when executed in this build
    skipped_reason: str | None = None
    cpu_seconds: float | None = None  # CPU of the worker and its kernel, when executed


def _relative_data_dir(data_dir: Path, output: Path) -> str:
    """``data_dir`` as the chapter sees it: relative to the chapter's folder.

    Relative, so that an executed chapter records no machine-specific path and nbval can
    re-execute it from any clone.
    """
    return os.path.relpath(Path(data_dir).resolve(), output.parent.resolve())


def _scope_figure_labels(nb, run_id: str) -> None:
    """Prefix figure labels with the run id, so one template can run twice in a book.

    A figure named ``fig-x`` in the template (cell metadata ``mystnb.figure.name``) becomes
    ``<run id>-fig-x``; references to it in the notebook's Markdown follow.
    """
    renamed = {}
    for cell in nb.cells:
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        name = figure.get("name")
        if name and not name.startswith(f"{run_id}-"):
            renamed[name] = figure["name"] = f"{run_id}-{name}"
    if not renamed:
        return
    pattern = re.compile(
        r"(\{(?:numref|ref)\}`(?:[^`<]*<)?)(" + "|".join(map(re.escape, renamed)) + r")(>?`)"
    )
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = pattern.sub(
                lambda m: m.group(1) + renamed[m.group(2)] + m.group(3), cell.source
            )


RUN_DETAILS = N_(
    "The parameters, input checksums, commit, package versions and duration of this chapter are "
    "in the appendix, under {link}."
)
RUN_DETAILS_LINK = N_("run details: {run}")


def _in(lang: str, message: str) -> str:
    """``message`` in ``lang`` (the build writes chapters of several editions in one process)."""
    from analysis.i18n import translations

    return translations(lang).gettext(message)


def normalise(nb, run: Run, key: str, data_dir_param: str) -> None:
    """Make an executed notebook deterministic and reader-friendly, in place.

    Drops papermill's timestamps and durations, gives the injected cell a fixed id, removes the
    parameters cells, removes the code of other cells from the page (tag ``remove-input``: readers
    see results; the notebook, code included, is in the page's download menu; a template cell
    tagged ``show-input`` keeps its code visible), titles the chapter from the runs file, links
    the run details.
    """
    nb.metadata.pop("papermill", None)
    nb.metadata[METADATA_KEY] = {
        "run_id": run.id,
        "template": run.template,
        "cache_key": key,
        "parameters": run.parameters,
        "inputs": list(run.inputs),
    }
    if run.lang != LANGUAGES[0]:
        nb.metadata[METADATA_KEY]["lang"] = run.lang
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
        if cell.cell_type == "code" and ({"parameters", "injected-parameters"} & set(tags)):
            if "remove-cell" not in tags:
                cell.metadata["tags"] = [*tags, "remove-cell"]
        elif cell.cell_type == "code" and not {
            "remove-cell",
            "remove-input",
            "hide-input",
            "show-input",
        } & set(tags):
            # Readers see results; the code is one click away (the .ipynb in the download menu).
            cell.metadata["tags"] = [*tags, "remove-input"]
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [
                        _ANSI.sub("", line) for line in output.get("traceback", [])
                    ]
    _scope_figure_labels(nb, run.id)
    title = f"# {markdown_literal(run.title)}"  # a title from data is text
    first_md = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first_md is not None and first_md.source.lstrip().startswith("# "):
        lines = first_md.source.lstrip().split("\n")
        first_md.source = "\n".join([title, *lines[1:]])
    else:
        cell = nbformat.v4.new_markdown_cell(title)
        cell["id"] = "chapter-title"
        nb.cells.insert(0, cell)
    details = nbformat.v4.new_markdown_cell(
        "```{seealso}\n"
        + _in(run.lang, RUN_DETAILS).format(
            link=f"{{ref}}`{_in(run.lang, RUN_DETAILS_LINK).format(run=run.id)} <run-details-{run.id}>`"
        )
        + "\n```"
    )
    details["id"] = "run-details-link"
    details.metadata["tags"] = ["run-details"]
    nb.cells = [c for c in nb.cells if "run-details" not in c.metadata.get("tags", [])] + [details]


def _template_cell_number(executed: Path, template: Path) -> int | None:
    """1-based number, in the template, of the cell that raised (found by its cell id).

    Papermill adds its own cells to the executed notebook (injected parameters, error
    banners), so its index is not what the reader of the template sees.
    """
    try:
        failed = [
            c.get("id")
            for c in nbformat.read(executed, as_version=4).cells
            if any(o.get("output_type") == "error" for o in c.get("outputs", []))
        ]
        ids = [c.get("id") for c in nbformat.read(template, as_version=4).cells]
        return ids.index(failed[0]) + 1
    except Exception:  # unreadable notebook or no error output: say "unknown cell"
        return None


def execute_runs(
    runs: list[Run], data_dir: Path, chapters_root: Path, **options
) -> list[RunOutcome]:
    """Execute the stale runs (see :func:`analysis.pipeline.execute.execute_runs`)."""
    from analysis.pipeline.execute import execute_runs as execute

    return execute(runs, data_dir, chapters_root, **options)


# --------------------------------------------------------------------------- results
def glued_values(notebook_path: Path) -> dict:
    """Every value a chapter glued (``analysis.chapter.record``), by key, as plain Python."""
    nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    values = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if not name:
                continue
            data = output.get("data", {})
            prefix = output["metadata"]["scrapbook"].get("mime_prefix", "")
            text = data.get(prefix + "text/plain", data.get("text/plain"))
            text = "".join(text) if isinstance(text, list) else text
            try:
                values[name] = ast.literal_eval(text)
            except (ValueError, SyntaxError, TypeError):
                values[name] = text
    return values


def collect_results(runs: list[Run], chapters_root: Path) -> dict:
    """``{run id: {key: value}}`` for every run whose executed chapter exists."""
    results = {}
    for run in runs:
        path = Path(chapters_root) / run.output
        if path.exists():
            results[run.id] = dict(sorted(glued_values(path).items()))
    return results
