"""The runs of a book, their execution and their results: the one entry the build uses.

The work is done in modules of one idea each; this module puts them behind one name
(``runner.load_runs``, ``runner.execute_runs``, ...) and collects what the chapters recorded:

- :mod:`analysis.pipeline.runs`: the ``Run`` model, reading and checking ``book/runs.yml``
  and a run's parameters;
- :mod:`analysis.pipeline.cache`: cache keys and the key an executed chapter records;
- :mod:`analysis.pipeline.execute`: executing stale runs with papermill and normalising the
  executed notebooks so that they are byte-identical from build to build (they are stored in
  git as the nbval references);
- :mod:`analysis.pipeline.editions`: each edition's chapter derived from a chapter executed once
  for every edition.

Nothing of those imports this module (no import circle).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from analysis.i18n import output_language
from analysis.pipeline.cache import (
    CACHE_FORMAT,
    EXTENSION_CATALOGS,
    cache_key,
    catalogs_digest,
    dependencies_digest,
    input_digests,
    sha256_file,
    stored_key,
)
from analysis.pipeline.execute import (
    RUN_DETAILS,
    RUN_DETAILS_LINK,
    RunOutcome,
    _relative_data_dir,
    _scope_figure_labels,
    _template_cell_number,
    execute_runs,
    normalise,
    title_and_details,
)
from analysis.pipeline.runs import (
    _ANSI,
    KERNEL_NAME,
    LANGUAGES,
    METADATA_KEY,
    PARAMETER_BOUNDS,
    REQUIRED_RUNNER_PARAMETERS,
    RUNNER_PARAMETERS,
    ChapterFailed,
    Run,
    RunsFileError,
    check_parameters,
    edition_output,
    edition_runs,
    editions_parameter,
    executes_once,
    load_runs,
    template_parameters,
)
from analysis.project import CHAPTERS_DIR, LOCK_FILE, RUNS_FILE, TEMPLATES_DIR

__all__ = [
    "CACHE_FORMAT",
    "CHAPTERS_DIR",
    "EXTENSION_CATALOGS",
    "KERNEL_NAME",
    "LANGUAGES",
    "LOCK_FILE",
    "METADATA_KEY",
    "PARAMETER_BOUNDS",
    "REQUIRED_RUNNER_PARAMETERS",
    "RUNNER_PARAMETERS",
    "RUNS_FILE",
    "RUN_DETAILS",
    "RUN_DETAILS_LINK",
    "TEMPLATES_DIR",
    "_ANSI",
    "ChapterFailed",
    "Run",
    "RunOutcome",
    "RunsFileError",
    "_relative_data_dir",
    "_scope_figure_labels",
    "_template_cell_number",
    "cache_key",
    "catalogs_digest",
    "check_parameters",
    "collect_results",
    "dependencies_digest",
    "edition_output",
    "edition_runs",
    "editions_parameter",
    "executes_once",
    "execute_runs",
    "glued_values",
    "input_digests",
    "load_runs",
    "normalise",
    "sha256_file",
    "stored_key",
    "template_parameters",
    "title_and_details",
]


def shown_language(notebook: dict) -> str:
    """The edition a stored chapter shows (a notebook as ``json.load`` reads it): a derived or
    old-style chapter's own language, the first edition of one executed once for every edition
    (the English site reads that chapter itself)."""
    meta = notebook.get("metadata", {}).get(METADATA_KEY, {})
    return meta.get("lang") or (meta.get("editions") or LANGUAGES)[0]


def glued_values(notebook_path: Path) -> dict:
    """Every value a chapter glued (``analysis.chapter.record``), by key, as plain Python: of a
    chapter executed once for every edition, the unmarked values and its first edition's."""
    nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    lang = shown_language(nb)
    values = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            if output_language(output) not in (None, lang):
                continue
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
