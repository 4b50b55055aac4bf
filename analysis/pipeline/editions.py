"""The editions of the book's chapters: each one derived from one execution, or executed apart.

A run whose template declares ``editions`` (:func:`analysis.pipeline.runs.executes_once`) is
executed once for every edition: its executed chapter (``chapters/NAME.ipynb``, the one stored
and checked by nbval) holds every edition's outputs, each marked with its language. The chapter
of another edition (``chapters/<lang>/NAME.ipynb``) is DERIVED from it by :func:`derive_edition`,
a pure function: the outputs of that edition and the unmarked ones (the glued numbers, shared),
the edition's title and run-details link; nothing is executed, so every number is the same.
(The English site reads the stored chapter itself; Sphinx keeps its English outputs,
``book/_ext/translation.py``.)

An old-style run (``lang`` parameter) is still executed once per edition, and
:func:`check_editions_agree` checks that its editions recorded the same numbers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat

from analysis.i18n import edition_outputs
from analysis.pipeline import execute
from analysis.pipeline.cache import stored_key
from analysis.pipeline.runs import METADATA_KEY, Run, edition_runs, executes_once

DERIVED_FROM = "derived_from"  # metadata of a derived chapter: the executed chapter it keeps


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def derive_edition(executed: dict, run: Run) -> dict:
    """The chapter of ``run``'s edition (``run.lang``) made from the chapter ``executed`` once for
    every edition (a notebook as ``json.load`` reads it): only that edition's outputs and the
    unmarked ones, the edition's title and run-details link, metadata naming its source.

    A pure function: ``executed`` is not changed and nothing is executed.
    """
    derived = nbformat.reads(json.dumps(edition_outputs(executed, run.lang)), as_version=4)
    meta = dict(derived.metadata.get(METADATA_KEY, {}))
    meta.pop("editions", None)
    meta["lang"] = run.lang
    meta[DERIVED_FROM] = Path(run.output).name
    derived.metadata[METADATA_KEY] = meta
    execute.title_and_details(derived, run)
    return derived


def is_derived(notebook_path: Path) -> bool:
    """Whether a stored chapter was derived from another (so nbval has nothing to execute)."""
    try:
        nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return DERIVED_FROM in nb.get("metadata", {}).get(METADATA_KEY, {})


def derive_chapters(runs: list[Run], lang: str, chapters_root: Path) -> list[Run]:
    """Write the ``lang`` chapter of every run of ``runs`` (the source language's) executed once
    for every edition whose derived chapter is missing or older than its executed chapter (by
    cache key); return the edition's runs derived now."""
    derived = []
    for run in runs:
        if lang not in run.languages or not executes_once(run):
            continue
        edition = run.in_language(lang)
        source = Path(chapters_root) / run.output
        target = Path(chapters_root) / edition.output
        key = stored_key(source)
        if key is None or stored_key(target) == key:
            continue
        notebook = derive_edition(json.loads(source.read_text(encoding="utf-8")), edition)
        execute.write_atomically(target, (nbformat.writes(notebook) + "\n").encode("utf-8"))
        derived.append(edition)
    return derived


def make_editions(
    runs: list[Run],
    languages: list[str],
    data_dir: Path,
    chapters_root: Path,
    execute_runs=execute.execute_runs,
    **options,
) -> dict[str, list[Run]]:
    """The chapters of every edition but the first, once the first's runs (``runs``) executed:
    derived from the execution for a run executed once, executed for an old-style run by
    ``execute_runs`` (with ``options``, as :func:`analysis.pipeline.execute.execute_runs` takes
    them). Returns every edition's runs, by language."""
    by_lang = {lang: edition_runs(runs, lang) for lang in languages[1:]}
    for lang, lang_runs in by_lang.items():
        once = [run for run in lang_runs if executes_once(run)]
        apart = [run for run in lang_runs if not executes_once(run)]
        _say(
            f"chapters ({lang}): the {len(lang_runs)} chapters of the edition in {lang}, "
            f"{len(once)} from the chapters executed once for every edition"
        )
        derive_chapters(runs, lang, chapters_root)
        if apart:
            execute_runs(apart, data_dir, chapters_root, **options)
    return by_lang


class EditionsDisagree(RuntimeError):
    """An edition's chapters recorded other numbers than the English ones (exit code 1)."""


def numbers_only(value):
    """``value`` without its texts: the numbers (and flags) a chapter recorded, in their lists
    and mappings. Texts differ between editions by design; numbers may not."""
    if isinstance(value, dict):
        return {k: numbers_only(v) for k, v in value.items() if not isinstance(v, str)}
    if isinstance(value, (list, tuple)):
        return [numbers_only(v) for v in value if not isinstance(v, str)]
    return value


def check_editions_agree(english: dict, other: dict, lang: str) -> None:
    """Raise EditionsDisagree naming the first run and key whose numbers differ between the
    English results and the edition ``lang``'s (both ``{run id: {key: value}}``)."""
    for run_id, values in english.items():
        theirs = other.get(run_id)
        if theirs is None:
            continue  # the run has no edition in this language
        missing = sorted(set(values) - set(theirs))
        if missing:
            raise EditionsDisagree(
                f"run '{run_id}': the edition in {lang} did not record {missing[0]}"
            )
        for key, value in values.items():
            mine, their = numbers_only(value), numbers_only(theirs.get(key))
            if isinstance(value, str):
                continue
            if mine != their:
                raise EditionsDisagree(
                    f"run '{run_id}': the edition in {lang} recorded {key} = {their!r}, the "
                    f"English one {mine!r}; a translation may not change a number"
                )


def stored_executions(chapters_dir: Path) -> list[Path]:
    """The executed chapters under ``chapters_dir`` that nbval executes again: every stored
    notebook but the derived ones (each computation is checked once, in the chapter that ran it).
    """
    return sorted(p for p in Path(chapters_dir).rglob("*.ipynb") if not is_derived(p))


if __name__ == "__main__":  # make test: pytest --nbval $(python -m analysis.pipeline.editions)
    from analysis.project import CHAPTERS_DIR, PROJECT_ROOT

    for path in stored_executions(CHAPTERS_DIR):
        print(path.relative_to(PROJECT_ROOT).as_posix())
